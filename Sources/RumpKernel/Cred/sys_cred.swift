// Identity system calls, with NetBSD's rules (kern_prot.c): root may change
// any id; others only to ids they already hold, as each call's rules say.

func sys_getuid(_ l: Lwp) throws(Errno) -> SyscallResult {
    let c = l.proc.cred
    return SyscallResult(Int(c.uid), Int(c.euid))
}

func sys_geteuid(_ l: Lwp) throws(Errno) -> SyscallResult {
    SyscallResult(l.proc.cred.euid)
}

func sys_getgid(_ l: Lwp) throws(Errno) -> SyscallResult {
    let c = l.proc.cred
    return SyscallResult(Int(c.gid), Int(c.egid))
}

func sys_getegid(_ l: Lwp) throws(Errno) -> SyscallResult {
    SyscallResult(l.proc.cred.egid)
}

func sys_issetugid(_ l: Lwp) throws(Errno) -> SyscallResult {
    SyscallResult(l.proc.state.withLock { $0.setugid } ? 1 : 0)
}

/// Apply a credential change to the caller's process; a change that takes
/// effect marks the process set-id (`issetugid`).
private func changeCred(_ l: Lwp, _ change: (inout Cred) throws(Errno) -> Bool) throws(Errno) -> SyscallResult {
    try l.proc.state.withLock { (s) throws(Errno) in
        var cred = s.cred
        if try change(&cred) {
            s.cred = cred
            s.setugid = true
        }
    }
    return 0
}

func sys_setuid(_ l: Lwp, _ uap: sys_setuid_args) throws(Errno) -> SyscallResult {
    let uid = uap.uid
    return try changeCred(l) { (c) throws(Errno) in
        try c.setUids(real: uid, effective: uid, saved: uid,
                      rules: .equalsReal, e: .equalsReal, s: .equalsReal)
    }
}

func sys_seteuid(_ l: Lwp, _ uap: sys_seteuid_args) throws(Errno) -> SyscallResult {
    let euid = uap.euid
    return try changeCred(l) { (c) throws(Errno) in
        try c.setUids(real: Cred.unchanged, effective: euid, saved: Cred.unchanged,
                      rules: [], e: [.equalsReal, .equalsSaved], s: [])
    }
}

/// setreuid/setregid: -1 keeps an id; the saved id follows the new effective
/// one when the real id changes.
private func setReal(_ l: Lwp, _ ids: Cred.IdFields, real newReal: UInt32,
                     effective newEffective: UInt32) throws(Errno) -> SyscallResult {
    try changeCred(l) { (c) throws(Errno) in
        let real = newReal == Cred.unchanged ? c[keyPath: ids.real] : newReal
        let effective = newEffective == Cred.unchanged ? c[keyPath: ids.effective] : newEffective
        let saved = real == c[keyPath: ids.real] ? Cred.unchanged : effective
        return try c.setIds(ids, real: real, effective: effective, saved: saved,
                            rules: [.equalsReal, .equalsEffective],
                            e: [.equalsReal, .equalsEffective, .equalsSaved],
                            s: .equalsReal)
    }
}

func sys_setreuid(_ l: Lwp, _ uap: sys_setreuid_args) throws(Errno) -> SyscallResult {
    try setReal(l, Cred.userIds, real: uap.ruid, effective: uap.euid)
}

func sys_setgid(_ l: Lwp, _ uap: sys_setgid_args) throws(Errno) -> SyscallResult {
    let gid = uap.gid
    return try changeCred(l) { (c) throws(Errno) in
        try c.setGids(real: gid, effective: gid, saved: gid,
                      rules: .equalsReal, e: .equalsReal, s: .equalsReal)
    }
}

func sys_setegid(_ l: Lwp, _ uap: sys_setegid_args) throws(Errno) -> SyscallResult {
    let egid = uap.egid
    return try changeCred(l) { (c) throws(Errno) in
        try c.setGids(real: Cred.unchanged, effective: egid, saved: Cred.unchanged,
                      rules: [], e: [.equalsReal, .equalsSaved], s: [])
    }
}

func sys_setregid(_ l: Lwp, _ uap: sys_setregid_args) throws(Errno) -> SyscallResult {
    try setReal(l, Cred.groupIds, real: uap.rgid, effective: uap.egid)
}

/// getgroups(0, _) reports the count; a smaller non-zero size is EINVAL.
func sys_getgroups(_ l: Lwp, _ uap: sys_getgroups_args) throws(Errno) -> SyscallResult {
    let groups = l.proc.cred.groups
    let size = Int(uap.gidsetsize)
    if size == 0 { return SyscallResult(groups.count) }
    guard size >= groups.count else { throw .EINVAL }
    try copyout(l, contentsOf: groups, to: uap.gidset)
    return SyscallResult(groups.count)
}

/// setgroups: root only, at most NGROUPS_MAX (16) groups.
func sys_setgroups(_ l: Lwp, _ uap: sys_setgroups_args) throws(Errno) -> SyscallResult {
    let size = Int(uap.gidsetsize)
    guard size >= 0 && size <= Cred.maxGroups else { throw .EINVAL }
    let groups = try copyin(l, from: uap.gidset, count: size, as: UInt32.self)
    return try changeCred(l) { (c) throws(Errno) in
        guard c.isRoot else { throw .EPERM }
        let changed = c.groups != groups
        c.groups = groups
        return changed
    }
}

/// NetBSD's MAXLOGNAME: login names are at most 16 bytes plus the NUL.
let maxLoginName = 17

/// The session's login name, as NetBSD copies it: the first
/// min(namelen, MAXLOGNAME) bytes of the NUL-padded name, whether or not the
/// whole name fits.
func sys___getlogin(_ l: Lwp, _ uap: sys___getlogin_args) throws(Errno) -> SyscallResult {
    let session = procTable.withLock { _ in l.proc.session }
    let login = session.login.withLock { $0 }
    try copyout(l, contentsOf: login, prefix: min(Int(uap.namelen), login.count), to: uap.namebuf)
    return 0
}

/// __setlogin: root only; the name with its NUL must fit MAXLOGNAME (EINVAL).
func sys___setlogin(_ l: Lwp, _ uap: sys___setlogin_args) throws(Errno) -> SyscallResult {
    guard l.proc.cred.isRoot else { throw .EPERM }
    let name: [UInt8]
    do {
        name = try copyinstr(l, from: uap.namebuf, maxLength: maxLoginName)
    } catch .ENAMETOOLONG {
        throw .EINVAL
    }
    let session = procTable.withLock { _ in l.proc.session }
    session.login.withLock { $0 = name + [UInt8](repeating: 0, count: maxLoginName - name.count) }
    return 0
}
