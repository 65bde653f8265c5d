// Signal system calls: kill, sigprocmask, sigpending (NetBSD numbers and
// semantics; sigset_t is NetBSD's 16-byte `struct { uint32_t __bits[4]; }`).

/// NetBSD's `sigset_t` (also read by pollts and pselect).
struct NetBSDSigset: BitwiseCopyable {
    var low: UInt64 = 0     // __bits[0], __bits[1]: signals 1 ... 64
    var high: UInt64 = 0    // __bits[2], __bits[3]: unused with NSIG 64
}

/// Whether `sender` may signal `target` (NetBSD's KAUTH_PROCESS_SIGNAL):
/// root may; otherwise a real or effective uid of the sender must match a
/// real or effective uid of the target (`kauth_cred_uidmatch`), or the
/// signal is SIGCONT within the sender's session.
private func maySignal(_ sender: Cred, _ senderProc: Proc, _ target: Proc, _ sig: Int32) -> Bool {
    if sender.isRoot { return true }
    let t = target.cred
    if sender.uid == t.uid || sender.euid == t.uid || sender.uid == t.euid || sender.euid == t.euid {
        return true
    }
    let sigcont: Int32 = 19
    return sig == sigcont && procTable.withLock { _ in senderProc.session === target.session }
}

func sys_kill(_ l: Lwp, _ uap: sys_kill_args) throws(Errno) -> SyscallResult {
    let sig = uap.signum
    let pid = uap.pid
    guard sig >= 0 && sig < Sig.nsig else { throw .EINVAL }
    let me = l.proc
    let cred = me.cred
    if pid > 0 {
        guard let p = procTable.withLock({ $0.procs[pid] }) else { throw .ESRCH }
        guard maySignal(cred, me, p, sig) else { throw .EPERM }
        if sig != 0 { SignalDelivery.post(p, sig) }
        return 0
    }
    // killpg1: a process group (0: the caller's) or, for -1, everybody but
    // the kernel, init (pid 1) and the caller; ESRCH if none may be signalled.
    let candidates: [Proc] = procTable.withLock { state in
        if pid == -1 {
            return state.procs.values.filter { $0.pid > 1 && $0 !== me }
        }
        let pgid = pid == 0 ? me.pgid : -pid
        return state.procs.values.filter { $0.pgid == pgid && $0.pid > 1 }
    }
    var found = 0
    for p in candidates.sorted(by: { $0.pid < $1.pid }) where maySignal(cred, me, p, sig) {
        found += 1
        if sig != 0 { SignalDelivery.post(p, sig) }
    }
    guard found > 0 else { throw .ESRCH }
    return 0
}

func sys_sigprocmask(_ l: Lwp, _ uap: sys_sigprocmask_args) throws(Errno) -> SyscallResult {
    let sigBlock: Int32 = 1, sigUnblock: Int32 = 2, sigSetmask: Int32 = 3
    var new: UInt64? = nil
    if let set = uap.set { new = try copyin(l, from: set, as: NetBSDSigset.self).low }
    let p = l.proc
    let signals = p.signals
    let old = try signals.lock.withLock { (_) throws(Errno) -> UInt64 in
        let old = signals.blocked.load(ordering: .sequentiallyConsistent)
        guard let new else { return old }
        var mask: UInt64
        switch uap.how {
        case sigBlock: mask = old | new
        case sigUnblock: mask = old & ~new
        case sigSetmask: mask = new
        default: throw .EINVAL
        }
        mask &= ~Sig.cantMask
        signals.blocked.store(mask, ordering: .sequentiallyConsistent)
        return old
    }
    if new != nil { SignalDelivery.maskChanged(p) }
    if let oset = uap.oset { try copyout(l, NetBSDSigset(low: old), to: oset) }
    return 0
}

func sys_sigpending(_ l: Lwp, _ uap: sys_sigpending_args) throws(Errno) -> SyscallResult {
    let pending = l.proc.signals.pending.load(ordering: .sequentiallyConsistent)
    try copyout(l, NetBSDSigset(low: pending), to: uap.set)
    return 0
}
