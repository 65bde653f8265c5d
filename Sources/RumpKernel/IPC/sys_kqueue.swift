// kqueue system calls: kqueue, kqueue1, kevent (__kevent50).
//
// Filters: EVFILT_READ and EVFILT_WRITE on every file (from its poll;
// pipes report bytes buffered / room and EV_EOF, regular files the bytes
// from the offset to the end), EVFILT_TIMER (milliseconds, periodic, data
// counting expirations), EVFILT_VNODE on rumpfs/tmpfs vnodes (NOTE_DELETE,
// WRITE, EXTEND, ATTRIB, LINK, RENAME). Gaps against NetBSD 7 (hence
// `partial`): EVFILT_AIO, EVFILT_PROC and EVFILT_SIGNAL are EINVAL;
// NOTE_REVOKE is never posted; timers are exact to the nanosecond rather
// than rounded to 10 ms ticks; knotes are evaluated when kevent looks, so
// EV_CLEAR on a file filter fires when the data grew (or EOF came) since
// the last report rather than at each activation; a closed descriptor's
// knotes are dropped when the kqueue next looks at them (the effect of
// knote_fdclose, later); a kqueue descriptor is copied into an rfork'ed
// child's table like any other (NetBSD does not inherit kqueues).

/// NetBSD's kqueue1: a kqueue descriptor, readable and writable, with
/// O_NONBLOCK and O_NOSIGPIPE as its status flags and O_CLOEXEC as the
/// descriptor's close-on-exec bit; other flags are ignored, as NetBSD does.
private func makeKqueue(_ l: Lwp, flags: Int32) throws(Errno) -> SyscallResult {
    let f = File.Flags(rawValue: flags)
    let table = l.proc.files
    let file = File(access: .readWrite, flags: f.intersection([.nonblock, .nosigpipe]),
                    ops: Kqueue())
    let fd = try table.allocate(file, limit: descriptorLimit(l), closeOnExec: f.contains(.cloexec))
    return SyscallResult(Int(fd))
}

func sys_kqueue(_ l: Lwp) throws(Errno) -> SyscallResult {
    try makeKqueue(l, flags: 0)
}

func sys_kqueue1(_ l: Lwp, _ uap: sys_kqueue1_args) throws(Errno) -> SyscallResult {
    try makeKqueue(l, flags: uap.flags)
}

/// NetBSD's kevent1: EBADF unless `fd` is a kqueue; the timeout is read
/// first and checked (EINVAL) only when the call comes to wait. Changes are
/// applied in order, read eight at a time; a failed change (or any change
/// with EV_RECEIPT) is reported in the event list as EV_ERROR with the
/// error number as data while there is room, else the call fails with it.
/// If any change was reported that way, the call returns how many without
/// looking for events; else it returns the events that hold, waiting for
/// one until the timeout (NULL: for ever; zero: not at all).
func sys_kevent(_ l: Lwp, _ uap: sys_kevent_args) throws(Errno) -> SyscallResult {
    let file = try l.proc.files.get(uap.fd)
    guard let kq = file.ops as? Kqueue else { throw .EBADF }
    let timeout = try uap.timeout.map { (p) throws(Errno) in try copyin(l, from: p, as: NetBSDTimespec.self) }
    let size = MemoryLayout<NetBSDKevent>.stride
    var nevents = Int(clamping: uap.nevents)
    var nerrors = 0
    var left = Int(clamping: uap.nchanges)
    var changes = uap.changelist
    while left > 0 {
        let n = min(left, 8)
        let chunk = try copyin(l, from: changes, count: n, as: NetBSDKevent.self)
        for var kev in chunk {
            var failure: Errno?
            do { try kq.register(l, &kev) } catch { failure = error }
            if failure == nil && kev.flags & Kev.receipt == 0 { continue }
            if nevents == 0 {
                if let failure { throw failure }
                return 0
            }
            kev.flags = Kev.error
            kev.data = Int64(failure?.rawValue ?? 0)
            try copyout(l, kev, to: uap.eventlist.map { $0 + nerrors * size })
            nevents -= 1
            nerrors += 1
        }
        left -= n
        changes = changes.map { $0 + n * size }
    }
    if nerrors > 0 { return SyscallResult(nerrors) }

    let deadline = try pollDeadline(timeout)
    l.ioFd = uap.fd
    defer { l.ioFd = -1 }
    let events = try kq.scan(l, file, max: nevents, deadline: deadline)
    try copyout(l, contentsOf: events, to: uap.eventlist)
    return SyscallResult(events.count)
}
