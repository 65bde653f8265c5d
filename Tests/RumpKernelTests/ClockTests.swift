import Glibc
import Testing

@testable import RumpKernel

private func ts(_ sec: Int, _ nsec: Int) -> timespec { timespec(tv_sec: sec, tv_nsec: nsec) }

private func host(_ clock: clockid_t) -> Int64 {
    var t = timespec()
    clock_gettime(clock, &t)
    return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
}

@Suite("Clocks")
struct ClockTests {
    @Test("NetBSD clock ids")
    func ids() {
        #expect(Clock.realtime == 0)
        #expect(Clock.virtual == 1)
        #expect(Clock.prof == 2)
        #expect(Clock.monotonic == 3)
    }

    @Test("valid times", arguments: [(0, 0), (1, 999_999_999), (0, 1), (Int.max, 0), (1_700_000_000, 500)])
    func valid(_ sec: Int, _ nsec: Int) throws {
        try Clock.validate(ts(sec, nsec))
    }

    @Test("invalid times are EINVAL", arguments: [
        (-1, 0), (-1, 999_999_999), (0, 1_000_000_000), (0, -1), (5, 2_000_000_000), (Int.min, 0),
    ])
    func invalid(_ sec: Int, _ nsec: Int) {
        #expect(throws: Errno.EINVAL) { try Clock.validate(ts(sec, nsec)) }
    }

    @Test("timespec from nanoseconds is normalised", arguments: [
        (0, 0, 0),
        (1, 0, 1),
        (999_999_999, 0, 999_999_999),
        (1_000_000_000, 1, 0),
        (1_500_000_000, 1, 500_000_000),
        (-1, -1, 999_999_999),
        (-999_999_999, -1, 1),
        (-1_000_000_000, -1, 0),
        (-1_500_000_000, -2, 500_000_000),
        (-2_000_000_001, -3, 999_999_999),
    ] as [(Int64, Int, Int)])
    func fromNanoseconds(_ ns: Int64, _ sec: Int, _ nsec: Int) {
        let t = timespec(nanoseconds: ns)
        #expect(t.tv_sec == sec)
        #expect(t.tv_nsec == nsec)
        #expect((0..<1_000_000_000).contains(t.tv_nsec))
        // And back.
        #expect(t.nanoseconds == ns)
    }

    @Test("nanoseconds of a timespec")
    func toNanoseconds() {
        #expect(ts(2, 5).nanoseconds == 2_000_000_005)
        #expect(ts(0, 0).nanoseconds == 0)
        #expect(ts(-1, 500_000_000).nanoseconds == -500_000_000)
    }

    @Test("adding nanoseconds carries and borrows")
    func adding() {
        let a = ts(1, 900_000_000).adding(nanoseconds: 200_000_000)
        #expect(a.tv_sec == 2 && a.tv_nsec == 100_000_000)
        let b = ts(1, 100_000_000).adding(nanoseconds: -200_000_000)
        #expect(b.tv_sec == 0 && b.tv_nsec == 900_000_000)
        let c = ts(0, 0).adding(nanoseconds: -1)
        #expect(c.tv_sec == -1 && c.tv_nsec == 999_999_999)
        let d = ts(5, 5).adding(nanoseconds: 0)
        #expect(d.tv_sec == 5 && d.tv_nsec == 5)
    }

    @Test("CLOCK_REALTIME (0) follows the host's realtime clock")
    func realtime() throws {
        let before = host(CLOCK_REALTIME)
        let now = try Clock.now(0)
        let after = host(CLOCK_REALTIME)
        #expect((0..<1_000_000_000).contains(now.tv_nsec))
        // No test sets the clock; allow a generous margin for a settable offset of 0.
        #expect(now.nanoseconds >= before - 1_000_000_000)
        #expect(now.nanoseconds <= after + 1_000_000_000)
        #expect(now.tv_sec > 1_600_000_000)  // after September 2020
    }

    @Test("CLOCK_MONOTONIC (3) is the host's monotonic clock and never goes back")
    func monotonic() throws {
        let before = host(CLOCK_MONOTONIC)
        let first = try Clock.now(3)
        let second = try Clock.now(Clock.monotonic)
        let after = host(CLOCK_MONOTONIC)
        #expect(first.nanoseconds >= before)
        #expect(second.nanoseconds >= first.nanoseconds)
        #expect(second.nanoseconds <= after)
        #expect((0..<1_000_000_000).contains(first.tv_nsec))
    }

    @Test("other clock ids are EINVAL", arguments: [1, 2, 4, 99, -1, Int32.max] as [Int32])
    func unknownClock(_ id: Int32) {
        #expect(throws: Errno.EINVAL) { try Clock.now(id) }
    }
}
