@preconcurrency import CRump

/// Character devices behind device nodes: /dev/null and /dev/zero (NetBSD
/// amd64's mem driver, major 2, minors 2 and 12), and the drivers plugins
/// register in the device switch (`devsw_attach`, rump_faction.h).
enum Devices {
    static func makedev(_ major: UInt64, _ minor: UInt64) -> UInt64 {
        ((major << 8) & 0x000f_ff00) | ((minor << 12) & 0xfff0_0000) | (minor & 0xff)
    }

    static func major(_ dev: UInt64) -> Int32 { Int32((dev & 0x000f_ff00) >> 8) }

    static let nullDev = makedev(2, 2)
    static let zeroDev = makedev(2, 12)

    /// A plugin driver for the node, if one is registered under its major.
    private static func driver(_ v: Vnode) -> UnsafePointer<rumpc_cdevsw>? {
        v.rdev == nullDev || v.rdev == zeroDev ? nil : DeviceSwitch.character(major: major(v.rdev))
    }

    /// Open a device node: ENXIO for a number no driver serves.
    static func open(_ v: Vnode, flags: Int32, _ l: Lwp) throws(Errno) {
        if v.rdev == nullDev || v.rdev == zeroDev { return }
        guard let d = driver(v) else { throw .ENXIO }
        if let open = d.pointee.d_open {
            let error = open(v.rdev, flags, Int32(NetBSDStat.characterDevice), l.opaque)
            if error != 0 { throw Errno(error) }
        }
    }

    /// The last descriptor for an open device node went away.
    static func close(_ v: Vnode, flags: Int32) {
        guard let d = driver(v), let close = d.pointee.d_close else { return }
        _ = close(v.rdev, flags, Int32(NetBSDStat.characterDevice), Scheduler.runLwp()?.opaque)
    }

    /// Read from a device node.
    static func read(_ v: Vnode, _ uio: Uio) throws(Errno) {
        switch v.rdev {
        case nullDev:
            return
        case zeroDev:
            try withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 16) { (b) throws(Errno) in
                let base = b.baseAddress.unsafelyUnwrapped
                base.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
                while uio.residual > 0 {
                    try uio.move(base, count: min(4096, uio.residual))
                }
            }
        default:
            guard let d = driver(v), let read = d.pointee.d_read else { throw .ENXIO }
            let error = read(v.rdev, uio.opaque, 0)
            if error != 0 { throw Errno(error) }
        }
    }

    /// Write to a device node: null and zero take everything without reading
    /// it, as NetBSD's mm driver does (so a remote client is not asked for it).
    static func write(_ v: Vnode, _ uio: Uio) throws(Errno) {
        switch v.rdev {
        case nullDev, zeroDev:
            uio.discard()
        default:
            guard let d = driver(v), let write = d.pointee.d_write else { throw .ENXIO }
            let error = write(v.rdev, uio.opaque, 0)
            if error != 0 { throw Errno(error) }
        }
    }

    /// A driver's ioctl, with the argument already in kernel memory.
    static func ioctl(_ v: Vnode, _ command: UInt, _ data: UnsafeMutableRawPointer?, _ l: Lwp) throws(Errno) {
        guard let d = driver(v), let ioctl = d.pointee.d_ioctl else { throw .ENOTTY }
        let error = ioctl(v.rdev, command, data, 0, l.opaque)
        if error != 0 { throw Errno(error) }
    }

    /// Make /dev/<name> for a plugin's device (DeviceSwitch.makeNode).
    static func makeNode(name: String, major: Int32, minor: Int32, mode: UInt32) -> Int32 {
        guard let devDir = VFS.devDirectory else { return Errno.ENOENT.rawValue }
        guard !name.isEmpty, !name.contains("/") else { return Errno.EINVAL.rawValue }
        return VFS.namespace.write { () -> Int32 in
            if devDir.directory?.lookup(Array(name.utf8)[...]) != nil { return Errno.EEXIST.rawValue }
            let node = RumpFS.makeNode(.chr, in: devDir, name: name, mode: mode & 0o7777)
            node.rdev = makedev(UInt64(UInt32(bitPattern: major)), UInt64(UInt32(bitPattern: minor)))
            return 0
        }
    }
}
