import Glibc
import Synchronization

/// The kernel's clocks, with NetBSD's clock ids. The realtime clock is the
/// host's plus an offset that root may set (the host's clock is never touched).
enum Clock {
    static let realtime: Int32 = 0
    static let virtual: Int32 = 1
    static let prof: Int32 = 2
    static let monotonic: Int32 = 3

    /// Nanoseconds added to the host's realtime clock.
    private static let realtimeOffset = Atomic<Int64>(0)

    static func now(_ id: Int32) throws(Errno) -> timespec {
        var ts = timespec()
        switch id {
        case realtime:
            clock_gettime(CLOCK_REALTIME, &ts)
            return ts.adding(nanoseconds: realtimeOffset.load(ordering: .relaxed))
        case monotonic:
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return ts
        default:
            throw .EINVAL
        }
    }

    /// Set the realtime clock (root checks are the caller's).
    static func setRealtime(_ ts: timespec) {
        var host = timespec()
        clock_gettime(CLOCK_REALTIME, &host)
        realtimeOffset.store(ts.nanoseconds - host.nanoseconds, ordering: .relaxed)
    }

    /// NetBSD's `itimespecfix`: a valid duration or time has a non-negative
    /// second count and nanoseconds below one second.
    static func validate(_ ts: timespec) throws(Errno) {
        guard ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1_000_000_000 else { throw .EINVAL }
    }
}

extension timespec {
    var nanoseconds: Int64 { Int64(tv_sec) &* 1_000_000_000 &+ Int64(tv_nsec) }

    init(nanoseconds ns: Int64) {
        self.init(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000))
        if tv_nsec < 0 {
            tv_sec -= 1
            tv_nsec += 1_000_000_000
        }
    }

    func adding(nanoseconds ns: Int64) -> timespec { timespec(nanoseconds: nanoseconds &+ ns) }
}
