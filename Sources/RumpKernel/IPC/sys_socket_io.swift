// Socket transfer and option system calls: sendto, recvfrom, sendmsg,
// recvmsg, getsockopt, setsockopt.

/// NetBSD's amd64 `struct msghdr` (48 bytes): name at 0, namelen
/// (socklen_t) at 8, iov at 16, iovlen (int) at 24, control at 32,
/// controllen (socklen_t) at 40, flags (int) at 44.
private struct MsgHdr {
    var name: UnsafeMutableRawPointer?
    var namelen: UInt32
    var iov: UnsafeMutableRawPointer?
    var iovlen: Int32
    var control: UnsafeMutableRawPointer?
    var controllen: UInt32
    var flags: Int32

    static let size = 48

    init(_ l: Lwp, _ user: UnsafeRawPointer?) throws(Errno) {
        let w = try copyin(l, from: user, count: 6, as: UInt64.self)
        name = UnsafeMutableRawPointer(bitPattern: UInt(w[0]))
        namelen = UInt32(truncatingIfNeeded: w[1])
        iov = UnsafeMutableRawPointer(bitPattern: UInt(w[2]))
        iovlen = Int32(truncatingIfNeeded: w[3])
        control = UnsafeMutableRawPointer(bitPattern: UInt(w[4]))
        controllen = UInt32(truncatingIfNeeded: w[5])
        flags = Int32(truncatingIfNeeded: w[5] >> 32)
    }
}

/// Run a socket transfer and report the bytes moved: as dofilewrite and
/// dofileread, a transfer that moved something and was interrupted or would
/// block (or whose descriptor was closed under it) reports the partial count.
private func socketTransfer(_ uio: Uio, _ body: (Uio) throws(Errno) -> Void) throws(Errno) -> Int {
    let requested = uio.residual
    do {
        try body(uio)
    } catch {
        let moved = requested - uio.residual
        guard moved > 0 && (error == .EINTR || error == .EAGAIN || error == .EBADF) else { throw error }
    }
    return requested - uio.residual
}

private func doSend(_ l: Lwp, _ s: Int32, _ uio: Uio, flags: Int32, to: UnsafeRawPointer?, tolen: UInt32,
                    control: UnsafeRawPointer?, controllen: UInt32) throws(Errno) -> SyscallResult {
    let (file, so) = try socketAt(l, s)
    let dest: [UInt8]? = to == nil || so.isConnectionOriented ? nil
        : try SocketNames.copyinAddress(l, to, tolen).path
    let rights = try SocketRights.internalize(l, control, controllen)
    // NetBSD's uipc_send ignores the address of a stream or seqpacket
    // send: connected, it goes to the peer; unconnected, ENOTCONN.
    l.ioFd = s
    defer { l.ioFd = -1 }
    let n = try socketTransfer(uio) { (u) throws(Errno) in
        try so.send(file, l, u, flags: flags, to: dest, rights: rights)
    }
    return SyscallResult(n)
}

func sys_sendto(_ l: Lwp, _ uap: sys_sendto_args) throws(Errno) -> SyscallResult {
    guard uap.len <= ssizeMax else { throw .EINVAL }
    let uio = Uio(base: UnsafeMutableRawPointer(mutating: uap.buf), count: Int(uap.len), offset: 0,
                  direction: .write, space: .user(l))
    return try doSend(l, uap.s, uio, flags: uap.flags, to: uap.to, tolen: uap.tolen, control: nil, controllen: 0)
}

/// sendmsg on the caller's `struct msghdr` at `user` (also sendmmsg's).
func sendMessage(_ l: Lwp, _ s: Int32, _ user: UnsafeRawPointer?, flags: Int32) throws(Errno) -> SyscallResult {
    let msg = try MsgHdr(l, user)
    let uio = Uio(segments: try userSegments(l, msg.iov, msg.iovlen), offset: 0, direction: .write,
                  space: .user(l))
    return try doSend(l, s, uio, flags: flags, to: msg.name, tolen: msg.namelen,
                      control: msg.control, controllen: msg.controllen)
}

func sys_sendmsg(_ l: Lwp, _ uap: sys_sendmsg_args) throws(Errno) -> SyscallResult {
    try sendMessage(l, uap.s, uap.msg, flags: uap.flags)
}

/// Receive with the name and control copied out as recvit does. Returns
/// the byte count, and the msg_flags and control length to report.
private func doReceive(_ l: Lwp, _ s: Int32, _ uio: Uio, flags: Int32, from: UnsafeMutableRawPointer?,
                       fromlen: UnsafeMutableRawPointer?, nameCapacity: UInt32?,
                       control: UnsafeMutableRawPointer?, controllen: Int) throws(Errno)
    -> (count: Int, flags: Int32, namelen: UInt32, controllen: Int) {
    let (file, so) = try socketAt(l, s)
    var outFlags = flags
    var result: (from: [UInt8]?, rights: [File]) = (nil, [])
    l.ioFd = s
    defer { l.ioFd = -1 }
    let n = try socketTransfer(uio) { (u) throws(Errno) in
        result = try so.receive(file, l, u, flags: &outFlags, wantRights: true)
    }
    var namelen: UInt32 = 0
    if so.kind == .dgram, let name = result.from {
        let addr = name
        namelen = UInt32(addr.count)
        if let from {
            let cap = nameCapacity ?? 0
            let k = min(Int(cap), addr.count)
            if k > 0 { try copyout(l, contentsOf: addr, prefix: k, to: from) }
        }
    }
    if let fromlen { try copyout(l, namelen, to: fromlen) }
    var clen = 0
    if !result.rights.isEmpty {
        let (len, truncated) = try SocketRights.externalize(
            l, result.rights, cloexec: flags & SocketConst.msgCmsgCloexec != 0, to: control, space: controllen)
        clen = len
        if truncated { outFlags |= SocketConst.msgCtrunc }
    }
    return (n, outFlags, namelen, clen)
}

func sys_recvfrom(_ l: Lwp, _ uap: sys_recvfrom_args) throws(Errno) -> SyscallResult {
    guard uap.len <= ssizeMax else { throw .EINVAL }
    let uio = Uio(base: uap.buf, count: Int(uap.len), offset: 0, direction: .read, space: .user(l))
    var cap: UInt32? = nil
    if uap.from != nil, uap.fromlenaddr != nil {
        cap = try copyin(l, from: uap.fromlenaddr, as: UInt32.self)
    }
    let r = try doReceive(l, uap.s, uio, flags: uap.flags, from: uap.from,
                          fromlen: uap.from == nil ? nil : uap.fromlenaddr, nameCapacity: cap,
                          control: nil, controllen: 0)
    return SyscallResult(r.count)
}

/// recvmsg on the caller's `struct msghdr` at `user` (also recvmmsg's).
func receiveMessage(_ l: Lwp, _ s: Int32, _ user: UnsafeRawPointer?, flags: Int32) throws(Errno) -> SyscallResult {
    let msg = try MsgHdr(l, user)
    let uio = Uio(segments: try userSegments(l, msg.iov, msg.iovlen), offset: 0, direction: .read,
                  space: .user(l))
    let r = try doReceive(l, s, uio, flags: flags, from: msg.name, fromlen: nil,
                          nameCapacity: msg.namelen, control: msg.control, controllen: Int(msg.controllen))
    // msg_namelen (offset 8), msg_controllen (40), msg_flags (44).
    let base = UnsafeMutableRawPointer(mutating: user)
    try copyout(l, msg.name == nil ? UInt32(0) : r.namelen, to: base.map { $0 + 8 })
    try copyout(l, UInt32(r.controllen), to: base.map { $0 + 40 })
    try copyout(l, r.flags & (SocketConst.msgTrunc | SocketConst.msgCtrunc | SocketConst.msgEor),
                to: base.map { $0 + 44 })
    return SyscallResult(r.count)
}

func sys_recvmsg(_ l: Lwp, _ uap: sys_recvmsg_args) throws(Errno) -> SyscallResult {
    try receiveMessage(l, uap.s, uap.msg, flags: uap.flags)
}

// MARK: options

/// getsockopt at SOL_SOCKET: the options NetBSD's sogetopt answers for a
/// local socket; ENOPROTOOPT for others (and for other levels).
func sys_getsockopt(_ l: Lwp, _ uap: sys_getsockopt_args) throws(Errno) -> SyscallResult {
    let (_, so) = try socketAt(l, uap.s)
    let have: UInt32 = uap.avalsize == nil ? 0 : try copyin(l, from: uap.avalsize)
    if uap.level == SocketConst.solLocal && uap.name == SocketConst.localPeereid {
        // struct unpcbid { pid_t unp_pid; uid_t unp_euid; gid_t unp_egid; }:
        // EINVAL until a connection set it (uipc_ctloutput).
        so.lock.enter()
        let id = so.peerId
        let ok = so.peerIdValid && so.isConnectionOriented
        so.lock.exit()
        guard ok else { throw .EINVAL }
        var out: [UInt8] = []
        withUnsafeBytes(of: (id.pid, id.uid, id.gid)) { out = Array($0) }
        let n = min(Int(have), out.count)
        if n > 0 { try copyout(l, contentsOf: out, prefix: n, to: uap.val) }
        if uap.avalsize != nil { try copyout(l, UInt32(n), to: uap.avalsize) }
        return 0
    }
    guard uap.level == SocketConst.solSocket else { throw .ENOPROTOOPT }
    var out: [UInt8] = []
    func int(_ v: Int32) { withUnsafeBytes(of: v) { out = Array($0) } }
    func pair(_ a: Int64, _ b: Int64) {
        out = []
        withUnsafeBytes(of: a) { out += $0 }
        withUnsafeBytes(of: b) { out += $0 }
    }
    let name = uap.name
    so.lock.enter()
    switch name {
    case _ where SocketConst.boolOptions.contains(name):
        int(so.options & name != 0 ? 1 : 0)
    case SocketConst.soAcceptconn:
        int(so.listening ? 1 : 0)
    case SocketConst.soLinger:
        out = []
        withUnsafeBytes(of: so.options & SocketConst.soLinger != 0 ? Int32(1) : Int32(0)) { out += $0 }
        withUnsafeBytes(of: so.linger.1) { out += $0 }
    case SocketConst.soType:
        int(so.kind.rawValue)
    case SocketConst.soError:
        int(so.soError)
        so.soError = 0
    case SocketConst.soSndbuf:
        int(Int32(so.sndbuf))
    case SocketConst.soRcvbuf:
        int(Int32(so.rcvbuf))
    case SocketConst.soSndlowat:
        int(Int32(so.sndlowat))
    case SocketConst.soRcvlowat:
        int(Int32(so.rcvlowat))
    case SocketConst.soOverflowed:
        int(0)
    case SocketConst.soSndtimeo:
        pair(so.sndtimeo.0, so.sndtimeo.1)
    case SocketConst.soRcvtimeo:
        pair(so.rcvtimeo.0, so.rcvtimeo.1)
    default:
        so.lock.exit()
        throw .ENOPROTOOPT
    }
    so.lock.exit()
    let n = min(Int(have), out.count)
    if n > 0 { try copyout(l, contentsOf: out, prefix: n, to: uap.val) }
    if uap.avalsize != nil { try copyout(l, UInt32(n), to: uap.avalsize) }
    return 0
}

/// setsockopt at SOL_SOCKET (NetBSD's sosetopt1): EINVAL for a value whose
/// size is not exactly the option's type (sockopt_get), or below 1 for the
/// buffer sizes; ENOBUFS for a buffer size over sb_max; EDOM for a linger
/// time outside 0...65535; ENOPROTOOPT for unknown options and levels.
func sys_setsockopt(_ l: Lwp, _ uap: sys_setsockopt_args) throws(Errno) -> SyscallResult {
    let (_, so) = try socketAt(l, uap.s)
    guard uap.level == SocketConst.solSocket else { throw .ENOPROTOOPT }
    let name = uap.name
    let size = Int(uap.valsize)
    func intValue() throws(Errno) -> Int32 {
        guard size == 4 else { throw .EINVAL }
        return try copyin(l, from: uap.val, as: Int32.self)
    }
    switch name {
    case _ where SocketConst.boolOptions.contains(name):
        let v = try intValue()
        so.lock.enter()
        if v != 0 { so.options |= name } else { so.options &= ~name }
        so.lock.exit()
    case SocketConst.soLinger:
        guard size == 8 else { throw .EINVAL }
        let v = try copyin(l, from: uap.val, count: 2, as: Int32.self)
        guard v[1] >= 0 && v[1] <= 65535 else { throw .EDOM }
        so.lock.enter()
        if v[0] != 0 { so.options |= SocketConst.soLinger } else { so.options &= ~SocketConst.soLinger }
        so.linger = (v[0], v[1])
        so.lock.exit()
    case SocketConst.soSndbuf, SocketConst.soRcvbuf, SocketConst.soSndlowat, SocketConst.soRcvlowat:
        let v = try intValue()
        guard v >= 1 else { throw .EINVAL }
        so.lock.enter()
        defer { so.lock.exit() }
        switch name {
        case SocketConst.soSndbuf:
            guard Int(v) <= SocketConst.maxBuffer else { throw .ENOBUFS }
            so.sndbuf = Int(v)
            so.sndlowat = min(so.sndlowat, so.sndbuf)
        case SocketConst.soRcvbuf:
            guard Int(v) <= SocketConst.maxBuffer else { throw .ENOBUFS }
            so.rcvbuf = Int(v)
            if so.kind != .stream {
                so.rcv.lock.enter()
                so.rcv.limit = so.kind == .dgram ? Int(v) : Int(v) + so.sndbuf
                so.rcv.lock.exit()
            }
        case SocketConst.soSndlowat:
            so.sndlowat = min(Int(v), so.sndbuf)
        default:
            so.rcvlowat = min(Int(v), so.rcvbuf)
        }
    case SocketConst.soSndtimeo, SocketConst.soRcvtimeo:
        guard size == 16 else { throw .EINVAL }
        // NetBSD's struct timeval: time_t tv_sec, then an int tv_usec.
        let raw = try copyin(l, from: uap.val, count: 4, as: Int32.self)
        let v = [Int64(UInt32(bitPattern: raw[0])) | Int64(raw[1]) << 32, Int64(raw[2])]
        guard v[0] >= 0, v[1] >= 0, v[1] < 1_000_000 else { throw .EDOM }
        so.lock.enter()
        if name == SocketConst.soSndtimeo { so.sndtimeo = (v[0], v[1]) } else { so.rcvtimeo = (v[0], v[1]) }
        so.lock.exit()
    default:
        throw .ENOPROTOOPT
    }
    return 0
}
