import Glibc
import Synchronization

// The callout of kqueue timers: a kevent sleeper computes its own wake-up
// from its timers, but a poll or select of a kqueue descriptor (or a
// kqueue watching another) sleeps on the kqueue's `SelInfo` with its own
// timeout; this wakes those pollers when a timer they wait for comes due.

enum KqueueTimers {
    private struct Entry {
        let deadline: Int64
        weak var kq: Kqueue?
    }

    private struct State {
        var entries: [Entry] = []
        var started = false
    }

    private static let state = Mutex(State())
    /// The timer thread sleeps here until the nearest deadline or a new one.
    private static let channel = WaitChannel.make()

    /// Notify `kq`'s pollers at `deadline` (monotonic ns).
    static func wake(_ kq: Kqueue, at deadline: Int64) {
        let start = state.withLock { s -> Bool? in
            if s.entries.contains(where: { $0.kq === kq && $0.deadline <= deadline }) { return nil }
            s.entries.append(Entry(deadline: deadline, kq: kq))
            if s.started { return false }
            s.started = true
            return true
        }
        switch start {
        case true?:
            var thread = pthread_t()
            let error = pthread_create(&thread, nil, { _ in
                KqueueTimers.run()
                return nil
            }, nil)
            if error == 0 { pthread_detach(thread) } else { state.withLock { $0.started = false } }
        case false?:
            channel.signal()
        case nil:
            break
        }
    }

    private static func run() {
        while true {
            let seen = channel.seq
            let now = monotonicNow()
            var due: [Kqueue] = []
            let next = state.withLock { s -> Int64? in
                var keep: [Entry] = []
                for e in s.entries {
                    guard let kq = e.kq else { continue }
                    if e.deadline <= now { due.append(kq) } else { keep.append(e) }
                }
                s.entries = keep
                return keep.map(\.deadline).min()
            }
            for kq in due { kq.sel.notify() }
            due.removeAll()
            _ = channel.wait(seen: seen, peerCPU: HostCPU.noSpin, deadline: next)
        }
    }
}
