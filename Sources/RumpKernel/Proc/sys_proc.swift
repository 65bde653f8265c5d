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
/// a process group (EPERM).
func sys_setsid(_ l: Lwp) throws(Errno) -> SyscallResult {
    try procTable.withLock { (state) throws(Errno) -> SyscallResult in
        let p = l.proc
        if state.procs.values.contains(where: { $0.pgid == p.pid }) { throw .EPERM }
        p.sid = p.pid
        p.pgid = p.pid
        return SyscallResult(p.pid)
    }
}

/// NetBSD's rules: the target is the caller or one of its children, in the
/// caller's session and not a session leader; the group is the target's own
/// pid (a new group) or an existing group of that session.
func sys_setpgid(_ l: Lwp, _ uap: sys_setpgid_args) throws(Errno) -> SyscallResult {
    let pid = uap.pid, pgid = uap.pgid
    return try procTable.withLock { (state) throws(Errno) -> SyscallResult in
        guard pgid >= 0 else { throw .EINVAL }
        let me = l.proc
        let p: Proc
        if pid == 0 || pid == me.pid {
            p = me
        } else {
            guard pid > 0, let child = state.procs[pid], child.parentPid == me.pid else { throw .ESRCH }
            guard child.sid == me.sid else { throw .EPERM }
            p = child
        }
        if p.sid == p.pid { throw .EPERM }
        let newPgid = pgid == 0 ? p.pid : pgid
        if newPgid != p.pid {
            guard state.procs.values.contains(where: { $0.pgid == newPgid && $0.sid == p.sid })
            else { throw .EPERM }
        }
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
