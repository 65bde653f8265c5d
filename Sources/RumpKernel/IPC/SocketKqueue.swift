// kqueue's socket filters (NetBSD's soo_kqfilter): filt_solisten for a
// listening socket, filt_soread and filt_sowrite otherwise. Unlike the
// generic filters derived from `poll`, these report EV_EOF once the
// socket can receive (or send) no more, and the byte counts as data.

extension Socket {
    func kevent(_ file: File, _ l: Lwp?, _ filter: UInt32, _ waiter: PollWaiter?) throws(Errno) -> KeventState? {
        switch filter {
        case Kev.filterRead:
            return readFilter(waiter)
        case Kev.filterWrite:
            return writeFilter(waiter)
        default:
            throw .EINVAL
        }
    }

    /// filt_solisten: connections waiting for accept; filt_soread: the
    /// bytes queued (sb_cc), EV_EOF once nothing more can arrive, ready at
    /// SO_RCVLOWAT bytes, at end of file, or with an error pending.
    private func readFilter(_ waiter: PollWaiter?) -> KeventState? {
        lock.enter()
        if listening {
            let n = acceptQueue.count
            if n == 0 { waiter?.record(acceptSel) }
            lock.exit()
            return n > 0 ? KeventState(data: Int64(n)) : nil
        }
        let noRecv = cantRecvMore
        let err = soError != 0
        let lowat = rcvlowat
        lock.exit()
        rcv.lock.enter()
        let n = kind == .stream ? rcv.count : rcv.recordBytes
        let eof = noRecv || rcv.noMoreData || rcv.discard
        let ready = eof || err || (n >= lowat && rcv.hasData)
        if !ready { waiter?.record(rcv.readSel) }
        rcv.lock.exit()
        return ready ? KeventState(data: Int64(n), eof: eof) : nil
    }

    /// filt_sowrite: the room to send (sbspace), EV_EOF once sending is
    /// shut; never ready on an unconnected connection-oriented socket;
    /// ready at SO_SNDLOWAT bytes of room.
    private func writeFilter(_ waiter: PollWaiter?) -> KeventState? {
        lock.enter()
        let noSend = cantSendMore
        let err = soError != 0
        let p = peer
        let lowat = sndlowat
        let space = sndbuf
        lock.exit()
        if noSend { return KeventState(data: 0, eof: true) }
        if err { return KeventState(data: Int64(space)) }
        guard let p else {
            // An unconnected datagram socket may always send.
            return isConnectionOriented ? nil : KeventState(data: Int64(space))
        }
        let b = p.rcv
        b.lock.enter()
        let room = kind == .stream ? b.capacity - b.count : b.limit - b.recordBytes
        let ready = b.receiverGone || room >= min(lowat, kind == .stream ? b.capacity : b.limit)
        if !ready { waiter?.record(b.writeSel) }
        b.lock.exit()
        return ready ? KeventState(data: Int64(max(room, 0))) : nil
    }
}
