@preconcurrency import CRump

// Sleeping and waking for kernel objects: a short-term lock and wake-up
// counters, both in C storage (rump_ipc.h), so that the hot paths are a
// compare-and-swap and an increment with no allocation and no ARC.

/// A kernel object's short-term lock (NetBSD's `kmutex_t` at IPL_NONE, used
/// the way a spin mutex is): held for bounded work, never across a sleep.
/// A contender spins briefly, then sleeps in the host kernel.
struct KernelLock {
    let raw: UnsafeMutablePointer<rumpc_lock>

    /// A new, unlocked lock; `free()` it when the owner dies.
    static func make() -> KernelLock {
        let raw = UnsafeMutablePointer<rumpc_lock>.allocate(capacity: 1)
        rumpc_lock_init(raw)
        return KernelLock(raw: raw)
    }

    func free() { raw.deallocate() }

    @inline(__always) func enter() { rumpc_lock_enter(raw) }
    @inline(__always) func exit() { rumpc_lock_exit(raw) }
}

/// How a wait ended.
enum WaitResult {
    case event
    case timedOut
    /// Only from `wait(...interruptibleBy:)`: a signal is pending.
    case interrupted
    /// Only from `File.wait`: the descriptor the sleeper came through was
    /// closed (EBADF).
    case closed

    /// The error a system call ends with after this wait: EINTR for a
    /// signal, EBADF for a close; nil when it goes on.
    var error: Errno? {
        switch self {
        case .interrupted: .EINTR
        case .closed: .EBADF
        case .event, .timedOut: nil
        }
    }
}

/// Something a thread sleeps until (NetBSD's condition variable), as a
/// wake-up counter. The waiter reads `seq` under the owner's lock, drops the
/// lock and waits for the counter to move; the waker changes the object
/// under the lock and bumps the counter. A bump with nobody asleep in the
/// host kernel costs one atomic increment.
struct WaitChannel {
    let raw: UnsafeMutablePointer<rumpc_event>

    static func make() -> WaitChannel {
        let raw = UnsafeMutablePointer<rumpc_event>.allocate(capacity: 1)
        rumpc_event_init(raw)
        return WaitChannel(raw: raw)
    }

    func free() { raw.deallocate() }

    /// The counter to wait against; read under the owner's lock.
    @inline(__always) var seq: UInt32 { rumpc_event_seq(raw) }

    /// Move the counter (under the owner's lock). True if a waiter sleeps
    /// in the host kernel: then `wake()` it, after dropping the lock.
    @inline(__always) func bump() -> Bool { rumpc_event_bump(raw) }

    /// Wake every sleeper (after `bump()` said there is one).
    func wake() { rumpc_event_wake(raw) }

    /// `bump` and `wake` together, for paths that are not hot.
    func signal() { rumpc_event_signal(raw) }

    /// Wait, with the virtual CPU released, until the counter moves from
    /// `seen` or the monotonic clock reaches `deadline` (nanoseconds; nil:
    /// never). `peerCPU` is the host CPU the expected waker last ran on:
    /// the wait spins briefly if that is another CPU, yields if it is this
    /// one, and then sleeps.
    func wait(seen: UInt32, peerCPU: Int32, deadline: Int64? = nil) -> WaitResult {
        let raw = self.raw
        let result = Scheduler.blocking {
            rumpc_event_wait(raw, seen, peerCPU, deadline ?? -1)
        }
        return result == RUMPC_WAIT_TIMEDOUT ? .timedOut : .event
    }
}

extension WaitChannel {
    /// `wait`, ended early (`.interrupted`) by a signal pending in `l`'s
    /// process and not blocked for `l` (NetBSD's PCATCH sleeps). Costs a lock on
    /// the process's sleeper list before and after sleeping; plain `wait`
    /// costs nothing more.
    func wait(seen: UInt32, peerCPU: Int32, deadline: Int64? = nil,
              interruptibleBy l: Lwp) -> WaitResult {
        let signals = l.proc.signals
        if l.hasDeliverableSignal { return .interrupted }
        // Register, then re-check: a kill after the check finds us listed
        // and moves the counter, so the wait below returns at once.
        signals.addSleeper(raw)
        defer { signals.removeSleeper(raw) }
        if l.hasDeliverableSignal { return .interrupted }
        let result = wait(seen: seen, peerCPU: peerCPU, deadline: deadline)
        return l.hasDeliverableSignal ? .interrupted : result
    }
}

extension File {
    /// An interruptible `wait` by `l` for I/O on this file that also ends
    /// (`.closed`) once the descriptor `l` came through (`l.ioFd`) no longer
    /// names this file: a close of it moves `restarts` and bumps the file's
    /// channels (`FileOps.restart`), as NetBSD's fd_close restarts the
    /// sleepers. Other descriptors for the file sleep on. `seen` must be
    /// read before this call: a close after that read moves the channel.
    func wait(_ channel: WaitChannel, seen: UInt32, peerCPU: Int32, deadline: Int64? = nil,
              _ l: Lwp) -> WaitResult {
        if restarts.load(ordering: .acquiring) != 0 && !l.stillHolds(self) { return .closed }
        let result = channel.wait(seen: seen, peerCPU: peerCPU, deadline: deadline, interruptibleBy: l)
        if result == .event && restarts.load(ordering: .acquiring) != 0 && !l.stillHolds(self) {
            return .closed
        }
        return result
    }
}

extension Lwp {
    /// Whether the descriptor of the I/O in progress still names `file`.
    /// No descriptor (a kernel-internal transfer): yes.
    func stillHolds(_ file: File) -> Bool {
        let fd = ioFd
        if fd < 0 { return true }
        return (try? proc.files.get(fd)) === file
    }
}

/// Host facts the waits use.
enum HostCPU {
    /// The host CPU this thread runs on now (a read of glibc's rseq area).
    @inline(__always) static var current: Int32 { rumpc_host_cpu() }
    /// No known waker: spin the adaptive budget.
    static let unknown: Int32 = RUMPC_PEER_UNKNOWN
    /// Sleep without spinning.
    static let noSpin: Int32 = RUMPC_PEER_NOSPIN
}

/// The monotonic clock, in nanoseconds.
@inline(__always) func monotonicNow() -> Int64 { rumpc_monotonic_ns() }
