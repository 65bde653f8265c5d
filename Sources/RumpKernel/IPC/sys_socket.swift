@preconcurrency import CRump
import Synchronization

// Socket system calls: socket, socketpair, bind, listen, accept, paccept,
// connect, getsockname, getpeername, shutdown (NetBSD's uipc_syscalls.c).

/// The protocol families the net faction has attached (NetBSD's domains).
enum SocketDomains {
    private static let attached = Mutex<Set<Int32>>([])

    static func attach(_ family: Int32) { attached.withLock { _ = $0.insert(family) } }
    static func has(_ family: Int32) -> Bool { attached.withLock { $0.contains(family) } }

    /// socreate's checks: EAFNOSUPPORT for a family no domain serves;
    /// for the local domain EPROTOTYPE for an unknown type with protocol 0,
    /// EPROTONOSUPPORT for a protocol other than 0 (or type 0).
    static func kind(domain: Int32, type: Int32, protocol proto: Int32) throws(Errno) -> Socket.Kind {
        guard domain == SocketConst.afLocal, has(domain) else { throw .EAFNOSUPPORT }
        guard let kind = Socket.Kind(rawValue: type), proto == 0 else {
            if proto == 0 && type != 0 { throw .EPROTOTYPE }
            throw .EPROTONOSUPPORT
        }
        return kind
    }
}

/// A new socket's file: SOCK_NONBLOCK and SOCK_NOSIGPIPE become file flags.
private func socketFile(_ so: Socket, flags: Int32) -> File {
    var f: File.Flags = []
    if flags & SocketConst.sockNonblock != 0 { f.insert(.nonblock) }
    if flags & SocketConst.sockNosigpipe != 0 { f.insert(.nosigpipe) }
    return File(access: .readWrite, flags: f, ops: so)
}

private func splitType(_ type: Int32) throws(Errno) -> (Int32, Int32) {
    let flags = type & SocketConst.sockFlagsMask
    let base = type & ~SocketConst.sockFlagsMask
    // Other high bits: NetBSD's fsocreate refuses them.
    if base & ~0xff != 0 { throw .EINVAL }
    return (base, flags)
}

private func identity(_ l: Lwp) -> (Int32, UInt32, UInt32) {
    let cred = l.proc.cred
    return (l.proc.pid, cred.euid, cred.egid)
}

func sys_socket(_ l: Lwp, _ uap: sys_socket_args) throws(Errno) -> SyscallResult {
    let (type, flags) = try splitType(uap.type)
    let kind = try SocketDomains.kind(domain: uap.domain, type: type, protocol: uap.protocol)
    let cred = l.proc.cred
    let so = Socket(kind: kind, uid: cred.euid, gid: cred.egid)
    let fd = try l.proc.files.allocate(socketFile(so, flags: flags), limit: descriptorLimit(l),
                                       closeOnExec: flags & SocketConst.sockCloexec != 0)
    return SyscallResult(fd)
}

/// socketpair: two connected sockets of the local domain (datagram pairs
/// are connected both ways, as NetBSD's socketpair does).
func sys_socketpair(_ l: Lwp, _ uap: sys_socketpair_args) throws(Errno) -> SyscallResult {
    let (type, flags) = try splitType(uap.type)
    let kind = try SocketDomains.kind(domain: uap.domain, type: type, protocol: uap.protocol)
    let cred = l.proc.cred
    let a = Socket(kind: kind, uid: cred.euid, gid: cred.egid)
    let b = Socket(kind: kind, uid: cred.euid, gid: cred.egid)
    let id = identity(l)
    Socket.pair(a, b, aId: id, bId: id)
    let table = l.proc.files
    let limit = descriptorLimit(l)
    let cloexec = flags & SocketConst.sockCloexec != 0
    let fa = try table.allocate(socketFile(a, flags: flags), limit: limit, closeOnExec: cloexec)
    let fb: Int32
    do {
        fb = try table.allocate(socketFile(b, flags: flags), limit: limit, closeOnExec: cloexec)
    } catch {
        try? table.close(fa)
        throw error
    }
    do {
        try copyout(l, (fa, fb), to: uap.rsv)
    } catch {
        try? table.close(fa)
        try? table.close(fb)
        throw error
    }
    return 0
}

func sys_bind(_ l: Lwp, _ uap: sys_bind_args) throws(Errno) -> SyscallResult {
    let (_, so) = try socketAt(l, uap.s)
    let (path, addr) = try SocketNames.copyinAddress(l, uap.name, uap.namelen)
    try SocketNames.bind(l, so, path: path, addr: addr)
    return 0
}

/// listen: connection-oriented sockets only (EOPNOTSUPP for datagrams);
/// EINVAL once connected. The queue holds up to 3/2 of the backlog
/// (NetBSD's sonewconn limit); a negative backlog is 0, a large one SOMAXCONN.
func sys_listen(_ l: Lwp, _ uap: sys_listen_args) throws(Errno) -> SyscallResult {
    let (_, so) = try socketAt(l, uap.s)
    guard so.isConnectionOriented else { throw .EOPNOTSUPP }
    so.lock.enter()
    defer { so.lock.exit() }
    if so.isConnected || so.peer != nil { throw .EINVAL }
    // NetBSD's unp_listen: the socket must be bound.
    if so.name == nil { throw .EINVAL }
    so.listening = true
    so.backlog = min(max(Int(uap.backlog), 0), 128)
    return 0
}

/// connect: to a listening socket bound at the path (streams, seqpackets)
/// or as the default destination (datagrams).
func sys_connect(_ l: Lwp, _ uap: sys_connect_args) throws(Errno) -> SyscallResult {
    let (_, so) = try socketAt(l, uap.s)
    let path = try SocketNames.copyinAddress(l, uap.name, uap.namelen).path
    so.lock.enter()
    let listening = so.listening
    let connected = so.isConnected && so.isConnectionOriented
    let wasShut = so.cantSendMore && so.isConnectionOriented
    so.lock.exit()
    if listening { throw .EOPNOTSUPP }
    if connected { throw .EISCONN }
    if wasShut { throw .EINVAL }
    let target = try SocketNames.lookup(l, path, kind: so.kind)
    if !so.isConnectionOriented {
        so.lock.enter()
        so.peer = target
        so.isConnected = true
        so.lock.exit()
        return 0
    }
    if target === so { throw .ECONNREFUSED }
    // sonewconn: a new socket on the listener's queue, connected to us.
    let server: Socket = try Socket.connections.withLock { (_) throws(Errno) -> Socket in
        target.lock.enter()
        defer { target.lock.exit() }
        guard target.listening, !target.isClosed else { throw .ECONNREFUSED }
        guard target.acceptQueue.count < max(1, target.backlog * 3 / 2 + (target.backlog == 0 ? 1 : 0))
        else { throw .ECONNREFUSED }
        let s = Socket(kind: so.kind, uid: target.uid, gid: target.gid)
        s.name = target.name
        s.options = target.options & ~SocketConst.soAcceptconn
        s.linger = target.linger
        s.sndbuf = target.sndbuf
        s.rcvbuf = target.rcvbuf
        return s
    }
    // unp_connect1: the new socket's peer id is the connector's; the
    // connector copies it from there, so NetBSD 7 reports the connecting
    // process on both ends.
    Socket.pair(so, server, aId: identity(l), bId: identity(l))
    Socket.connections.withLock { _ in
        target.lock.enter()
        if target.listening && !target.isClosed {
            target.acceptQueue.append(server)
            target.acceptSel.notify()
            target.lock.exit()
            target.acceptChannel.signal()
        } else {
            target.lock.exit()
            server.disconnectLocked()
        }
    }
    return 0
}

/// accept and paccept (NetBSD's do_sys_accept): the new descriptor's file
/// takes the listener's flags (accept) or SOCK_NONBLOCK/SOCK_NOSIGPIPE
/// (paccept, which clears the inherited O_NONBLOCK).
private func doAccept(_ l: Lwp, _ s: Int32, _ name: UnsafeMutableRawPointer?, _ anamelen: UnsafeMutableRawPointer?,
                      flags: Int32, paccept: Bool) throws(Errno) -> SyscallResult {
    if flags & ~(SocketConst.sockCloexec | SocketConst.sockNonblock | SocketConst.sockNosigpipe) != 0 {
        throw .EINVAL
    }
    let (file, so) = try socketAt(l, s)
    // Datagram sockets cannot listen (no PR_LISTEN): EOPNOTSUPP.
    guard so.isConnectionOriented else { throw .EOPNOTSUPP }
    so.lock.enter()
    guard so.listening else {
        so.lock.exit()
        throw .EINVAL
    }
    var taken: Socket?
    while true {
        if so.isClosed || !so.listening {
            so.lock.exit()
            throw .ECONNABORTED
        }
        if !so.acceptQueue.isEmpty {
            taken = so.acceptQueue.removeFirst()
            so.lock.exit()
            break
        }
        if file.flags.contains(.nonblock) {
            so.lock.exit()
            throw .EAGAIN
        }
        let seen = so.acceptChannel.seq
        so.lock.exit()
        l.ioFd = s
        let result = file.wait(so.acceptChannel, seen: seen, peerCPU: HostCPU.unknown, l)
        l.ioFd = -1
        if let error = result.error { throw error }
        so.lock.enter()
    }
    let conn = taken.unsafelyUnwrapped
    var fileFlags = file.flags.intersection([.nonblock, .nosigpipe])
    if paccept {
        fileFlags.remove(.nonblock)
        if flags & SocketConst.sockNonblock != 0 { fileFlags.insert(.nonblock) }
        if flags & SocketConst.sockNosigpipe != 0 { fileFlags.insert(.nosigpipe) }
    }
    let newFile = File(access: .readWrite, flags: fileFlags, ops: conn)
    let fd = try l.proc.files.allocate(newFile, limit: descriptorLimit(l),
                                       closeOnExec: flags & SocketConst.sockCloexec != 0)
    conn.lock.enter()
    let peerName = conn.peer?.nameNow
    conn.lock.exit()
    do {
        try SocketNames.copyout(l, peerName ?? nil, to: name, lengthAt: anamelen)
    } catch {
        try? l.proc.files.close(fd)
        throw error
    }
    return SyscallResult(fd)
}

extension Socket {
    /// The bound name (takes the lock).
    var nameNow: [UInt8]? {
        lock.enter()
        defer { lock.exit() }
        return name
    }
}

func sys_accept(_ l: Lwp, _ uap: sys_accept_args) throws(Errno) -> SyscallResult {
    try doAccept(l, uap.s, uap.name, uap.anamelen, flags: 0, paccept: false)
}

func sys_paccept(_ l: Lwp, _ uap: sys_paccept_args) throws(Errno) -> SyscallResult {
    try doAccept(l, uap.s, uap.name, uap.anamelen, flags: uap.flags, paccept: true)
}

func sys_getsockname(_ l: Lwp, _ uap: sys_getsockname_args) throws(Errno) -> SyscallResult {
    let (_, so) = try socketAt(l, uap.fdes)
    guard uap.alen != nil else { throw .EFAULT }
    try SocketNames.copyout(l, so.nameNow, to: uap.asa, lengthAt: uap.alen)
    return 0
}

func sys_getpeername(_ l: Lwp, _ uap: sys_getpeername_args) throws(Errno) -> SyscallResult {
    let (_, so) = try socketAt(l, uap.fdes)
    so.lock.enter()
    let p = so.isConnected ? so.peer : nil
    so.lock.exit()
    guard let p else { throw .ENOTCONN }
    guard uap.alen != nil else { throw .EFAULT }
    try SocketNames.copyout(l, p.nameNow, to: uap.asa, lengthAt: uap.alen)
    return 0
}

/// shutdown (NetBSD 7's soshutdown): EINVAL for a bad `how`; SHUT_RD drops
/// what is queued and makes reads return 0; SHUT_WR makes the peer read end
/// of file and our sends fail with EPIPE. NetBSD 7 does not check for a
/// connection (no ENOTCONN), and neither does this.
func sys_shutdown(_ l: Lwp, _ uap: sys_shutdown_args) throws(Errno) -> SyscallResult {
    let (_, so) = try socketAt(l, uap.s)
    let how = uap.how
    guard how >= SocketConst.shutRd && how <= SocketConst.shutRdwr else { throw .EINVAL }
    if how != SocketConst.shutWr {
        so.lock.enter()
        so.cantRecvMore = true
        so.lock.exit()
        let b = so.rcv
        b.lock.enter()
        b.discard = true
        var dropped = b.flush()
        let wr = b.readableChanged()
        let ww = b.writableChanged()
        b.lock.exit()
        if wr { b.readable.wake() }
        if ww { b.writable.wake() }
        dropped.removeAll()
    }
    if how != SocketConst.shutRd {
        so.lock.enter()
        so.cantSendMore = true
        let p = so.isConnectionOriented ? so.peer : nil
        so.lock.exit()
        if let p {
            let b = p.rcv
            b.lock.enter()
            b.noMoreData = true
            let wr = b.readableChanged()
            b.lock.exit()
            if wr { b.readable.wake() }
        }
    }
    return 0
}
