@preconcurrency import CRump
import Synchronization

/// NetBSD signal numbers and signal sets (`sigset_t`, bit `sig - 1`).
enum Sig {
    /// NSIG: valid signals are 1 ..< 64.
    static let nsig: Int32 = 64
    static let kill: Int32 = 9
    static let sys: Int32 = 12
    static let pipe: Int32 = 13
    static let stop: Int32 = 17

    @inline(__always) static func bit(_ sig: Int32) -> UInt64 { 1 << UInt64(sig - 1) }

    /// What no mask can block (NetBSD's `sigcantmask`).
    static let cantMask = bit(kill) | bit(stop)
}

/// A process's signal state: pending signals (NetBSD's `p_sigpend`) and the
/// blocked mask. NetBSD keeps the mask per lwp (`l_sigmask`); here the whole
/// process shares one, as all of a rump process's lwps run on the host
/// threads of one host process.
///
/// `pending` and `blocked` are atomics so that an interruptible sleep checks
/// them without a lock; they change under `lock` (kill and sigprocmask only).
final class ProcSignals {
    let pending = Atomic<UInt64>(0)
    let blocked = Atomic<UInt64>(0)
    /// The process is going away (its remote client left): every
    /// interruptible sleep ends, as for a signal nothing can block.
    let ending = Atomic<Bool>(false)
    /// Serialises changes of `pending` and `blocked`.
    let lock = Mutex<Void>(())
    /// The wait channels this process's lwps sleep on interruptibly; a new
    /// pending signal wakes them.
    private let sleepers = Mutex<[UnsafeMutablePointer<rumpc_event>]>([])

    init() {}

    /// Whether a pending signal is not blocked: an interruptible sleep ends.
    @inline(__always) var hasDeliverable: Bool {
        pending.load(ordering: .sequentiallyConsistent)
            & ~blocked.load(ordering: .sequentiallyConsistent) != 0
            || ending.load(ordering: .sequentiallyConsistent)
    }

    /// End the process's sleeps for good (`ending`).
    func end() {
        ending.store(true, ordering: .sequentiallyConsistent)
        wakeSleepers()
    }

    func addSleeper(_ event: UnsafeMutablePointer<rumpc_event>) {
        sleepers.withLock { $0.append(event) }
    }

    func removeSleeper(_ event: UnsafeMutablePointer<rumpc_event>) {
        sleepers.withLock { list in
            if let i = list.lastIndex(of: event) { list.remove(at: i) }
        }
    }

    /// Wake every interruptible sleeper (they re-check `hasDeliverable`).
    /// A sleeper leaves the list before its channel can die, and does so
    /// under the same lock, so the channels here are live.
    func wakeSleepers() {
        sleepers.withLock { list in
            for event in list { rumpc_event_signal(event) }
        }
    }
}

extension Lwp {
    /// Whether a signal pending in the process is not blocked for this lwp:
    /// by the mask of the pollts/pselect it sleeps in, else the process's.
    @inline(__always) var hasDeliverableSignal: Bool {
        let signals = proc.signals
        let mask = sleepMask ?? signals.blocked.load(ordering: .sequentiallyConsistent)
        return signals.pending.load(ordering: .sequentiallyConsistent) & ~mask != 0
            || signals.ending.load(ordering: .sequentiallyConsistent)
    }

    /// Run `body` with `requested` (if given) as this lwp's signal mask, as
    /// pollts and pselect sleep (NetBSD's sigsuspendsetup/teardown). Under
    /// the RAISE model the pending signals it lets through are raised on the
    /// host first; under RECORD they interrupt the sleeps in `body`.
    func withSleepMask<R>(_ requested: UInt64?, _ body: () throws(Errno) -> R) throws(Errno) -> R {
        guard let requested else { return try body() }
        let mask = requested & ~Sig.cantMask
        if Boot.sigmodel == SigModel.raise || Boot.sigmodel == SigModel.hostCompat {
            let signals = proc.signals
            let due = signals.lock.withLock { _ -> UInt64 in
                let due = signals.pending.load(ordering: .sequentiallyConsistent) & ~mask
                _ = signals.pending.bitwiseAnd(~due, ordering: .sequentiallyConsistent)
                return due
            }
            SignalDelivery.raiseAll(due, in: proc)
        }
        sleepMask = mask
        defer { sleepMask = nil }
        return try body()
    }
}
