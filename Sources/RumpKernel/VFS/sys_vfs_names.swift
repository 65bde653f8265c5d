// File system calls that change the name space: mkdir, rmdir, unlink,
// rename, link, symlink, mknod, mkfifo; and readlink.

extension VFS {
    /// Make a node of `type` at a new name (mkdir, mknod, mkfifo, symlink).
    @discardableResult
    static func create(_ l: Lwp, at fd: Int32, _ user: UnsafeRawPointer?, type: VType, mode: UInt32,
                       rdev: UInt64 = 0, target: [UInt8] = []) throws(Errno) -> Vnode {
        let path = try copyPath(l, user)
        let ctx = PathContext(l)
        let start = try startDirectory(l, ctx, fd, path)
        let umask = l.proc.state.withLock { $0.umask }
        return try namespace.write { () throws(Errno) -> Vnode in
            let r = try namei(ctx, path, start: start, op: .create, follow: false)
            if r.vnode != nil { throw .EEXIST }
            guard let dir = r.dir else { throw .EEXIST }
            if r.trailingSlash && type != .dir { throw .ENOENT }
            try dir.checkAccess([.write, .exec], ctx.cred)
            if dir.nlink == 0 { throw .ENOENT }
            if type == .dir && dir.nlink >= linkMax { throw .EMLINK }
            let v = Vnode(type: type, mount: dir.mount, mode: mode & ~umask, uid: ctx.cred.euid, gid: dir.gid)
            v.rdev = rdev
            v.target = target
            RumpFS.link(v, into: dir, name: r.name)
            dir.knote(type == .dir ? Kev.noteWrite | Kev.noteLink : Kev.noteWrite)
            return v
        }
    }

    /// Remove a name (unlink, rmdir).
    static func remove(_ l: Lwp, at fd: Int32, _ user: UnsafeRawPointer?, directory: Bool) throws(Errno) {
        let path = try copyPath(l, user)
        let ctx = PathContext(l)
        let start = try startDirectory(l, ctx, fd, path)
        try namespace.write { () throws(Errno) in
            let r = try namei(ctx, path, start: start, op: .delete, follow: false)
            guard let v = r.vnode else { throw .ENOENT }
            guard let dir = r.dir else { throw directory ? .EBUSY : .EPERM }
            if directory {
                if r.name.count == 1 && r.name[0] == dot { throw .EINVAL }
                if r.isDotOrDotDot { throw .ENOTEMPTY }
                guard v.type == .dir else { throw .ENOTDIR }
                if v.isMountRoot || v === ctx.root || v === root { throw .EBUSY }
                if !v.directory.unsafelyUnwrapped.isEmpty { throw .ENOTEMPTY }
            } else {
                if v.type == .dir { throw .EPERM }
                if r.trailingSlash { throw .ENOTDIR }
            }
            try dir.checkRemove(v, ctx.cred)
            if v.host != nil { throw .EBUSY }
            dir.directory.unsafelyUnwrapped.remove(r.name[...])
            dir.touchModified()
            v.lock.write {
                if v.type == .dir {
                    dir.nlink -= 1
                    v.nlink = 0
                    v.parent = nil
                } else {
                    v.nlink -= 1
                }
                v.ctime = VFS.now()
            }
            v.knote(v.nlink == 0 ? Kev.noteDelete : Kev.noteLink)
            dir.knote(v.type == .dir ? Kev.noteWrite | Kev.noteLink : Kev.noteWrite)
        }
    }

    /// rename: atomic under the name space lock; NetBSD's errors.
    static func rename(_ l: Lwp, fromFd: Int32, _ fromUser: UnsafeRawPointer?, toFd: Int32,
                       _ toUser: UnsafeRawPointer?) throws(Errno) {
        let from = try copyPath(l, fromUser)
        let to = try copyPath(l, toUser)
        let ctx = PathContext(l)
        let fromStart = try startDirectory(l, ctx, fromFd, from)
        let toStart = try startDirectory(l, ctx, toFd, to)
        try namespace.write { () throws(Errno) in
            let s = try namei(ctx, from, start: fromStart, op: .delete, follow: false)
            guard let sv = s.vnode else { throw .ENOENT }
            guard let sdir = s.dir, !s.isDotOrDotDot else { throw .EINVAL }
            if s.trailingSlash && sv.type != .dir { throw .ENOTDIR }
            let t = try namei(ctx, to, start: toStart, op: .create, follow: false)
            guard let tdir = t.dir, !t.isDotOrDotDot else { throw .EINVAL }
            if t.trailingSlash && sv.type != .dir { throw .ENOTDIR }
            if sv.isMountRoot || sv.host != nil { throw .EBUSY }
            if sdir.mount !== tdir.mount { throw .EXDEV }
            let tv = t.vnode
            if let tv, tv.mount !== tdir.mount || tv.isMountRoot { throw .EBUSY }
            if tv === sv { return }
            try sdir.checkRemove(sv, ctx.cred)
            try tdir.checkAccess([.write, .exec], ctx.cred)
            if let tv { try tdir.checkRemove(tv, ctx.cred) }
            if sv.type == .dir {
                if let tv, tv.type != .dir { throw .ENOTDIR }
                // Not into its own subtree.
                var p: Vnode? = tdir
                while let d = p {
                    if d === sv { throw .EINVAL }
                    p = d.isMountRoot ? d.mount.covered : d.parent
                }
                if sdir !== tdir { try sv.checkAccess(.write, ctx.cred) }
            } else if let tv, tv.type == .dir {
                throw .EISDIR
            }
            if let tv, tv.type == .dir, !tv.directory.unsafelyUnwrapped.isEmpty { throw .ENOTEMPTY }
            let now = VFS.now()
            if let tv {
                tdir.directory.unsafelyUnwrapped.remove(t.name[...])
                tv.lock.write {
                    if tv.type == .dir {
                        tdir.nlink -= 1
                        tv.nlink = 0
                        tv.parent = nil
                    } else {
                        tv.nlink -= 1
                    }
                    tv.ctime = now
                }
            }
            sdir.directory.unsafelyUnwrapped.remove(s.name[...])
            tdir.directory.unsafelyUnwrapped.insert(t.name, sv)
            if sv.type == .dir {
                if sdir !== tdir {
                    sdir.nlink -= 1
                    tdir.nlink += 1
                }
                sv.parent = tdir
                sv.nameInParent = t.name
            }
            sv.ctime = now
            sdir.mtime = now
            sdir.ctime = now
            tdir.mtime = now
            tdir.ctime = now
            if let tv { tv.knote(tv.nlink == 0 ? Kev.noteDelete : Kev.noteLink) }
            sv.knote(Kev.noteRename)
            sdir.knote(Kev.noteWrite)
            if tdir !== sdir { tdir.knote(Kev.noteWrite) }
        }
    }

    static func link(_ l: Lwp, fromFd: Int32, _ fromUser: UnsafeRawPointer?, toFd: Int32,
                     _ toUser: UnsafeRawPointer?, follow: Bool) throws(Errno) {
        let from = try copyPath(l, fromUser)
        let to = try copyPath(l, toUser)
        let ctx = PathContext(l)
        let fromStart = try startDirectory(l, ctx, fromFd, from)
        let toStart = try startDirectory(l, ctx, toFd, to)
        try namespace.write { () throws(Errno) in
            let sv = try namei(ctx, from, start: fromStart, op: .lookup, follow: follow).vnode.unsafelyUnwrapped
            if sv.type == .dir { throw .EPERM }
            let t = try namei(ctx, to, start: toStart, op: .create, follow: false)
            if t.vnode != nil { throw .EEXIST }
            guard let tdir = t.dir else { throw .EEXIST }
            if t.trailingSlash { throw .ENOENT }
            if tdir.mount !== sv.mount || sv.host != nil { throw .EXDEV }
            try tdir.checkAccess([.write, .exec], ctx.cred)
            if tdir.nlink == 0 { throw .ENOENT }
            if sv.nlink >= linkMax { throw .EMLINK }
            if sv.nlink == 0 { throw .ENOENT }
            tdir.directory.unsafelyUnwrapped.insert(t.name, sv)
            tdir.touchModified()
            sv.lock.write {
                sv.nlink += 1
                sv.ctime = VFS.now()
            }
            sv.knote(Kev.noteLink)
            tdir.knote(Kev.noteWrite)
        }
    }

    static func readlink(_ l: Lwp, at fd: Int32, _ user: UnsafeRawPointer?, _ buf: UnsafeMutableRawPointer?,
                         _ count: UInt) throws(Errno) -> SyscallResult {
        let ctx = PathContext(l)
        let v = try lookup(l, ctx, at: fd, user, follow: false)
        guard v.type == .lnk else { throw .EINVAL }
        let target = v.target
        let n = min(Int(clamping: count), target.count)
        try copyout(l, contentsOf: target, prefix: n, to: buf)
        return SyscallResult(n)
    }

    static func mknod(_ l: Lwp, at fd: Int32, _ user: UnsafeRawPointer?, _ mode: UInt32, _ dev: UInt64) throws(Errno) {
        guard let type = VType(mode: mode) else { throw .EINVAL }
        if type == .fifo {
            try create(l, at: fd, user, type: .fifo, mode: mode & 0o7777)
            return
        }
        guard l.proc.cred.isRoot else { throw .EPERM }
        switch type {
        case .chr, .blk, .reg:
            try create(l, at: fd, user, type: type, mode: mode & 0o7777, rdev: type == .reg ? 0 : dev)
        default:
            throw .EINVAL
        }
    }
}

func sys_mkdir(_ l: Lwp, _ uap: sys_mkdir_args) throws(Errno) -> SyscallResult {
    try VFS.create(l, at: VFS.atFdcwd, uap.path, type: .dir, mode: uap.mode & 0o777)
    return 0
}

func sys_mkdirat(_ l: Lwp, _ uap: sys_mkdirat_args) throws(Errno) -> SyscallResult {
    try VFS.create(l, at: uap.fd, uap.path, type: .dir, mode: uap.mode & 0o777)
    return 0
}

func sys_mkfifo(_ l: Lwp, _ uap: sys_mkfifo_args) throws(Errno) -> SyscallResult {
    try VFS.create(l, at: VFS.atFdcwd, uap.path, type: .fifo, mode: uap.mode & 0o7777)
    return 0
}

func sys_mkfifoat(_ l: Lwp, _ uap: sys_mkfifoat_args) throws(Errno) -> SyscallResult {
    try VFS.create(l, at: uap.fd, uap.path, type: .fifo, mode: uap.mode & 0o7777)
    return 0
}

func sys_mknod(_ l: Lwp, _ uap: sys_mknod_args) throws(Errno) -> SyscallResult {
    try VFS.mknod(l, at: VFS.atFdcwd, uap.path, uap.mode, uap.dev)
    return 0
}

func sys_mknodat(_ l: Lwp, _ uap: sys_mknodat_args) throws(Errno) -> SyscallResult {
    try VFS.mknod(l, at: uap.fd, uap.path, uap.mode, uap.dev)
    return 0
}

func sys_rmdir(_ l: Lwp, _ uap: sys_rmdir_args) throws(Errno) -> SyscallResult {
    try VFS.remove(l, at: VFS.atFdcwd, uap.path, directory: true)
    return 0
}

func sys_unlink(_ l: Lwp, _ uap: sys_unlink_args) throws(Errno) -> SyscallResult {
    try VFS.remove(l, at: VFS.atFdcwd, uap.path, directory: false)
    return 0
}

func sys_unlinkat(_ l: Lwp, _ uap: sys_unlinkat_args) throws(Errno) -> SyscallResult {
    guard uap.flag & ~VFS.atRemovedir == 0 else { throw .EINVAL }
    try VFS.remove(l, at: uap.fd, uap.path, directory: uap.flag & VFS.atRemovedir != 0)
    return 0
}

func sys_rename(_ l: Lwp, _ uap: sys_rename_args) throws(Errno) -> SyscallResult {
    try VFS.rename(l, fromFd: VFS.atFdcwd, uap.from, toFd: VFS.atFdcwd, uap.to)
    return 0
}

func sys___posix_rename(_ l: Lwp, _ uap: sys___posix_rename_args) throws(Errno) -> SyscallResult {
    try VFS.rename(l, fromFd: VFS.atFdcwd, uap.from, toFd: VFS.atFdcwd, uap.to)
    return 0
}

func sys_renameat(_ l: Lwp, _ uap: sys_renameat_args) throws(Errno) -> SyscallResult {
    try VFS.rename(l, fromFd: uap.fromfd, uap.from, toFd: uap.tofd, uap.to)
    return 0
}

func sys_link(_ l: Lwp, _ uap: sys_link_args) throws(Errno) -> SyscallResult {
    try VFS.link(l, fromFd: VFS.atFdcwd, uap.path, toFd: VFS.atFdcwd, uap.link, follow: false)
    return 0
}

func sys_linkat(_ l: Lwp, _ uap: sys_linkat_args) throws(Errno) -> SyscallResult {
    guard uap.flags & ~VFS.atSymlinkFollow == 0 else { throw .EINVAL }
    try VFS.link(l, fromFd: uap.fd1, uap.name1, toFd: uap.fd2, uap.name2,
                 follow: uap.flags & VFS.atSymlinkFollow != 0)
    return 0
}

func sys_symlink(_ l: Lwp, _ uap: sys_symlink_args) throws(Errno) -> SyscallResult {
    let target = try VFS.copyPath(l, uap.path)
    try VFS.create(l, at: VFS.atFdcwd, uap.link, type: .lnk, mode: 0o777, target: target)
    return 0
}

func sys_symlinkat(_ l: Lwp, _ uap: sys_symlinkat_args) throws(Errno) -> SyscallResult {
    let target = try VFS.copyPath(l, uap.path1)
    try VFS.create(l, at: uap.fd, uap.path2, type: .lnk, mode: 0o777, target: target)
    return 0
}

func sys_readlink(_ l: Lwp, _ uap: sys_readlink_args) throws(Errno) -> SyscallResult {
    try VFS.readlink(l, at: VFS.atFdcwd, uap.path, uap.buf, uap.count)
}

func sys_readlinkat(_ l: Lwp, _ uap: sys_readlinkat_args) throws(Errno) -> SyscallResult {
    try VFS.readlink(l, at: uap.fd, uap.path, uap.buf, uap.bufsize)
}
