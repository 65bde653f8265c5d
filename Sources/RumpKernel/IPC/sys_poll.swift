// poll and pollts.

/// NetBSD's `struct pollfd` (8 bytes).
struct NetBSDPollfd: BitwiseCopyable {
    var fd: Int32
    var events: Int16
    var revents: Int16
}

/// NetBSD's INFTIM.
private let infiniteTimeout: Int32 = -1

/// NetBSD's pollcommon: more entries than 1000 past the descriptor table's
/// size is EINVAL. Each scan clears every revents; a negative fd is skipped,
/// a closed one reports POLLNVAL; a file is asked for its events plus
/// POLLERR and POLLHUP. Returns how many entries have revents, after
/// copying the array back.
private func pollCommon(_ l: Lwp, _ user: UnsafeMutableRawPointer?, _ nfds: UInt32,
                        timeout: NetBSDTimespec?) throws(Errno) -> SyscallResult {
    let table = l.proc.files
    guard Int(nfds) <= 1000 + table.netbsdTableSize else { throw .EINVAL }
    var fds = try copyin(l, from: user, count: Int(nfds), as: NetBSDPollfd.self)
    let deadline = try pollDeadline(timeout)
    let always = PollEvents.pollerr | PollEvents.pollhup
    let ready = try pollWait(l, deadline: deadline) { waiter in
        var ready = 0
        for i in fds.indices {
            fds[i].revents = 0
            let fd = fds[i].fd
            if fd < 0 { continue }
            let revents: Int32
            if let file = try? table.get(fd) {
                revents = file.ops.poll(file, Int32(fds[i].events) | always, waiter)
            } else {
                revents = PollEvents.pollnval
            }
            if revents != 0 {
                fds[i].revents = Int16(truncatingIfNeeded: revents)
                ready += 1
            }
        }
        return ready
    }
    try copyout(l, contentsOf: fds, to: user)
    return SyscallResult(ready)
}

/// `poll(fds, nfds, timeout)`: timeout in milliseconds, INFTIM (-1) for
/// ever; another negative value is EINVAL.
func sys_poll(_ l: Lwp, _ uap: sys_poll_args) throws(Errno) -> SyscallResult {
    var timeout: NetBSDTimespec?
    if uap.timeout != infiniteTimeout {
        var ts = NetBSDTimespec()
        ts.sec = Int64(uap.timeout / 1000)
        ts.nsec = Int64(uap.timeout % 1000) * 1_000_000
        timeout = ts
    }
    return try pollCommon(l, uap.fds, uap.nfds, timeout: timeout)
}

/// `pollts(fds, nfds, ts, mask)`: a timespec timeout (NULL: for ever), and
/// while it waits, `mask` (if given) as the signal mask.
func sys_pollts(_ l: Lwp, _ uap: sys_pollts_args) throws(Errno) -> SyscallResult {
    let timeout = try uap.ts.map { (p) throws(Errno) in try copyin(l, from: p, as: NetBSDTimespec.self) }
    let mask = try uap.mask.map { (p) throws(Errno) in try copyin(l, from: p, as: NetBSDSigset.self).low }
    return try l.withSleepMask(mask) { () throws(Errno) in try pollCommon(l, uap.fds, uap.nfds, timeout: timeout) }
}
