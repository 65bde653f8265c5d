@preconcurrency import CRump
import Synchronization

/// NetBSD's socket constants (sys/socket.h, sys/un.h).
enum SocketConst {
    static let afLocal: Int32 = 1
    static let sockStream: Int32 = 1
    static let sockDgram: Int32 = 2
    static let sockSeqpacket: Int32 = 5
    static let sockCloexec: Int32 = 0x1000_0000
    static let sockNonblock: Int32 = 0x2000_0000
    static let sockNosigpipe: Int32 = 0x4000_0000
    static let sockFlagsMask: Int32 = 0x7000_0000

    static let msgOob: Int32 = 0x1
    static let msgPeek: Int32 = 0x2
    static let msgEor: Int32 = 0x8
    static let msgTrunc: Int32 = 0x10
    static let msgCtrunc: Int32 = 0x20
    static let msgWaitall: Int32 = 0x40
    static let msgDontwait: Int32 = 0x80
    static let msgNosignal: Int32 = 0x400
    static let msgCmsgCloexec: Int32 = 0x800
    static let msgNbio: Int32 = 0x1000

    static let solSocket: Int32 = 0xffff
    /// Level 0 (SOL_LOCAL) options of sys/un.h.
    static let solLocal: Int32 = 0
    static let localPeereid: Int32 = 3
    static let scmRights: Int32 = 1

    static let shutRd: Int32 = 0
    static let shutWr: Int32 = 1
    static let shutRdwr: Int32 = 2

    // SO_* options.
    static let soDebug: Int32 = 0x1
    static let soAcceptconn: Int32 = 0x2
    static let soReuseaddr: Int32 = 0x4
    static let soKeepalive: Int32 = 0x8
    static let soDontroute: Int32 = 0x10
    static let soBroadcast: Int32 = 0x20
    static let soUseloopback: Int32 = 0x40
    static let soLinger: Int32 = 0x80
    static let soOobinline: Int32 = 0x100
    static let soReuseport: Int32 = 0x200
    static let soNosigpipe: Int32 = 0x800
    static let soTimestamp: Int32 = 0x2000
    static let soSndbuf: Int32 = 0x1001
    static let soRcvbuf: Int32 = 0x1002
    static let soSndlowat: Int32 = 0x1003
    static let soRcvlowat: Int32 = 0x1004
    static let soError: Int32 = 0x1007
    static let soType: Int32 = 0x1008
    static let soOverflowed: Int32 = 0x1009
    static let soSndtimeo: Int32 = 0x100b
    static let soRcvtimeo: Int32 = 0x100c

    /// Boolean options kept as bits of `options`.
    static let boolOptions: [Int32] = [soDebug, soReuseaddr, soKeepalive, soDontroute, soBroadcast,
                                       soUseloopback, soOobinline, soReuseport, soNosigpipe, soTimestamp]

    /// NetBSD 7's uipc buffer sizes: stream and seqpacket 4096/4096; datagram
    /// 2048 to send (the largest datagram) and 4096 to receive.
    static let streamSpace = 4096
    static let dgramSendSpace = 2048
    static let dgramRecvSpace = 4096
    static let maxBuffer = 256 * 1024  // sb_max
}

/// A local-domain socket (NetBSD's `struct socket` with its `unpcb`). The
/// file's ops; one socket per open file.
///
/// Locking: `Socket.connections` serialises everything that changes who is
/// connected to whom (connect, accept, shutdown, close); `lock` guards this
/// socket's state (peer, flags, options, listen queue) and is held only
/// briefly; each `SocketBuffer` has its own lock for the data. Order:
/// connections, then socket locks, then buffer locks. The data path takes
/// the sender's lock to find the peer's buffer, drops it, then takes the
/// buffer's lock: no global lock, no allocation for streams.
final class Socket: FileOps {
    enum Kind: Int32 {
        case stream = 1, dgram = 2, seqpacket = 5
    }

    static let connections = Mutex<Void>(())

    let kind: Kind
    let rcv: SocketBuffer
    let lock = KernelLock.make()
    let uid: UInt32
    let gid: UInt32
    /// Creation time (unp_ctime), fstat's three times.
    let created = VFS.now()
    /// st_ino: a number per socket, given at the first fstat (unp_ino).
    private var ino: UInt64 = 0
    private static let nextIno = Atomic<UInt64>(0)

    // Guarded by `lock`.
    var peer: Socket?
    var isConnected = false
    var cantSendMore = false
    var cantRecvMore = false
    var isClosed = false
    var listening = false
    var backlog = 0
    var acceptQueue: [Socket] = []
    let acceptChannel = WaitChannel.make()
    let acceptSel = SelInfo()
    /// The bound path (sun_path without NUL), and the peer's credentials.
    var name: [UInt8]?
    /// LOCAL_PEEREID (NetBSD's unp_connid), valid once connected.
    var peerId: (pid: Int32, uid: UInt32, gid: UInt32) = (0, 0, 0)
    var peerIdValid = false
    var options: Int32 = 0
    var sndbuf: Int
    var rcvbuf: Int
    var sndlowat: Int
    var rcvlowat = 1
    var linger: (Int32, Int32) = (0, 0)
    var soError: Int32 = 0
    var sndtimeo: (Int64, Int64) = (0, 0)
    var rcvtimeo: (Int64, Int64) = (0, 0)

    init(kind: Kind, uid: UInt32, gid: UInt32) {
        self.kind = kind
        self.uid = uid
        self.gid = gid
        switch kind {
        case .stream, .seqpacket:
            sndbuf = SocketConst.streamSpace
            rcvbuf = SocketConst.streamSpace
        case .dgram:
            sndbuf = SocketConst.dgramSendSpace
            rcvbuf = SocketConst.dgramRecvSpace
        }
        // soreserve: the send low-water mark is MCLBYTES, at most sb_hiwat.
        sndlowat = min(2048, sndbuf)
        // Seqpacket queues count both halves' space, as NetBSD's stream-like
        // flow control does.
        rcv = SocketBuffer(stream: kind == .stream,
                           limit: kind == .seqpacket ? 2 * SocketConst.streamSpace : SocketConst.dgramRecvSpace)
    }

    deinit {
        lock.free()
        acceptChannel.free()
    }

    var isConnectionOriented: Bool { kind != .dgram }

    /// The peer's receive buffer, if connected (takes the socket lock).
    @inline(__always)
    func peerBuffer() -> (Socket, SocketBuffer)? {
        lock.enter()
        let p = peer
        lock.exit()
        guard let p else { return nil }
        return (p, p.rcv)
    }

    // MARK: connecting

    /// Join two fresh sockets of a connection-oriented or datagram kind
    /// (socketpair, accept's new socket): both directions.
    static func pair(_ a: Socket, _ b: Socket, aId: (Int32, UInt32, UInt32), bId: (Int32, UInt32, UInt32)) {
        connections.withLock { _ in
            a.lock.enter()
            a.peer = b
            a.isConnected = true
            a.peerId = bId
            a.peerIdValid = true
            a.lock.exit()
            b.lock.enter()
            b.peer = a
            b.isConnected = true
            b.peerId = aId
            b.peerIdValid = true
            b.lock.exit()
        }
    }

    /// Disconnect from the peer (close, or the peer closing). Called with
    /// `connections` held. For connection-oriented sockets both ends learn
    /// it: the survivor reads what is queued, then end of file, and its
    /// sends fail with EPIPE.
    func disconnectLocked() {
        lock.enter()
        let p = peer
        peer = nil
        isConnected = false
        lock.exit()
        guard let p, isConnectionOriented else { return }
        p.lock.enter()
        if p.peer === self {
            p.peer = nil
            p.isConnected = false
            p.cantSendMore = true
            p.cantRecvMore = true
        }
        p.lock.exit()
        // The survivor's buffer: no more data from us.
        p.rcv.lock.enter()
        p.rcv.noMoreData = true
        let wr = p.rcv.readableChanged()
        let ww = p.rcv.writableChanged()
        p.rcv.lock.exit()
        if wr { p.rcv.readable.wake() }
        if ww { p.rcv.writable.wake() }
    }

    // MARK: FileOps

    func read(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno) {
        var flags: Int32 = 0
        _ = try receive(file, l, uio, flags: &flags, wantRights: false)
    }

    func write(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno) {
        try send(file, l, uio, flags: 0, to: nil, rights: [])
    }

    /// A descriptor for `file` was closed: whoever sleeps in this socket
    /// (accepting, receiving, or sending into the peer) looks again.
    func restart(_ file: File) {
        lock.enter()
        let p = peer
        let wakeAccept = acceptChannel.bump()
        acceptSel.notify()
        lock.exit()
        if wakeAccept { acceptChannel.wake() }
        rcv.restartSleepers()
        p?.rcv.restartSleepers()
    }

    func close(_ file: File) {
        var dropped: [File] = []
        var orphans: [Socket] = []
        Socket.connections.withLock { _ in
            lock.enter()
            isClosed = true
            cantSendMore = true
            cantRecvMore = true
            orphans = acceptQueue
            acceptQueue.removeAll()
            let wasListening = listening
            listening = false
            let bound = name != nil
            lock.exit()
            if wasListening {
                acceptChannel.signal()
                acceptSel.notify()
            }
            if bound { SocketNames.unbind(self) }
            disconnectLocked()
            for o in orphans { o.disconnectLocked() }
        }
        rcv.lock.enter()
        rcv.receiverGone = true
        dropped = rcv.flush()
        let ww = rcv.writableChanged()
        let wr = rcv.readableChanged()
        rcv.lock.exit()
        if ww { rcv.writable.wake() }
        if wr { rcv.readable.wake() }
        for o in orphans { o.closeOrphan() }
        dropped.removeAll()
    }

    /// A connection that was never accepted goes away with its listener.
    private func closeOrphan() {
        lock.enter()
        isClosed = true
        lock.exit()
        rcv.lock.enter()
        rcv.receiverGone = true
        var dropped = rcv.flush()
        let ww = rcv.writableChanged()
        rcv.lock.exit()
        if ww { rcv.writable.wake() }
        dropped.removeAll()
    }

    func poll(_ file: File, _ events: Int32, _ waiter: PollWaiter?) -> Int32 {
        let readIn = PollEvents.pollin | PollEvents.pollrdnorm
        let writeOut = PollEvents.pollout | PollEvents.pollwrnorm
        var revents: Int32 = 0
        lock.enter()
        let isListening = listening
        let queued = !acceptQueue.isEmpty
        let p = peer
        let noSend = cantSendMore
        let err = soError != 0
        let connected = isConnected
        let lowat = sndlowat
        if isListening {
            if queued { revents |= events & readIn } else if events & readIn != 0 { waiter?.record(acceptSel) }
        }
        lock.exit()
        if isListening { return revents }

        if events & readIn != 0 {
            rcv.lock.enter()
            if rcv.hasData || rcv.noMoreData || rcv.discard || err {
                revents |= events & readIn
            } else {
                waiter?.record(rcv.readSel)
            }
            rcv.lock.exit()
        }
        if events & writeOut != 0 {
            if noSend || err {
                revents |= events & writeOut
            } else if let p {
                let b = p.rcv
                b.lock.enter()
                let room: Bool
                if kind == .stream {
                    room = b.receiverGone || b.capacity - b.count >= lowat
                } else {
                    room = b.receiverGone || b.limit - b.recordBytes >= min(lowat, b.limit)
                }
                if room { revents |= events & writeOut } else { waiter?.record(b.writeSel) }
                b.lock.exit()
            } else if !isConnectionOriented {
                // An unconnected datagram socket may always try to send.
                revents |= events & writeOut
            } else if !connected {
                // Not connected: not writable (NetBSD's sowritable needs a
                // connection for PR_CONNREQUIRED).
            }
        }
        return revents
    }

    /// NetBSD's soo_stat and unp_stat: S_IFSOCK, readable unless shut and
    /// drained, writable unless shut; st_size the bytes queued; st_dev
    /// NODEV, a per-socket st_ino, the creation time, st_blksize SO_SNDBUF.
    func stat(_ file: File, _ l: Lwp) throws(Errno) -> NetBSDStat {
        var st = NetBSDStat()
        st.mode = NetBSDStat.socket
        lock.enter()
        let noRecv = cantRecvMore
        let noSend = cantSendMore
        if ino == 0 { ino = Socket.nextIno.wrappingAdd(1, ordering: .relaxed).newValue }
        st.ino = ino
        st.blksize = Int32(sndbuf)
        lock.exit()
        st.dev = UInt64.max
        st.atime = created
        st.mtime = created
        st.ctime = created
        rcv.lock.enter()
        let queued = kind == .stream ? rcv.count : rcv.recordBytes
        rcv.lock.exit()
        if !noRecv || queued > 0 { st.mode |= 0o444 }
        if !noSend { st.mode |= 0o222 }
        st.size = Int64(queued)
        st.uid = uid
        st.gid = gid
        return st
    }

    func ioctl(_ file: File, _ l: Lwp, _ command: UInt, _ data: UnsafeMutableRawPointer?) throws(Errno) {
        switch command {
        case PipeIoctl.fionbio, PipeIoctl.fioasync:
            return
        case PipeIoctl.fionread:
            rcv.lock.enter()
            let n = rcv.readableBytes
            rcv.lock.exit()
            data.unsafelyUnwrapped.storeBytes(of: Int32(n), as: Int32.self)
        case PipeIoctl.fionwrite:
            data.unsafelyUnwrapped.storeBytes(of: Int32(0), as: Int32.self)
        case PipeIoctl.fionspace:
            var n = 0
            if let (_, b) = peerBuffer() {
                b.lock.enter()
                n = kind == .stream ? b.capacity - b.count : b.limit - b.recordBytes
                b.lock.exit()
            }
            data.unsafelyUnwrapped.storeBytes(of: Int32(max(n, 0)), as: Int32.self)
        default:
            throw .ENOTTY
        }
    }
}

/// The socket behind a descriptor: EBADF for a bad one, ENOTSOCK for a file
/// that is not a socket.
func socketAt(_ l: Lwp, _ fd: Int32) throws(Errno) -> (File, Socket) {
    let file = try l.proc.files.get(fd)
    guard let so = file.ops as? Socket else { throw .ENOTSOCK }
    return (file, so)
}
