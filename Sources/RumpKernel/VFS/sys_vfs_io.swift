import Glibc

// File system calls: open and the calls on an open file's data (lseek,
// pread/pwrite and their vector forms, truncate, fsync, sync).

/// NetBSD open(2) flags the VFS looks at.
enum OpenFlags {
    static let accmode: Int32 = 0x3
    static let nonblock: Int32 = 0x4
    static let append: Int32 = 0x8
    static let nofollow: Int32 = 0x100
    static let creat: Int32 = 0x200
    static let trunc: Int32 = 0x400
    static let excl: Int32 = 0x800
    static let directory: Int32 = 0x20_0000
    static let cloexec: Int32 = 0x40_0000
}

extension VFS {
    /// NetBSD's `vn_open` plus the descriptor: lookup or create, check
    /// permissions and type, truncate, install the file.
    static func open(_ l: Lwp, at dirfd: Int32, _ user: UnsafeRawPointer?, _ flags: Int32,
                     _ mode: UInt32) throws(Errno) -> SyscallResult {
        guard let access = File.Access(rawValue: flags & OpenFlags.accmode) else { throw .EINVAL }
        let path = try copyPath(l, user)
        let ctx = PathContext(l)
        let start = try startDirectory(l, ctx, dirfd, path)
        let vnode: Vnode
        var created = false
        if flags & OpenFlags.creat != 0 {
            let umask = l.proc.state.withLock { $0.umask }
            let follow = flags & (OpenFlags.excl | OpenFlags.nofollow) == 0
            (vnode, created) = try namespace.write { () throws(Errno) -> (Vnode, Bool) in
                let r = try namei(ctx, path, start: start, op: .create, follow: follow)
                if let v = r.vnode {
                    if flags & OpenFlags.excl != 0 { throw .EEXIST }
                    if r.trailingSlash && v.type != .dir { throw .ENOTDIR }
                    return (v, false)
                }
                guard let dir = r.dir else { throw .ENOENT }
                if r.trailingSlash { throw .EISDIR }
                try dir.checkAccess([.write, .exec], ctx.cred)
                if dir.nlink == 0 { throw .ENOENT }
                let v = Vnode(type: .reg, mount: dir.mount, mode: mode & 0o7777 & ~umask,
                              uid: ctx.cred.euid, gid: dir.gid)
                RumpFS.link(v, into: dir, name: r.name)
                dir.knote(Kev.noteWrite)
                return (v, true)
            }
        } else {
            vnode = try namespace.read { () throws(Errno) -> Vnode in
                try namei(ctx, path, start: start, op: .lookup,
                          follow: flags & OpenFlags.nofollow == 0).vnode.unsafelyUnwrapped
            }
        }
        if vnode.type == .lnk { throw .EFTYPE }  // O_NOFOLLOW on a symlink (NetBSD)
        if flags & OpenFlags.directory != 0 && vnode.type != .dir { throw .ENOTDIR }
        if !created {
            var want: AccessMode = []
            if access.canRead { want.insert(.read) }
            if access.canWrite || flags & OpenFlags.trunc != 0 {
                if vnode.type == .dir { throw .EISDIR }
                want.insert(.write)
            }
            try vnode.checkAccess(want, ctx.cred)
        }
        let fileFlags = File.Flags(rawValue: flags).intersection(.settable)
        let file: File
        switch vnode.type {
        case .fifo:
            file = try FifoFile.open(vnode, access: access, flags: fileFlags, l)
        case .sock:
            // A socket's name is for connect(2); open(2) of it fails, as on NetBSD.
            throw .EOPNOTSUPP
        case .chr, .blk:
            if vnode.host == nil { try Devices.open(vnode, flags: flags, l) }
            file = File(access: access, flags: fileFlags, ops: VnodeFile(vnode))
        default:
            if flags & OpenFlags.trunc != 0 && vnode.type == .reg && !created {
                try VnodeIO.truncate(vnode, 0)
            }
            file = File(access: access, flags: fileFlags, ops: VnodeFile(vnode))
        }
        let fd = try l.proc.files.allocate(file, limit: descriptorLimit(l),
                                           closeOnExec: flags & OpenFlags.cloexec != 0)
        return SyscallResult(fd)
    }

    /// The vnode open at `fd` (ESPIPE if the file is not a vnode).
    @inline(__always)
    static func vnodeFile(_ l: Lwp, _ fd: Int32, notVnode: Errno = .ESPIPE) throws(Errno) -> (File, Vnode) {
        let file = try fileAt(l, fd)
        guard let vf = file.ops as? VnodeFile else { throw notVnode }
        return (file, vf.vnode)
    }
}

func sys_open(_ l: Lwp, _ uap: sys_open_args) throws(Errno) -> SyscallResult {
    try VFS.open(l, at: VFS.atFdcwd, uap.path, uap.flags, uap.mode)
}

func sys_openat(_ l: Lwp, _ uap: sys_openat_args) throws(Errno) -> SyscallResult {
    try VFS.open(l, at: uap.fd, uap.path, uap.oflags, uap.mode)
}

func sys_lseek(_ l: Lwp, _ uap: sys_lseek_args) throws(Errno) -> SyscallResult {
    let (file, vnode) = try VFS.vnodeFile(l, uap.fd)
    if vnode.type == .fifo { throw .ESPIPE }
    let base: Int64
    switch uap.whence {
    case 0: base = 0
    case 1: base = file.offset
    case 2: base = vnode.lock.read { vnode.host?.currentSize() ?? vnode.size }
    default: throw .EINVAL
    }
    let (new, overflow) = base.addingReportingOverflow(uap.offset)
    guard !overflow && new >= 0 else { throw .EINVAL }
    file.offset = new
    return SyscallResult(new)
}

/// pread/pwrite and their vector forms: `uio` at its own offset (the end
/// under O_APPEND), leaving the file offset.
private func positioned(_ l: Lwp, _ fd: Int32, _ uio: Uio) throws(Errno) -> SyscallResult {
    let (file, vnode) = try VFS.vnodeFile(l, fd)
    if uio.direction == .read {
        guard file.access.canRead else { throw .EBADF }
    } else {
        guard file.access.canWrite else { throw .EBADF }
    }
    if vnode.type == .fifo { throw .ESPIPE }
    guard uio.offset >= 0 else { throw .EINVAL }
    let requested = uio.residual
    do {
        if uio.direction == .read {
            try VnodeIO.read(vnode, uio)
        } else {
            // As NetBSD's vn_write: O_APPEND appends, even at an offset.
            try VnodeIO.write(vnode, uio, append: file.flags.contains(.append))
        }
    } catch {
        let moved = requested - uio.residual
        guard moved > 0 && (error == .EINTR || error == .EAGAIN) else { throw error }
    }
    return SyscallResult(requested - uio.residual)
}

func sys_pread(_ l: Lwp, _ uap: sys_pread_args) throws(Errno) -> SyscallResult {
    guard uap.nbyte <= ssizeMax else { throw .EINVAL }
    return try positioned(l, uap.fd, Uio(base: uap.buf, count: Int(uap.nbyte), offset: uap.offset,
                                         direction: .read, space: .user(l)))
}

func sys_pwrite(_ l: Lwp, _ uap: sys_pwrite_args) throws(Errno) -> SyscallResult {
    guard uap.nbyte <= ssizeMax else { throw .EINVAL }
    return try positioned(l, uap.fd, Uio(base: UnsafeMutableRawPointer(mutating: uap.buf), count: Int(uap.nbyte),
                                         offset: uap.offset, direction: .write, space: .user(l)))
}

func sys_preadv(_ l: Lwp, _ uap: sys_preadv_args) throws(Errno) -> SyscallResult {
    _ = try fileAt(l, uap.fd)
    return try positioned(l, uap.fd, Uio(segments: try userSegments(l, uap.iovp, uap.iovcnt), offset: uap.offset,
                                         direction: .read, space: .user(l)))
}

func sys_pwritev(_ l: Lwp, _ uap: sys_pwritev_args) throws(Errno) -> SyscallResult {
    _ = try fileAt(l, uap.fd)
    return try positioned(l, uap.fd, Uio(segments: try userSegments(l, uap.iovp, uap.iovcnt), offset: uap.offset,
                                         direction: .write, space: .user(l)))
}

func sys_ftruncate(_ l: Lwp, _ uap: sys_ftruncate_args) throws(Errno) -> SyscallResult {
    let (file, vnode) = try VFS.vnodeFile(l, uap.fd, notVnode: .EINVAL)
    guard file.access.canWrite else { throw .EINVAL }
    guard uap.length >= 0 else { throw .EINVAL }
    try VnodeIO.truncate(vnode, uap.length)
    return 0
}

func sys_truncate(_ l: Lwp, _ uap: sys_truncate_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    let vnode = try VFS.lookup(l, ctx, uap.path)
    guard uap.length >= 0 else { throw .EINVAL }
    if vnode.type == .dir { throw .EISDIR }
    try vnode.checkAccess(.write, ctx.cred)
    try VnodeIO.truncate(vnode, uap.length)
    return 0
}

func sys_fsync(_ l: Lwp, _ uap: sys_fsync_args) throws(Errno) -> SyscallResult {
    let (_, vnode) = try VFS.vnodeFile(l, uap.fd, notVnode: .EINVAL)
    if let host = vnode.host { _ = Scheduler.blocking { Glibc.fsync(host.fd) } }
    return 0
}

func sys_fdatasync(_ l: Lwp, _ uap: sys_fdatasync_args) throws(Errno) -> SyscallResult {
    let (file, vnode) = try VFS.vnodeFile(l, uap.fd, notVnode: .EINVAL)
    guard file.access.canWrite else { throw .EBADF }
    if let host = vnode.host { _ = Scheduler.blocking { Glibc.fdatasync(host.fd) } }
    return 0
}

func sys_fsync_range(_ l: Lwp, _ uap: sys_fsync_range_args) throws(Errno) -> SyscallResult {
    let (file, _) = try VFS.vnodeFile(l, uap.fd, notVnode: .EINVAL)
    guard file.access.canWrite else { throw .EBADF }
    guard uap.start >= 0 && uap.length >= 0 else { throw .EINVAL }
    return 0
}

func sys_sync(_ l: Lwp) throws(Errno) -> SyscallResult {
    0
}
