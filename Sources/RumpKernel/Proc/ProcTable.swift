import Synchronization

/// Every process and lwp of the kernel, with pid allocation.
///
/// One lock guards the tree, as NetBSD's `proc_lock` does; no system call on the
/// hot path takes it (they reach their process through their lwp).
struct ProcTableState: ~Copyable {
    var procs: [Int32: Proc] = [:]
    /// Live lwps by address: what makes a `struct lwp *` from C safe to use.
    var lwps: [UnsafeMutableRawPointer: Lwp] = [:]
    var lastPid: Int32 = 1
    /// Event counters.
    var forks: UInt64 = 0
    var lwpsMade: UInt64 = 0
}

/// The global process table.
let procTable = Mutex(ProcTableState())

/// NetBSD's PID_MAX: pids wrap after it.
let pidMax: Int32 = 30000

/// The processes every kernel has: pid 0 (the kernel's own) and pid 1, the
/// default process that implicit lwps run in.
nonisolated(unsafe) var proc0: Proc! = nil
nonisolated(unsafe) var proc1: Proc! = nil

extension ProcTableState {
    /// The next free pid after the last one handed out, as NetBSD allocates them:
    /// increasing, wrapping after PID_MAX, never reusing one that still names a
    /// process, a process group or a session.
    mutating func allocatePid() throws(Errno) -> Int32 {
        var candidate = lastPid
        for _ in 0..<pidMax {
            candidate = candidate >= pidMax ? 2 : candidate + 1
            if procs[candidate] == nil && !procs.values.contains(where: {
                $0.pgid == candidate || $0.sid == candidate
            }) {
                lastPid = candidate
                return candidate
            }
        }
        throw .EAGAIN
    }

    /// Make a new lwp in `proc` and register it; `held`: already claimed by
    /// its owner (a kernel thread, the remote server), so no thread may switch to it.
    mutating func makeLwp(in proc: Proc, implicit: Bool, held: Bool = false) -> Lwp {
        let lwp = Lwp(proc: proc, lid: proc.nextLid, implicit: implicit)
        lwp.onThread = held
        proc.nextLid &+= 1
        if !implicit { proc.lwpCount += 1 }
        lwpsMade += 1
        lwps[lwp.opaque] = lwp
        return lwp
    }

    /// Drop an lwp; a process other than 0 and 1 ends with its last lwp.
    /// Returns the descriptor table the caller must close once it has let go
    /// of the table's lock (see `releaseLwp`), if the process ended with it.
    mutating func freeLwp(_ lwp: Lwp) -> FileTable? {
        lwps[lwp.opaque] = nil
        guard !lwp.isImplicit else { return nil }
        let proc = lwp.proc
        proc.lwpCount -= 1
        if proc.lwpCount == 0 && proc.pid > 1 {
            return exitProc(proc)
        }
        return nil
    }

    /// Remove a process; its children are handed to pid 1, as init adopts
    /// orphans. Returns its descriptor table if no other process uses it.
    mutating func exitProc(_ proc: Proc) -> FileTable? {
        proc.exiting = true
        procs[proc.pid] = nil
        // A rump process ends when its last lwp is released: status 0.
        proc.klist.post(.exit(status: 0))
        for child in procs.values where child.parentPid == proc.pid {
            child.parentPid = 1
        }
        proc.files.users -= 1
        return proc.files.users == 0 ? proc.files : nil
    }

    /// The live lwp at a C address, if there is one.
    func lwp(at pointer: UnsafeMutableRawPointer?) -> Lwp? {
        guard let pointer else { return nil }
        return lwps[pointer]
    }
}

/// Release the lwp at `pointer`, if it is live. If its process ends with it,
/// the process's descriptors close after the table's lock is dropped: closing
/// runs file and device code that may enter the process table itself.
func releaseLwp(at pointer: UnsafeMutableRawPointer?) {
    let ended = procTable.withLock { state -> FileTable? in
        guard let lwp = state.lwp(at: pointer) else { return nil }
        lwp.onThread = false
        return state.freeLwp(lwp)
    }
    ended?.closeAll()
}
