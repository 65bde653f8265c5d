import Glibc
@preconcurrency import CRump

// Time system calls. NetBSD's struct timespec and struct timeval are 16 bytes
// on amd64: int64 seconds, then long nanoseconds or int microseconds.

/// NetBSD's `struct timespec`.
public struct NetBSDTimespec: BitwiseCopyable {
    public var sec: Int64 = 0
    public var nsec: Int64 = 0

    public init() {}

    init(_ ts: timespec) {
        sec = Int64(ts.tv_sec)
        nsec = Int64(ts.tv_nsec)
    }

    var host: timespec { timespec(tv_sec: Int(sec), tv_nsec: Int(nsec)) }
}

/// NetBSD's `struct timeval` (32-bit microseconds, padded to 16 bytes).
struct NetBSDTimeval: BitwiseCopyable {
    var sec: Int64
    var usec: Int32
    var pad: Int32 = 0
}

func sys_clock_gettime(_ l: Lwp, _ uap: sys_clock_gettime_args) throws(Errno) -> SyscallResult {
    let now = try Clock.now(uap.clock_id)
    try copyout(l, NetBSDTimespec(now), to: uap.tp)
    return 0
}

func sys_clock_getres(_ l: Lwp, _ uap: sys_clock_getres_args) throws(Errno) -> SyscallResult {
    _ = try Clock.now(uap.clock_id)
    // The time counter runs at 1 GHz: one nanosecond of resolution.
    if let tp = uap.tp {
        try copyout(l, NetBSDTimespec(timespec(tv_sec: 0, tv_nsec: 1)), to: tp)
    }
    return 0
}

func sys_clock_settime(_ l: Lwp, _ uap: sys_clock_settime_args) throws(Errno) -> SyscallResult {
    guard l.proc.cred.isRoot else { throw .EPERM }
    guard uap.clock_id == Clock.realtime else { throw .EINVAL }
    let ts = try copyin(l, from: uap.tp, as: NetBSDTimespec.self).host
    try Clock.validate(ts)
    Clock.setRealtime(ts)
    return 0
}

func sys_gettimeofday(_ l: Lwp, _ uap: sys_gettimeofday_args) throws(Errno) -> SyscallResult {
    if let tp = uap.tp {
        let now = try Clock.now(Clock.realtime)
        try copyout(l, NetBSDTimeval(sec: Int64(now.tv_sec), usec: Int32(now.tv_nsec / 1000)), to: tp)
    }
    if let tzp = uap.tzp {
        // struct timezone: minutes west of Greenwich and DST type, both zero.
        try copyout(l, (Int32(0), Int32(0)), to: tzp)
    }
    return 0
}

func sys_settimeofday(_ l: Lwp, _ uap: sys_settimeofday_args) throws(Errno) -> SyscallResult {
    guard l.proc.cred.isRoot else { throw .EPERM }
    if let tv = uap.tv {
        let t = try copyin(l, from: tv, as: NetBSDTimeval.self)
        guard t.sec >= 0 && t.usec >= 0 && t.usec < 1_000_000 else { throw .EINVAL }
        Clock.setRealtime(timespec(tv_sec: Int(t.sec), tv_nsec: Int(t.usec) * 1000))
    }
    return 0
}

/// Sleep until `deadline` on `clock`, with the virtual CPU released, on the
/// thread's wait channel: a signal pending and not blocked in the process
/// ends the sleep early (`interrupted`). Returns the time left (zero once
/// the deadline has passed).
private func sleep(_ l: Lwp, until deadline: timespec, on clock: Int32) -> (left: timespec, interrupted: Bool) {
    // Sleep by duration against the host's monotonic clock (our realtime
    // clock may be offset from the host's).
    let now = (try? Clock.now(clock)) ?? deadline
    let target = monotonicNow() &+ max(0, deadline.nanoseconds - now.nanoseconds)
    let channel = WaitChannel(raw: rumpc_thread_event())
    var interrupted = false
    while monotonicNow() < target {
        let seen = channel.seq
        if channel.wait(seen: seen, peerCPU: HostCPU.noSpin, deadline: target,
                        interruptibleBy: l) == .interrupted {
            interrupted = true
            break
        }
    }
    let end = (try? Clock.now(clock)) ?? deadline
    return (timespec(nanoseconds: max(0, deadline.nanoseconds - end.nanoseconds)), interrupted)
}

func sys_nanosleep(_ l: Lwp, _ uap: sys_nanosleep_args) throws(Errno) -> SyscallResult {
    let duration = try copyin(l, from: uap.rqtp, as: NetBSDTimespec.self).host
    try Clock.validate(duration)
    let start = try Clock.now(Clock.monotonic)
    let (left, interrupted) = sleep(l, until: start.adding(nanoseconds: duration.nanoseconds), on: Clock.monotonic)
    if let rmtp = uap.rmtp { try copyout(l, NetBSDTimespec(left), to: rmtp) }
    if interrupted { throw .EINTR }
    return 0
}

/// `clock_nanosleep` returns its error number rather than setting errno.
func sys_clock_nanosleep(_ l: Lwp, _ uap: sys_clock_nanosleep_args) throws(Errno) -> SyscallResult {
    let timerAbstime: Int32 = 1
    let request = try copyin(l, from: uap.rqtp, as: NetBSDTimespec.self).host
    try Clock.validate(request)
    let now = try Clock.now(uap.clock_id)
    let absolute = uap.flags & timerAbstime != 0
    let deadline = absolute ? request : now.adding(nanoseconds: request.nanoseconds)
    let (left, interrupted) = sleep(l, until: deadline, on: uap.clock_id)
    if !absolute, let rmtp = uap.rmtp { try copyout(l, NetBSDTimespec(left), to: rmtp) }
    if interrupted { throw .EINTR }
    return 0
}
