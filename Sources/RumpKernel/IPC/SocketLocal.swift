@preconcurrency import CRump

// The local domain's protocol (NetBSD's uipc_usrreq.c with sosend and
// soreceive folded in): a send lands directly in the peer's receive buffer.
// Streams are byte rings, datagrams and seqpackets records.

extension Socket {
    /// A deadline from SO_SNDTIMEO / SO_RCVTIMEO (zero: none).
    @inline(__always)
    private func deadline(_ t: (Int64, Int64)) -> Int64? {
        if t.0 == 0 && t.1 == 0 { return nil }
        return monotonicNow() &+ t.0 &* 1_000_000_000 &+ t.1 &* 1000
    }

    /// Send the bytes of `uio` (sosend). `to`: a datagram's destination
    /// path; `rights`: descriptors in flight. EPIPE posts SIGPIPE unless the
    /// file, the flags or SO_NOSIGPIPE say not to.
    func send(_ file: File, _ l: Lwp, _ uio: Uio, flags: Int32, to: [UInt8]?, rights: [File]) throws(Errno) {
        do {
            if kind == .stream {
                try sendStream(file, l, uio, flags: flags, rights: rights)
            } else {
                try sendRecord(file, l, uio, flags: flags, to: to, rights: rights)
            }
        } catch {
            if error == .EPIPE {
                lock.enter()
                let quiet = options & SocketConst.soNosigpipe != 0
                lock.exit()
                if !quiet && flags & SocketConst.msgNosignal == 0 && !file.flags.contains(.nosigpipe) {
                    postSigpipe(l)
                }
            }
            throw error
        }
    }

    @inline(__always)
    private func nonblocking(_ file: File, _ flags: Int32) -> Bool {
        file.flags.contains(.nonblock) || flags & (SocketConst.msgDontwait | SocketConst.msgNbio) != 0
    }

    private func sendStream(_ file: File, _ l: Lwp, _ uio: Uio, flags: Int32, rights: [File]) throws(Errno) {
        lock.enter()
        let noSend = cantSendMore
        let p = peer
        let timeout = sndtimeo
        lock.exit()
        if noSend { throw .EPIPE }
        guard let p else { throw .ENOTCONN }
        let b = p.rcv
        let nonblock = nonblocking(file, flags)
        let limit = deadline(timeout)
        b.lock.enter()
        if b.receiverGone {
            b.lock.exit()
            throw .EPIPE
        }
        b.writerCPU = HostCPU.current
        let ring = b.streamRing()
        if !rights.isEmpty { b.streamRights.append((b.writePos, rights)) }
        let start = uio.residual
        var failure: Errno?
        while uio.residual > 0 {
            if b.receiverGone {
                failure = .EPIPE
                break
            }
            let space = b.capacity - b.count
            if space > 0 {
                let before = uio.residual
                let n = min(space, before)
                let tail = (b.head + b.count) % b.capacity
                let first = min(n, b.capacity - tail)
                do {
                    try uio.move(ring + tail, count: first)
                    if n > first { try uio.move(ring, count: n - first) }
                } catch {
                    failure = error
                }
                let moved = before - uio.residual
                if !b.discard {
                    b.count += moved
                    b.writePos += moved
                }
                if failure != nil { break }
                continue
            }
            if nonblock {
                failure = .EAGAIN
                break
            }
            // Full: hand what is queued to the receiver, wait for room.
            let wakeReaders = b.readableChanged()
            let seen = b.writable.seq
            let peerCPU = b.readerCPU
            b.writersWaiting += 1
            b.lock.exit()
            if wakeReaders { b.readable.wake() }
            let r = file.wait(b.writable, seen: seen, peerCPU: peerCPU, deadline: limit, l)
            b.lock.enter()
            b.writersWaiting -= 1
            b.writerCPU = HostCPU.current
            if let error = r.error {
                failure = error
                break
            }
            if r == .timedOut && b.capacity - b.count == 0 {
                failure = .EAGAIN
                break
            }
        }
        if uio.residual == start && !rights.isEmpty, let last = b.streamRights.last, last.pos == b.writePos {
            // Nothing went out: the descriptors did not either.
            b.streamRights.removeLast()
        }
        var wakeReaders = false
        if b.count > 0 { wakeReaders = b.readableChanged() }
        b.lock.exit()
        if wakeReaders { b.readable.wake() }
        if let failure { throw failure }
    }

    private func sendRecord(_ file: File, _ l: Lwp, _ uio: Uio, flags: Int32, to: [UInt8]?,
                            rights: [File]) throws(Errno) {
        lock.enter()
        let noSend = cantSendMore
        var p = peer
        let maxSize = sndbuf
        let myName = name
        let timeout = sndtimeo
        lock.exit()
        if noSend { throw .EPIPE }
        let size = uio.residual
        if size > maxSize { throw .EMSGSIZE }
        if kind == .dgram {
            if let to {
                if p != nil { throw .EISCONN }
                p = try SocketNames.lookup(l, to, kind: kind)
            } else if let cur = p, cur.isClosedNow {
                // The destination went away: NetBSD's unp_detach drops the
                // sockets connected to it with ECONNRESET, which the next
                // send reports; after that they are unconnected.
                lock.enter()
                if peer === cur { peer = nil; isConnected = false }
                lock.exit()
                throw .ECONNRESET
            }
        }
        guard let p else { throw .ENOTCONN }

        // A datagram carries its sender's address (unp_output: sun_noname
        // for an unbound sender).
        let from = kind == .dgram ? SocketNames.sockaddr(myName) : nil
        let need = size + (from?.count ?? 0)
        let b = p.rcv
        let nonblock = nonblocking(file, flags)
        let limit = deadline(timeout)
        b.lock.enter()
        while true {
            if b.receiverGone {
                b.lock.exit()
                throw kind == .dgram ? .ECONNREFUSED : .EPIPE
            }
            if b.discard { break }
            if need > b.limit {
                b.lock.exit()
                throw kind == .dgram ? .ENOBUFS : .EMSGSIZE
            }
            if b.limit - b.recordBytes >= need { break }
            if kind == .dgram {
                b.lock.exit()
                throw .ENOBUFS
            }
            if nonblock {
                b.lock.exit()
                throw .EAGAIN
            }
            let seen = b.writable.seq
            b.writersWaiting += 1
            b.lock.exit()
            let r = file.wait(b.writable, seen: seen, peerCPU: HostCPU.unknown, deadline: limit, l)
            b.lock.enter()
            b.writersWaiting -= 1
            if let error = r.error {
                b.lock.exit()
                throw error
            }
            if r == .timedOut && b.limit - b.recordBytes < need {
                b.lock.exit()
                throw .EAGAIN
            }
        }
        // The data goes in once there is room for it (copied under the
        // lock, as the stream's is): an interrupted wait moved nothing.
        var data = [UInt8](repeating: 0, count: size)
        if size > 0 {
            var failure: Errno?
            data.withUnsafeMutableBytes { buf in
                do throws(Errno) { try uio.move(buf.baseAddress.unsafelyUnwrapped, count: size) } catch { failure = error }
            }
            if let failure {
                b.lock.exit()
                throw failure
            }
        }
        if b.discard {
            b.lock.exit()
            return
        }
        b.records.append(SocketRecord(data: data, from: from, rights: rights,
                                      eor: flags & SocketConst.msgEor != 0))
        b.recordBytes += need
        let wake = b.readableChanged()
        b.lock.exit()
        if wake { b.readable.wake() }
    }

    var isClosedNow: Bool {
        lock.enter()
        defer { lock.exit() }
        return isClosed
    }

    /// Receive into `uio` (soreceive). `flags` in: MSG_PEEK, MSG_WAITALL,
    /// MSG_DONTWAIT; out: MSG_TRUNC, MSG_EOR. Returns the sender's name
    /// (datagrams) and the descriptors that came with the data.
    func receive(_ file: File, _ l: Lwp, _ uio: Uio, flags: inout Int32,
                 wantRights: Bool) throws(Errno) -> (from: [UInt8]?, rights: [File]) {
        let nonblock = nonblocking(file, flags)
        lock.enter()
        let timeout = rcvtimeo
        // soreceive: a connection-oriented socket that never connected has
        // nothing to wait for (ENOTCONN once its buffer is empty).
        let unconnected = isConnectionOriented && peer == nil && !cantRecvMore
        lock.exit()
        let limit = deadline(timeout)
        if kind == .stream {
            let rights = try receiveStream(file, l, uio, flags: &flags, nonblock: nonblock, limit: limit,
                                           unconnected: unconnected)
            return (nil, wantRights ? rights : [])
        }
        return try receiveRecord(file, l, uio, flags: &flags, nonblock: nonblock, limit: limit, wantRights: wantRights,
                                 unconnected: unconnected)
    }

    private func receiveStream(_ file: File, _ l: Lwp, _ uio: Uio, flags: inout Int32, nonblock: Bool,
                               limit: Int64?, unconnected: Bool) throws(Errno) -> [File] {
        let peek = flags & SocketConst.msgPeek != 0
        let waitAll = flags & SocketConst.msgWaitall != 0 && !peek
        flags = 0
        let b = rcv
        var rights: [File] = []
        var failure: Errno?
        let start = uio.residual
        b.lock.enter()
        b.readerCPU = HostCPU.current
        while uio.residual > 0 {
            if b.count > 0 {
                var n = min(b.count, uio.residual)
                // Descriptors travel with the first byte of their send, and
                // a receive stops before the next send that carries some.
                if let first = b.streamRights.first {
                    if first.pos <= b.readPos {
                        // Control data starts a new record: a receive that
                        // has moved bytes already stops here.
                        if !rights.isEmpty || uio.residual < start { break }
                        if !peek {
                            rights = first.files
                            b.streamRights.removeFirst()
                        }
                        if let next = b.streamRights.first(where: { $0.pos > b.readPos }) {
                            n = min(n, next.pos - b.readPos)
                        }
                    } else {
                        n = min(n, first.pos - b.readPos)
                    }
                }
                let before = uio.residual
                let ring = b.streamRing()
                let first = min(n, b.capacity - b.head)
                do {
                    try uio.move(ring + b.head, count: first)
                    if n > first { try uio.move(ring, count: n - first) }
                } catch {
                    failure = error
                }
                let moved = before - uio.residual
                if !peek {
                    b.count -= moved
                    b.readPos += moved
                    b.head = b.count == 0 ? 0 : (b.head + moved) % b.capacity
                    var wake = false
                    if b.writersWaiting > 0 && b.count < SocketBuffer.streamLowWater {
                        wake = b.writable.bump()
                    }
                    if moved > 0 { b.writeSel.notify() }
                    if wake {
                        b.lock.exit()
                        b.writable.wake()
                        b.lock.enter()
                    }
                }
                if failure != nil || !waitAll || !rights.isEmpty { break }
                continue
            }
            if b.noMoreData || b.discard { break }
            if unconnected {
                failure = .ENOTCONN
                break
            }
            if nonblock {
                failure = .EAGAIN
                break
            }
            let seen = b.readable.seq
            let peerCPU = b.writerCPU
            b.readersWaiting += 1
            b.lock.exit()
            let r = file.wait(b.readable, seen: seen, peerCPU: peerCPU, deadline: limit, l)
            b.lock.enter()
            b.readersWaiting -= 1
            b.readerCPU = HostCPU.current
            if let error = r.error {
                failure = error
                break
            }
            if r == .timedOut && b.count == 0 && !b.noMoreData {
                failure = .EAGAIN
                break
            }
        }
        b.lock.exit()
        if let failure { throw failure }
        return rights
    }

    private func receiveRecord(_ file: File, _ l: Lwp, _ uio: Uio, flags: inout Int32, nonblock: Bool, limit: Int64?,
                               wantRights: Bool, unconnected: Bool) throws(Errno) -> (from: [UInt8]?, rights: [File]) {
        let peek = flags & SocketConst.msgPeek != 0
        flags = 0
        let b = rcv
        b.lock.enter()
        var record: SocketRecord?
        while true {
            if b.recordHead < b.records.count {
                record = peek ? b.records[b.recordHead] : b.popRecord()
                break
            }
            if b.discard || (kind != .dgram && b.noMoreData) { break }
            if unconnected {
                b.lock.exit()
                throw .ENOTCONN
            }
            if nonblock {
                b.lock.exit()
                throw .EAGAIN
            }
            let seen = b.readable.seq
            b.readersWaiting += 1
            b.lock.exit()
            let r = file.wait(b.readable, seen: seen, peerCPU: HostCPU.unknown, deadline: limit, l)
            b.lock.enter()
            b.readersWaiting -= 1
            if let error = r.error {
                b.lock.exit()
                throw error
            }
            if r == .timedOut && b.recordHead >= b.records.count {
                b.lock.exit()
                throw .EAGAIN
            }
        }
        var wake = false
        if record != nil && !peek { wake = b.writableChanged() }
        b.lock.exit()
        if wake { b.writable.wake() }
        guard let record else { return (nil, []) }
        let n = min(record.data.count, uio.residual)
        if n > 0 {
            var failure: Errno?
            var data = record.data
            data.withUnsafeMutableBytes { buf in
                do throws(Errno) { try uio.move(buf.baseAddress.unsafelyUnwrapped, count: n) } catch { failure = error }
            }
            if let failure { throw failure }
        }
        if n < record.data.count {
            flags |= SocketConst.msgTrunc
        } else if record.eor {
            flags |= SocketConst.msgEor
        }
        return (record.from, peek || !wantRights ? [] : record.rights)
    }
}
