/// The file operations of an open vnode (NetBSD's `vnops`): regular files
/// read and write their data under the vnode's lock and move the file offset;
/// directories refuse read(2); device nodes go to their driver.
final class VnodeFile: FileOps {
    let vnode: Vnode

    init(_ vnode: Vnode) {
        self.vnode = vnode
        vnode.mount.openFiles.add(1, ordering: .relaxed)
    }

    deinit {
        vnode.mount.openFiles.subtract(1, ordering: .relaxed)
    }

    func read(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno) {
        defer { file.offset = uio.offset }
        try VnodeIO.read(vnode, uio)
    }

    func write(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno) {
        defer { file.offset = uio.offset }
        try VnodeIO.write(vnode, uio, append: file.flags.contains(.append))
    }

    func stat(_ file: File, _ l: Lwp) throws(Errno) -> NetBSDStat {
        vnode.lock.read { vnode.stat() }
    }

    func close(_ file: File) {
        if vnode.type == .chr && vnode.host == nil {
            Devices.close(vnode, flags: file.access.rawValue | file.flags.rawValue)
        }
    }

    func pathconf(_ file: File, _ name: Int32) throws(Errno) -> Int {
        try VnodeIO.pathconf(vnode, name)
    }

    func ioctl(_ file: File, _ l: Lwp, _ command: UInt, _ data: UnsafeMutableRawPointer?) throws(Errno) {
        switch command {
        case IoctlCommand.fionbio, IoctlCommand.fioasync:
            return
        case _ where vnode.type == .chr && vnode.host == nil:
            try Devices.ioctl(vnode, command, data, l)
        case 0x4004_667f:  // FIONREAD
            guard vnode.type == .reg, let data else { throw .ENOTTY }
            let size = vnode.lock.read { vnode.host?.currentSize() ?? vnode.size }
            let left = max(0, size - file.offset)
            data.storeBytes(of: Int32(clamping: left), as: Int32.self)
        default:
            throw .ENOTTY
        }
    }
}

/// Reads and writes at a uio's offset, shared by read/write and pread/pwrite.
enum VnodeIO {
    static func read(_ v: Vnode, _ uio: Uio) throws(Errno) {
        switch v.type {
        case .reg:
            if uio.offset < 0 { throw .EINVAL }
            if let host = v.host {
                try host.read(uio)
                return
            }
            try v.lock.read { () throws(Errno) in
                try v.data.unsafelyUnwrapped.read(uio, size: v.size)
            }
        case .dir:
            throw .EISDIR
        case .chr, .blk:
            if let host = v.host { try host.read(uio); return }
            try Devices.read(v, uio)
        case .lnk:
            throw .EINVAL
        default:
            throw .EOPNOTSUPP
        }
    }

    static func write(_ v: Vnode, _ uio: Uio, append: Bool) throws(Errno) {
        switch v.type {
        case .reg:
            if let host = v.host {
                if append { uio.offset = host.currentSize() }
                try host.write(uio)
                return
            }
            if uio.residual == 0 { return }
            try v.lock.write { () throws(Errno) in
                if append { uio.offset = v.size }
                if uio.offset < 0 { throw .EINVAL }
                let before = v.size
                defer {
                    v.touchModified()
                    v.knote(v.size > before ? Kev.noteWrite | Kev.noteExtend : Kev.noteWrite)
                }
                try v.data.unsafelyUnwrapped.write(uio, size: &v.size)
            }
        case .dir:
            throw .EISDIR
        case .chr, .blk:
            if let host = v.host { try host.write(uio); return }
            try Devices.write(v, uio)
        default:
            throw .EOPNOTSUPP
        }
    }

    /// Set a regular file's size (truncate, ftruncate, O_TRUNC).
    static func truncate(_ v: Vnode, _ length: Int64) throws(Errno) {
        guard length >= 0 else { throw .EINVAL }
        switch v.type {
        case .reg: break
        case .dir: throw .EISDIR
        case .chr, .blk, .fifo: return
        default: throw .EINVAL
        }
        if let host = v.host {
            try host.truncate(length)
            return
        }
        v.lock.write {
            let before = v.size
            v.data.unsafelyUnwrapped.truncate(from: v.size, to: length)
            v.size = length
            v.touchModified()
            v.knote(length > before ? Kev.noteAttrib | Kev.noteExtend : Kev.noteAttrib)
        }
    }

    /// NetBSD's pathconf names and the values its in-memory file systems give.
    static func pathconf(_ v: Vnode, _ name: Int32) throws(Errno) -> Int {
        switch name {
        case 1: return Int(VFS.linkMax)          // _PC_LINK_MAX
        case 2: return 255                       // _PC_MAX_CANON
        case 3: return 255                       // _PC_MAX_INPUT
        case 4: return VFS.nameMax               // _PC_NAME_MAX
        case 5: return VFS.maxPathLength         // _PC_PATH_MAX
        case 6: return 512                       // _PC_PIPE_BUF
        case 7: return 1                         // _PC_CHOWN_RESTRICTED
        case 8: return 1                         // _PC_NO_TRUNC
        case 9: return 0xff                      // _PC_VDISABLE
        case 10: return 1                        // _PC_SYNC_IO
        case 11: return 64                       // _PC_FILESIZEBITS
        case 12: return 255                      // _PC_SYMLINK_MAX
        case 13: return 0                        // _PC_2_SYMLINKS
        default: throw .EINVAL
        }
    }
}
