import Synchronization

// Process identity system calls: pids, process groups, sessions, limits.

func sys_getpid(_ l: Lwp) throws(Errno) -> SyscallResult {
    let p = l.proc
    return SyscallResult(Int(p.pid), Int(p.parentPid))
}

func sys_getppid(_ l: Lwp) throws(Errno) -> SyscallResult {
    SyscallResult(l.proc.parentPid)
}

func sys__lwp_self(_ l: Lwp) throws(Errno) -> SyscallResult {
    SyscallResult(l.lid)
}

func sys_getpgrp(_ l: Lwp) throws(Errno) -> SyscallResult {
    SyscallResult(procTable.withLock { _ in l.proc.pgid })
}

/// The process `pid` names for the caller (0: the caller's own).
private func target(_ state: borrowing ProcTableState, _ pid: Int32, _ l: Lwp) throws(Errno) -> Proc {
    if pid == 0 { return l.proc }
    guard pid > 0, let p = state.procs[pid] else { throw .ESRCH }
    return p
}

func sys_getpgid(_ l: Lwp, _ uap: sys_getpgid_args) throws(Errno) -> SyscallResult {
    let pid = uap.pid
    return try procTable.withLock { (state) throws(Errno) -> SyscallResult in
        SyscallResult(try target(state, pid, l).pgid)
    }
}

func sys_getsid(_ l: Lwp, _ uap: sys_getsid_args) throws(Errno) -> SyscallResult {
    let pid = uap.pid
    return try procTable.withLock { (state) throws(Errno) -> SyscallResult in
        SyscallResult(try target(state, pid, l).sid)
    }
}

/// A new session and process group led by the caller, unless it already leads
/// a process group (EPERM). The session starts with a copy of the login name.
func sys_setsid(_ l: Lwp) throws(Errno) -> SyscallResult {
    try procTable.withLock { (state) throws(Errno) -> SyscallResult in
        let p = l.proc
        if state.procs.values.contains(where: { $0.pgid == p.pid }) { throw .EPERM }
        p.session = Session(sid: p.pid, login: p.session.login.withLock { $0 })
        p.pgid = p.pid
        return SyscallResult(p.pid)
    }
}

/// Whether `p` descends from `ancestor` (NetBSD's `p_inferior`).
private func descends(_ state: borrowing ProcTableState, _ p: Proc, from ancestor: Proc) -> Bool {
    var pid = p.parentPid
    while pid > 0 {
        if pid == ancestor.pid { return true }
        guard let parent = state.procs[pid] else { return false }
        pid = parent.parentPid
    }
    return ancestor.pid == 0
}

/// NetBSD's `proc_enterpgrp` rules: the target is the caller or a descendant
/// in the caller's session (else ESRCH / EPERM); a session leader cannot move
/// (but setting its own group is a no-op); a new group takes the target's pid;
/// an existing group must be in the target's session.
func sys_setpgid(_ l: Lwp, _ uap: sys_setpgid_args) throws(Errno) -> SyscallResult {
    let pid = uap.pid, pgid = uap.pgid
    return try procTable.withLock { (state) throws(Errno) -> SyscallResult in
        guard pgid >= 0 else { throw .EINVAL }
        let me = l.proc
        let targetPid = pid == 0 ? me.pid : pid
        let newPgid = pgid == 0 ? targetPid : pgid
        let p: Proc
        if targetPid == me.pid {
            p = me
        } else {
            guard targetPid > 0, let other = state.procs[targetPid], descends(state, other, from: me)
            else { throw .ESRCH }
            guard other.session === me.session else { throw .EPERM }
            p = other
        }
        let group = state.procs.values.first { $0.pgid == newPgid }
        if let group, group.session !== p.session { throw .EPERM }
        if p.sid == p.pid {
            guard p.pgid == newPgid else { throw .EPERM }
            return 0
        }
        if group == nil && newPgid != p.pid { throw .EPERM }
        p.pgid = newPgid
        return 0
    }
}

/// NetBSD's `struct rlimit` (two 64-bit values).
private struct RlimitBytes {
    var current: UInt64
    var maximum: UInt64
}

func sys_getrlimit(_ l: Lwp, _ uap: sys_getrlimit_args) throws(Errno) -> SyscallResult {
    guard let resource = ResourceLimits.Resource(rawValue: uap.which) else { throw .EINVAL }
    let limit = l.proc.state.withLock { $0.limits[resource] }
    try copyout(l, RlimitBytes(current: limit.current, maximum: limit.maximum), to: uap.rlp)
    return 0
}

func sys_setrlimit(_ l: Lwp, _ uap: sys_setrlimit_args) throws(Errno) -> SyscallResult {
    guard let resource = ResourceLimits.Resource(rawValue: uap.which) else { throw .EINVAL }
    let new: RlimitBytes = try copyin(l, from: uap.rlp)
    try l.proc.state.withLock { (s) throws(Errno) in
        try s.limits.set(resource, .init(current: new.current, maximum: new.maximum), isRoot: s.cred.isRoot)
    }
    return 0
}
