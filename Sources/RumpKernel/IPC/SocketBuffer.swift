@preconcurrency import CRump

/// One message of a datagram or seqpacket socket (NetBSD's record of mbufs):
/// the bytes, the sender's name (datagrams) and descriptors in flight.
struct SocketRecord {
    var data: [UInt8]
    var from: [UInt8]?
    var rights: [File]
    /// Sent with MSG_EOR (M_EOR): reported back as MSG_EOR.
    var eor = false
}

/// The receive buffer of a local socket (NetBSD's `so_rcv`): where the peer's
/// sends land. A stream socket keeps a byte ring (with descriptors in flight
/// anchored at byte positions); datagram and seqpacket sockets keep records.
///
/// Everything is guarded by `lock`, a short-term lock as the pipe's: data is
/// copied to and from the caller under it, and nobody sleeps holding it.
/// Receivers wait on `readable`, senders on `writable` (the pipe's protocol:
/// read `seq` under the lock, drop it, wait; wakers bump under the lock).
final class SocketBuffer {
    /// The stream ring: larger than NetBSD's 4096-byte sb_hiwat so that bulk
    /// transfers move 64 KiB per wake-up (SO_RCVBUF still reports NetBSD's).
    static let streamCapacity = 128 * 1024
    /// Senders are woken once the ring holds less than this.
    static let streamLowWater = streamCapacity / 2

    let lock = KernelLock.make()
    let readable = WaitChannel.make()
    let writable = WaitChannel.make()
    let readSel = SelInfo()
    let writeSel = SelInfo()
    var readersWaiting = 0
    var writersWaiting = 0
    var readerCPU = HostCPU.unknown
    var writerCPU = HostCPU.unknown

    // Stream bytes.
    private(set) var ring: UnsafeMutableRawPointer?
    let capacity: Int
    var head = 0
    var count = 0
    /// Bytes consumed so far and bytes appended so far (stream positions).
    var readPos = 0
    var writePos = 0
    /// Descriptors in flight in a stream, each at the position of the first
    /// byte of the send that carried them.
    var streamRights: [(pos: Int, files: [File])] = []

    // Records.
    var records: [SocketRecord] = []
    var recordHead = 0
    /// Bytes queued in records (data and names), against `limit`.
    var recordBytes = 0
    /// How many record bytes may be queued (NetBSD's sb_hiwat).
    var limit: Int

    /// No more data will arrive (the peer shut down writing or is gone):
    /// receivers drain what is queued, then see end of file.
    var noMoreData = false
    /// Nobody will receive (this socket is closed): senders get EPIPE.
    var receiverGone = false
    /// SHUT_RD: arriving data is dropped, reads return 0.
    var discard = false

    init(stream: Bool, limit: Int) {
        capacity = stream ? SocketBuffer.streamCapacity : 0
        self.limit = limit
    }

    deinit {
        ring?.deallocate()
        lock.free()
        readable.free()
        writable.free()
    }

    /// The ring, allocated at the first stream send (lock held).
    @inline(__always)
    func streamRing() -> UnsafeMutableRawPointer {
        if let ring { return ring }
        let r = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        ring = r
        return r
    }

    /// Queued records (lock held).
    var recordCount: Int { records.count - recordHead }

    /// Whether a receive would find something (lock held): data, or a record.
    var hasData: Bool { count > 0 || recordHead < records.count }

    /// Bytes a FIONREAD reports (lock held).
    var readableBytes: Int {
        if capacity > 0 { return count }
        return recordHead < records.count ? records[recordHead].data.count : 0
    }

    func popRecord() -> SocketRecord {
        let r = records[recordHead]
        records[recordHead] = SocketRecord(data: [], from: nil, rights: [])
        recordHead += 1
        recordBytes -= r.data.count + (r.from?.count ?? 0)
        if recordHead == records.count {
            records.removeAll(keepingCapacity: true)
            recordHead = 0
        } else if recordHead >= 64 && recordHead * 2 >= records.count {
            records.removeFirst(recordHead)
            recordHead = 0
        }
        return r
    }

    /// Drop everything queued (SHUT_RD, close); returns the descriptors in
    /// flight so that the caller releases them with no lock held.
    func flush() -> [File] {
        var files: [File] = []
        for e in streamRights { files += e.files }
        streamRights.removeAll()
        while recordHead < records.count { files += popRecord().rights }
        readPos += count
        count = 0
        head = 0
        return files
    }

    /// Wake everyone asleep on the buffer, to look again (a descriptor was
    /// closed: `FileOps.restart`). Takes the lock.
    func restartSleepers() {
        lock.enter()
        let wr = readable.bump()
        let ww = writable.bump()
        readSel.notify()
        writeSel.notify()
        lock.exit()
        if wr { readable.wake() }
        if ww { writable.wake() }
    }

    /// Wake receivers and pollers for reading (lock held); true: call
    /// `readable.wake()` after dropping the lock.
    func readableChanged() -> Bool {
        readSel.notify()
        return readersWaiting > 0 && readable.bump()
    }

    /// Wake senders and pollers for writing (lock held).
    func writableChanged() -> Bool {
        writeSel.notify()
        return writersWaiting > 0 && writable.bump()
    }
}
