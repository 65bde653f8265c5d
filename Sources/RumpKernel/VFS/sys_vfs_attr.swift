// File system calls on attributes: stat, access, chmod, chown, utimes,
// pathconf, umask.

extension VFS {
    /// Run an attribute change on `v` with the name space write lock (which
    /// attribute readers in lookup hold for reading) and the vnode lock.
    static func changeAttributes(_ v: Vnode, _ body: () throws(Errno) -> Void) throws(Errno) {
        try namespace.write { () throws(Errno) in
            try v.lock.write { () throws(Errno) in
                try body()
                v.ctime = VFS.now()
                v.knote(Kev.noteAttrib)
            }
        }
    }

    static func chmod(_ v: Vnode, _ mode: UInt32, _ cred: Cred) throws(Errno) {
        try changeAttributes(v) { () throws(Errno) in
            try v.checkOwner(cred)
            var mode = mode & 0o7777
            if !cred.isRoot {
                if v.type != .dir && mode & 0o1000 != 0 { throw .EFTYPE }
                if mode & 0o2000 != 0 && !cred.isMember(of: v.gid) { throw .EPERM }
            }
            if v.type == .lnk { mode &= 0o7777 }
            v.mode = mode
        }
    }

    /// NetBSD's chown rules: root may do anything; the owner may only set
    /// the group to one of its groups; set-id bits are cleared for non-root.
    static func chown(_ v: Vnode, _ uid: UInt32, _ gid: UInt32, _ cred: Cred) throws(Errno) {
        try changeAttributes(v) { () throws(Errno) in
            let newUid = uid == UInt32.max ? v.uid : uid
            let newGid = gid == UInt32.max ? v.gid : gid
            if !cred.isRoot {
                guard cred.euid == v.uid, newUid == v.uid,
                      newGid == v.gid || cred.isMember(of: newGid) else { throw .EPERM }
                if newUid != v.uid || newGid != v.gid { v.mode &= ~0o6000 }
            }
            v.uid = newUid
            v.gid = newGid
        }
    }

    /// Set times; nil: now (owner, root or write permission), else owner or
    /// root. `omit` leaves a time unchanged (UTIME_OMIT).
    static func setTimes(_ v: Vnode, _ times: (NetBSDTimespec?, NetBSDTimespec?), explicit: Bool,
                         _ cred: Cred) throws(Errno) {
        try changeAttributes(v) { () throws(Errno) in
            if explicit {
                try v.checkOwner(cred)
            } else if !cred.isRoot && cred.euid != v.uid {
                do { try v.checkAccess(.write, cred) } catch { throw .EACCES }
            }
            if let a = times.0 { v.atime = a }
            if let m = times.1 { v.mtime = m }
        }
    }

    static func access(_ v: Vnode, _ mode: Int32, _ cred: Cred) throws(Errno) {
        var want: AccessMode = []
        if mode & 4 != 0 { want.insert(.read) }
        if mode & 2 != 0 { want.insert(.write) }
        if mode & 1 != 0 { want.insert(.exec) }
        guard !want.isEmpty else { return }
        try namespace.read { () throws(Errno) in try v.checkAccess(want, cred) }
    }
}

private func statOut(_ l: Lwp, _ v: Vnode, _ ub: UnsafeMutableRawPointer?) throws(Errno) -> SyscallResult {
    let st = v.lock.read { v.stat() }
    try copyout(l, st, to: ub)
    return 0
}

func sys_stat(_ l: Lwp, _ uap: sys_stat_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    return try statOut(l, try VFS.lookup(l, ctx, uap.path), uap.ub)
}

func sys_lstat(_ l: Lwp, _ uap: sys_lstat_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    return try statOut(l, try VFS.lookup(l, ctx, uap.path, follow: false), uap.ub)
}

func sys_fstatat(_ l: Lwp, _ uap: sys_fstatat_args) throws(Errno) -> SyscallResult {
    guard uap.flag & ~VFS.atSymlinkNofollow == 0 else { throw .EINVAL }
    let ctx = PathContext(l)
    let v = try VFS.lookup(l, ctx, at: uap.fd, uap.path, follow: uap.flag & VFS.atSymlinkNofollow == 0)
    return try statOut(l, v, uap.buf)
}

private func accessCred(_ cred: Cred, effective: Bool) -> Cred {
    if effective { return cred }
    var c = cred
    c.euid = cred.uid
    c.egid = cred.gid
    return c
}

func sys_access(_ l: Lwp, _ uap: sys_access_args) throws(Errno) -> SyscallResult {
    guard uap.flags & ~7 == 0 else { throw .EINVAL }
    let ctx = PathContext(l)
    let v = try VFS.lookup(l, ctx, uap.path)
    try VFS.access(v, uap.flags, accessCred(ctx.cred, effective: false))
    return 0
}

func sys_faccessat(_ l: Lwp, _ uap: sys_faccessat_args) throws(Errno) -> SyscallResult {
    guard uap.amode & ~7 == 0 else { throw .EINVAL }
    guard uap.flag & ~(VFS.atEaccess | VFS.atSymlinkNofollow) == 0 else { throw .EINVAL }
    let ctx = PathContext(l)
    let v = try VFS.lookup(l, ctx, at: uap.fd, uap.path, follow: uap.flag & VFS.atSymlinkNofollow == 0)
    try VFS.access(v, uap.amode, accessCred(ctx.cred, effective: uap.flag & VFS.atEaccess != 0))
    return 0
}

func sys_chmod(_ l: Lwp, _ uap: sys_chmod_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    try VFS.chmod(try VFS.lookup(l, ctx, uap.path), uap.mode, ctx.cred)
    return 0
}

func sys_lchmod(_ l: Lwp, _ uap: sys_lchmod_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    try VFS.chmod(try VFS.lookup(l, ctx, uap.path, follow: false), uap.mode, ctx.cred)
    return 0
}

func sys_fchmod(_ l: Lwp, _ uap: sys_fchmod_args) throws(Errno) -> SyscallResult {
    let (_, v) = try VFS.vnodeFile(l, uap.fd, notVnode: .EINVAL)
    try VFS.chmod(v, uap.mode, l.proc.cred)
    return 0
}

func sys_fchmodat(_ l: Lwp, _ uap: sys_fchmodat_args) throws(Errno) -> SyscallResult {
    guard uap.flag & ~VFS.atSymlinkNofollow == 0 else { throw .EINVAL }
    let ctx = PathContext(l)
    let v = try VFS.lookup(l, ctx, at: uap.fd, uap.path, follow: uap.flag & VFS.atSymlinkNofollow == 0)
    try VFS.chmod(v, uap.mode, ctx.cred)
    return 0
}

func sys_chown(_ l: Lwp, _ uap: sys_chown_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    try VFS.chown(try VFS.lookup(l, ctx, uap.path), uap.uid, uap.gid, ctx.cred)
    return 0
}

func sys___posix_chown(_ l: Lwp, _ uap: sys___posix_chown_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    try VFS.chown(try VFS.lookup(l, ctx, uap.path), uap.uid, uap.gid, ctx.cred)
    return 0
}

func sys_lchown(_ l: Lwp, _ uap: sys_lchown_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    try VFS.chown(try VFS.lookup(l, ctx, uap.path, follow: false), uap.uid, uap.gid, ctx.cred)
    return 0
}

func sys___posix_lchown(_ l: Lwp, _ uap: sys___posix_lchown_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    try VFS.chown(try VFS.lookup(l, ctx, uap.path, follow: false), uap.uid, uap.gid, ctx.cred)
    return 0
}

func sys_fchown(_ l: Lwp, _ uap: sys_fchown_args) throws(Errno) -> SyscallResult {
    let (_, v) = try VFS.vnodeFile(l, uap.fd, notVnode: .EINVAL)
    try VFS.chown(v, uap.uid, uap.gid, l.proc.cred)
    return 0
}

func sys___posix_fchown(_ l: Lwp, _ uap: sys___posix_fchown_args) throws(Errno) -> SyscallResult {
    let (_, v) = try VFS.vnodeFile(l, uap.fd, notVnode: .EINVAL)
    try VFS.chown(v, uap.uid, uap.gid, l.proc.cred)
    return 0
}

func sys_fchownat(_ l: Lwp, _ uap: sys_fchownat_args) throws(Errno) -> SyscallResult {
    guard uap.flag & ~VFS.atSymlinkNofollow == 0 else { throw .EINVAL }
    let ctx = PathContext(l)
    let v = try VFS.lookup(l, ctx, at: uap.fd, uap.path, follow: uap.flag & VFS.atSymlinkNofollow == 0)
    try VFS.chown(v, uap.owner, uap.group, ctx.cred)
    return 0
}

/// A `struct timeval[2]` argument: nil means now.
private func timevals(_ l: Lwp, _ user: UnsafeRawPointer?) throws(Errno) -> (NetBSDTimespec?, NetBSDTimespec?, Bool) {
    guard let user else {
        let now = VFS.now()
        return (now, now, false)
    }
    let tv = try copyin(l, from: user, count: 2, as: NetBSDTimeval.self)
    var out: [NetBSDTimespec] = []
    for t in tv {
        guard t.usec >= 0 && t.usec < 1_000_000 else { throw .EINVAL }
        var ts = NetBSDTimespec()
        ts.sec = t.sec
        ts.nsec = Int64(t.usec) * 1000
        out.append(ts)
    }
    return (out[0], out[1], true)
}

/// NetBSD's UTIME_NOW and UTIME_OMIT.
private let utimeNow: Int64 = (1 << 30) - 1
private let utimeOmit: Int64 = (1 << 30) - 2

/// A `struct timespec[2]` argument (utimensat, futimens).
private func timespecs(_ l: Lwp, _ user: UnsafeRawPointer?) throws(Errno) -> (NetBSDTimespec?, NetBSDTimespec?, Bool) {
    guard let user else {
        let now = VFS.now()
        return (now, now, false)
    }
    let ts = try copyin(l, from: user, count: 2, as: NetBSDTimespec.self)
    let now = VFS.now()
    var explicit = false
    var out: [NetBSDTimespec?] = []
    for t in ts {
        switch t.nsec {
        case utimeNow: out.append(now)
        case utimeOmit: out.append(nil)
        default:
            guard t.nsec >= 0 && t.nsec < 1_000_000_000 else { throw .EINVAL }
            explicit = true
            out.append(t)
        }
    }
    return (out[0], out[1], explicit)
}

func sys_utimes(_ l: Lwp, _ uap: sys_utimes_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    let v = try VFS.lookup(l, ctx, uap.path)
    let t = try timevals(l, uap.tptr)
    try VFS.setTimes(v, (t.0, t.1), explicit: t.2, ctx.cred)
    return 0
}

func sys_lutimes(_ l: Lwp, _ uap: sys_lutimes_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    let v = try VFS.lookup(l, ctx, uap.path, follow: false)
    let t = try timevals(l, uap.tptr)
    try VFS.setTimes(v, (t.0, t.1), explicit: t.2, ctx.cred)
    return 0
}

func sys_futimes(_ l: Lwp, _ uap: sys_futimes_args) throws(Errno) -> SyscallResult {
    let (_, v) = try VFS.vnodeFile(l, uap.fd, notVnode: .EINVAL)
    let t = try timevals(l, uap.tptr)
    try VFS.setTimes(v, (t.0, t.1), explicit: t.2, l.proc.cred)
    return 0
}

func sys_utimensat(_ l: Lwp, _ uap: sys_utimensat_args) throws(Errno) -> SyscallResult {
    guard uap.flag & ~VFS.atSymlinkNofollow == 0 else { throw .EINVAL }
    let ctx = PathContext(l)
    let v = try VFS.lookup(l, ctx, at: uap.fd, uap.path, follow: uap.flag & VFS.atSymlinkNofollow == 0)
    let t = try timespecs(l, uap.tptr)
    try VFS.setTimes(v, (t.0, t.1), explicit: t.2, ctx.cred)
    return 0
}

func sys_futimens(_ l: Lwp, _ uap: sys_futimens_args) throws(Errno) -> SyscallResult {
    let (_, v) = try VFS.vnodeFile(l, uap.fd, notVnode: .EINVAL)
    let t = try timespecs(l, uap.tptr)
    try VFS.setTimes(v, (t.0, t.1), explicit: t.2, l.proc.cred)
    return 0
}

func sys_pathconf(_ l: Lwp, _ uap: sys_pathconf_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    let v = try VFS.lookup(l, ctx, uap.path)
    return SyscallResult(try VnodeIO.pathconf(v, uap.name))
}

func sys_umask(_ l: Lwp, _ uap: sys_umask_args) throws(Errno) -> SyscallResult {
    let old = l.proc.state.withLock { s -> UInt32 in
        let old = s.umask
        s.umask = uap.newmask & 0o7777
        return old
    }
    return SyscallResult(old)
}
