@preconcurrency import CRump
import Glibc

/// `enum rump_sigmodel` values (`rump_boot_setsigmodel`).
enum SigModel {
    static let panic: Int32 = 0
    static let ignore: Int32 = 1
    static let hostCompat: Int32 = 2
    static let raise: Int32 = 3
    static let record: Int32 = 4
}

/// Posting signals to rump processes, as the reference's rumpsig handlers:
/// - RAISE (the default, and the compat value 2): raised in the host process
///   with the host's number for the signal; a signal the process blocks
///   waits pending and is raised when it is unblocked;
/// - RECORD: marked pending in the process; interruptible sleeps of the
///   process end with EINTR while it is pending and not blocked;
/// - IGNORE: dropped;
/// - PANIC: a kernel panic, except SIGSYS and SIGPIPE, which are dropped.
enum SignalDelivery {
    /// NetBSD's psignal/kpsignal2: post `sig` (1 ..< NSIG) to `p`.
    static func post(_ p: Proc, _ sig: Int32) {
        let signals = p.signals
        // EVFILT_SIGNAL counts every attempt, even one that is dropped.
        p.klist.post(.signal(sig))
        switch Boot.sigmodel {
        case SigModel.ignore:
            return
        case SigModel.panic:
            if sig == Sig.sys || sig == Sig.pipe { return }
            Console.panic("unhandled signal \(sig)")
            abort()
        case SigModel.record:
            signals.lock.withLock { _ in
                _ = signals.pending.bitwiseOr(Sig.bit(sig), ordering: .sequentiallyConsistent)
            }
            // Even when the process blocks it: a pollts/pselect may sleep
            // with a mask that lets it through. Sleepers check for themselves.
            signals.wakeSleepers()
        default:
            let deferred = signals.lock.withLock { _ -> Bool in
                if signals.blocked.load(ordering: .sequentiallyConsistent) & Sig.bit(sig) != 0 {
                    _ = signals.pending.bitwiseOr(Sig.bit(sig), ordering: .sequentiallyConsistent)
                    return true
                }
                return false
            }
            if !deferred { raise(sig, in: p) }
        }
    }

    /// After the mask changed: raise (RAISE model) the pending signals it
    /// no longer blocks, or wake (RECORD) the sleepers they interrupt.
    static func maskChanged(_ p: Proc) {
        let signals = p.signals
        switch Boot.sigmodel {
        case SigModel.raise, SigModel.hostCompat:
            let due = signals.lock.withLock { _ -> UInt64 in
                let due = signals.pending.load(ordering: .sequentiallyConsistent)
                    & ~signals.blocked.load(ordering: .sequentiallyConsistent)
                _ = signals.pending.bitwiseAnd(~due, ordering: .sequentiallyConsistent)
                return due
            }
            raiseAll(due, in: p)
        default:
            if signals.hasDeliverable { signals.wakeSleepers() }
        }
    }

    /// Raise every NetBSD signal in `set` for `p`, lowest first.
    static func raiseAll(_ set: UInt64, in p: Proc) {
        var sig: Int32 = 1
        while sig < Sig.nsig {
            if set & Sig.bit(sig) != 0 { raise(sig, in: p) }
            sig += 1
        }
    }

    /// Raise NetBSD signal `sig` in the host process, as its host number
    /// (rumpuser's rump2host table); a signal the host lacks is dropped.
    static func raiseOnHost(_ sig: Int32) {
        if let host = hostNumber(sig) { _ = Glibc.raise(host) }
    }

    /// Raise `sig` where `p` runs: in this host process, or in a remote
    /// process's client, which translates the NetBSD number itself.
    static func raise(_ sig: Int32, in p: Proc) {
        switch p.addressSpace {
        case .local: raiseOnHost(sig)
        case .remote(let connection): _ = rumpc_sp_raise(connection, sig)
        }
    }

    /// NetBSD signal number → Linux signal number.
    static func hostNumber(_ sig: Int32) -> Int32? {
        switch sig {
        case 1...6, 8, 9, 11, 13, 14, 15, 21, 22, 24, 25, 26, 27, 28:
            return sig                  // HUP INT QUIT ILL TRAP ABRT FPE KILL SEGV PIPE ALRM TERM TTIN TTOU XCPU XFSZ VTALRM PROF WINCH
        case 10: return SIGBUS          // 7 on Linux
        case 12: return SIGSYS          // 31
        case 16: return SIGURG          // 23
        case 17: return SIGSTOP         // 19
        case 18: return SIGTSTP         // 20
        case 19: return SIGCONT         // 18
        case 20: return SIGCHLD         // 17
        case 23: return SIGIO           // 29
        case 30: return SIGUSR1         // 10
        case 31: return SIGUSR2         // 12
        case 32: return SIGPWR          // 30
        case 33..<Sig.nsig:
            // NetBSD's real-time signals SIGRTMIN 33 ... SIGRTMAX 63.
            let host = __libc_current_sigrtmin() + (sig - 33)
            return host <= __libc_current_sigrtmax() ? host : nil
        default:
            return nil                  // SIGEMT 7, SIGINFO 29: no host twin
        }
    }
}
