// sendmmsg and recvmmsg (NetBSD's uipc_syscalls.c): several messages per
// call, each a `struct mmsghdr` { struct msghdr msg_hdr; unsigned int
// msg_len; } of 56 bytes on amd64, msg_len at offset 48.

private let mmsgSize = 56
private let mmsgLenOffset = 48
/// MSG_WAITFORONE: after the first message, do not wait for more.
private let msgWaitForOne: Int32 = 0x2000
/// NetBSD caps vlen at 1024 (UIO_MAXIOV).
private let mmsgMax: UInt32 = 1024

private func entry(_ base: UnsafeMutableRawPointer?, _ i: Int) -> UnsafeMutableRawPointer? {
    base.map { $0 + i * mmsgSize }
}

/// Send up to `vlen` messages; returns how many went. An error on the
/// first is the call's error; after that the count is returned.
func sys_sendmmsg(_ l: Lwp, _ uap: sys_sendmmsg_args) throws(Errno) -> SyscallResult {
    _ = try socketAt(l, uap.s)
    let vlen = Int(min(uap.vlen, mmsgMax))
    let flags = Int32(bitPattern: uap.flags)
    var sent = 0
    while sent < vlen {
        let m = entry(uap.mmsg, sent)
        do {
            let n = try sendMessage(l, uap.s, m, flags: flags)
            try copyout(l, UInt32(truncatingIfNeeded: n.first), to: m.map { $0 + mmsgLenOffset })
        } catch {
            if sent == 0 { throw error }
            break
        }
        sent += 1
    }
    return SyscallResult(sent)
}

/// Receive up to `vlen` messages. MSG_WAITFORONE turns on MSG_DONTWAIT
/// after the first; `timeout` (a struct timespec) is checked after each
/// message, as NetBSD does. An error after the first ends the call with
/// the count.
func sys_recvmmsg(_ l: Lwp, _ uap: sys_recvmmsg_args) throws(Errno) -> SyscallResult {
    _ = try socketAt(l, uap.s)
    var deadline: Int64? = nil
    if let t = uap.timeout {
        let ts: (Int64, Int64) = try copyin(l, from: t)
        guard ts.0 >= 0, ts.1 >= 0, ts.1 < 1_000_000_000 else { throw .EINVAL }
        deadline = monotonicNow() &+ ts.0 &* 1_000_000_000 &+ ts.1
    }
    let vlen = Int(min(uap.vlen, mmsgMax))
    var flags = Int32(bitPattern: uap.flags)
    var got = 0
    while got < vlen {
        let m = entry(uap.mmsg, got)
        do {
            let n = try receiveMessage(l, uap.s, m, flags: flags & ~msgWaitForOne)
            try copyout(l, UInt32(truncatingIfNeeded: n.first), to: m.map { $0 + mmsgLenOffset })
        } catch {
            if got == 0 { throw error }
            break
        }
        got += 1
        if flags & msgWaitForOne != 0 { flags |= SocketConst.msgDontwait }
        if let deadline, monotonicNow() >= deadline { break }
    }
    return SyscallResult(got)
}
