@preconcurrency import CRump
import Glibc
import Synchronization

/// The VFS faction: vnodes, the mount table, name lookup and the file system
/// calls. `attach` runs when librumpvfs's faction component does.
public enum VFS {
    /// NetBSD's MAXPATHLEN (NUL included) and MAXNAMLEN.
    static let maxPathLength = 1024
    static let nameMax = 511
    /// NetBSD's MAXSYMLINKS.
    static let maxSymlinks = 32
    /// LINK_MAX.
    static let linkMax: UInt32 = 32767
    static let slash = UInt8(ascii: "/")
    static let dot = UInt8(ascii: ".")

    /// The name space lock: lookups read, name space changes write.
    static let namespace = RWLock()

    /// The root file system's root (set once by attach).
    nonisolated(unsafe) static var root: Vnode!
    nonisolated(unsafe) static var rootMount: Mount!
    /// /dev, where device nodes are made.
    nonisolated(unsafe) static var devDirectory: Vnode?
    /// Mounted file systems, root first (name space lock).
    nonisolated(unsafe) static var mounts: [Mount] = []
    /// File system types that `mount` can make.
    static let types = Mutex<[String: FileSystemType]>([:])
    nonisolated(unsafe) static var attached = false

    static func now() -> NetBSDTimespec {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return NetBSDTimespec(ts)
    }

    /// Attach the faction: the root file system with /dev and /tmp, the
    /// system calls, host files.
    static func attach() {
        guard !attached else { return }
        attached = true
        // swift_once is thread-safe, but the sanitizers cannot see inside the
        // uninstrumented runtime: make the lock while one thread runs.
        _ = namespace
        registerType(RumpFS.type)
        let m = Mount(type: RumpFS.type, onName: Array("/".utf8), fromName: Array("rumpfs".utf8),
                      flags: 0, owner: 0, args: MountArgs())
        rootMount = m
        root = m.root
        mounts = [m]
        let dev = RumpFS.makeNode(.dir, in: root, name: "dev", mode: 0o755)
        _ = RumpFS.makeNode(.dir, in: root, name: "tmp", mode: 0o1777)
        let null = RumpFS.makeNode(.chr, in: dev, name: "null", mode: 0o666)
        null.rdev = Devices.nullDev
        let zero = RumpFS.makeNode(.chr, in: dev, name: "zero", mode: 0o666)
        zero.rdev = Devices.zeroDev
        devDirectory = dev
        DeviceSwitch.makeNode = Devices.makeNode
        SyscallTable.install(provider: .vfs)
        EtfsTable.install()
    }

    static func registerType(_ t: FileSystemType) {
        types.withLock { $0[t.name] = t }
    }
}

/// Register a file system type with the VFS faction (called by file system
/// plugins such as librumpfs_tmpfs from their RUMP_COMPONENT_VFS component).
/// Returns 0, or ENOENT for a type this kernel does not know.
@c(rumpns_vfs_attach_fstype)
public func rumpns_vfs_attach_fstype(_ name: UnsafePointer<CChar>?) -> Int32 {
    guard let name else { return Errno.EFAULT.rawValue }
    switch String(cString: name) {
    case "tmpfs": VFS.registerType(TmpFS.type)
    case "rumpfs": VFS.registerType(RumpFS.type)
    default: return Errno.ENOENT.rawValue
    }
    return 0
}

/// What a path operation needs of the calling process.
struct PathContext {
    let cred: Cred
    let root: Vnode
    let cwd: Vnode

    init(_ l: Lwp) {
        let (cred, root, cwd) = l.proc.state.withLock { s in (s.cred, s.rootDir, s.cwd) }
        self.cred = cred
        self.root = root ?? VFS.root
        self.cwd = cwd ?? self.root
    }
}

/// Access bits (VREAD, VWRITE, VEXEC as in rwx).
struct AccessMode: OptionSet {
    let rawValue: UInt32
    static let read = AccessMode(rawValue: 4)
    static let write = AccessMode(rawValue: 2)
    static let exec = AccessMode(rawValue: 1)
}

extension Vnode {
    /// NetBSD's `genfs_can_access`: owner, group or other bits for the
    /// caller; root may do anything but execute a file with no x bit.
    @inline(__always)
    func checkAccess(_ want: AccessMode, _ cred: Cred) throws(Errno) {
        if cred.euid == 0 {
            if want.contains(.exec) && type != .dir && mode & 0o111 == 0 { throw .EACCES }
            return
        }
        let bits: UInt32
        if cred.euid == uid {
            bits = (mode >> 6) & 7
        } else if cred.isMember(of: gid) {
            bits = (mode >> 3) & 7
        } else {
            bits = mode & 7
        }
        if want.rawValue & ~bits != 0 { throw .EACCES }
    }

    /// May `cred` remove or rename `child` out of this directory (write and
    /// search here; with the sticky bit, only the owner of either or root).
    func checkRemove(_ child: Vnode, _ cred: Cred) throws(Errno) {
        try checkAccess([.write, .exec], cred)
        if mode & 0o1000 != 0 && cred.euid != 0 && cred.euid != uid && cred.euid != child.uid {
            throw .EPERM
        }
    }

    /// Whether `cred` owns this node or is root (attribute changes).
    func checkOwner(_ cred: Cred) throws(Errno) {
        if cred.euid != 0 && cred.euid != uid { throw .EPERM }
    }
}
