// What poll, pollts, select and pselect share: timeouts, the scan-and-sleep
// loop, and NetBSD's idea of the descriptor table's size.

/// A poll or select timeout as a monotonic deadline in nanoseconds; nil:
/// wait for ever. A timeout must have non-negative seconds and nanoseconds
/// below one second, else EINVAL (NetBSD's itimespecfix). NetBSD rounds a
/// non-zero timeout up to a clock tick (10 ms); this kernel sleeps exactly.
func pollDeadline(_ timeout: NetBSDTimespec?) throws(Errno) -> Int64? {
    guard let timeout else { return nil }
    guard timeout.sec >= 0 && timeout.nsec >= 0 && timeout.nsec < 1_000_000_000 else { throw .EINVAL }
    let (seconds, overflow) = timeout.sec.multipliedReportingOverflow(by: 1_000_000_000)
    let (deadline, overflow2) = monotonicNow().addingReportingOverflow(seconds &+ timeout.nsec)
    // Centuries away: the same as never.
    if overflow || overflow2 || seconds > Int64.max / 2 { return nil }
    return deadline
}

/// NetBSD's sel_do_scan: scan the descriptors, registering the caller with
/// each file that has nothing ready; if none is ready, sleep (with the
/// virtual CPU released) until one of them changes or the deadline passes,
/// then scan again. `scan` returns how many it found ready; a past
/// deadline scans once. A timeout returns 0 without another scan; a
/// signal for `l` ends the sleep with EINTR. A close of a polled descriptor
/// wakes the sleep (`FileOps.restart` notifies the file's pollers), and the
/// next scan reports it.
func pollWait(_ l: Lwp, deadline: Int64?, _ scan: (PollWaiter?) throws(Errno) -> Int) throws(Errno) -> Int {
    if let deadline, deadline <= monotonicNow() {
        return try scan(nil)
    }
    let waiter = PollWaiter()
    defer { waiter.clear() }
    while true {
        // Read before scanning: a change after a file's check moves it.
        let seen = waiter.channel.seq
        let ready = try scan(waiter)
        if ready > 0 { return ready }
        switch waiter.channel.wait(seen: seen, peerCPU: HostCPU.unknown, deadline: deadline,
                                   interruptibleBy: l) {
        case .timedOut: return 0
        case .interrupted: throw .EINTR
        case .event, .closed: break
        }
        waiter.clear()
    }
}

/// NetBSD's poll event masks for the three select sets: readable,
/// writable, and exceptional (out-of-band data).
let selectEvents: (Int32, Int32, Int32) = (
    PollEvents.pollrdnorm | PollEvents.pollhup | PollEvents.pollerr,
    PollEvents.pollwrnorm | PollEvents.pollhup | PollEvents.pollerr,
    PollEvents.pollrdband
)

extension FileTable {
    /// The size NetBSD's descriptor table would have (`dt_nfiles`): NDFILE
    /// (20) entries, grown to NDEXTENT (50) and then by doubling to hold
    /// the highest descriptor. poll refuses more than 1000 entries beyond
    /// it; select ignores descriptors at or past it.
    var netbsdTableSize: Int {
        let highest = Int(self.highest)
        var size = 20
        while size <= highest { size = size < 50 ? 50 : size * 2 }
        return size
    }
}
