@preconcurrency import CRump
import Glibc
import Synchronization

/// A pipe (NetBSD's sys_pipe.c): a bounded ring buffer between a read end
/// and a write end, each an open `File` whose ops is this object.
///
/// Semantics and numbers are NetBSD's: a 16 KiB buffer that grows to 64 KiB
/// for a large write into an empty pipe; writes of at most PIPE_BUF (512)
/// bytes are atomic; a read returns what is buffered (blocking only while
/// nothing is) and 0 once the writer is gone; a write blocks for room, and
/// fails with EPIPE (and SIGPIPE) once the reader is gone; O_NONBLOCK turns
/// the waits into EAGAIN. Writers are woken when a read leaves the buffer
/// less than a third full (NetBSD's MINPIPESIZE), readers at each write.
///
/// Everything below is guarded by `lock`, a short-term lock: data is copied
/// to and from the caller under it, and nobody sleeps holding it.
final class Pipe: FileOps {
    /// PIPE_SIZE, BIG_PIPE_SIZE, PIPE_BUF.
    static let size = 16384
    static let bigSize = 65536
    static let atomicWrite = 512
    /// Writers are woken once the buffer holds less than this (MINPIPESIZE).
    static let lowWater = size / 3
    /// NetBSD's maxbigpipes: how many pipes may grow to `bigSize` at once.
    static let maxBigPipes = 32
    private static let bigPipes = Atomic<Int>(0)

    private let lock = KernelLock.make()
    /// Readers wait here for data or the writer's close.
    private let readable = WaitChannel.make()
    /// Writers wait here for room or the reader's close.
    private let writable = WaitChannel.make()
    /// Pollers of the read end and of the write end.
    private let readSel = SelInfo()
    private let writeSel = SelInfo()

    private var buffer: UnsafeMutableRawPointer
    private var capacity = Pipe.size
    /// Where the next byte to read is, and how many bytes are buffered.
    private var head = 0
    private var count = 0
    /// Open files on each side: one each for pipe(2); FIFOs come and go.
    private var readers = 1
    private var writers = 1
    private var readerOpen: Bool { readers > 0 }
    private var writerOpen: Bool { writers > 0 }
    /// FIFO opens so far on each side: a waiting opener is satisfied by an
    /// open of the other side even if that side has closed again since.
    private var readerOpens = 0
    private var writerOpens = 0
    /// Threads between deciding to wait and taking the lock again.
    private var readersWaiting = 0
    private var writersWaiting = 0
    /// Host CPUs the last reader and writer ran on: who would wake a waiter.
    private var readerCPU = HostCPU.unknown
    private var writerCPU = HostCPU.unknown
    /// FIOASYNC, FIOSETOWN state (SIGIO itself waits for signals).
    private var async = false
    private var owner: Int32 = 0

    /// Times (realtime nanoseconds, coarse) and owner, as fstat reports them.
    private var readTime: Int64
    private var writeTime: Int64
    private let birthTime: Int64
    private let uid: UInt32
    private let gid: UInt32

    /// A pipe with both ends open, or (`fifo`) with none yet: a FIFO's ends
    /// are its opens (`openFifo`).
    init(uid: UInt32, gid: UInt32, fifo: Bool = false) {
        if fifo {
            readers = 0
            writers = 0
        }
        buffer = .allocate(byteCount: Pipe.size, alignment: 64)
        birthTime = rumpc_coarse_realtime_ns()
        readTime = birthTime
        writeTime = birthTime
        self.uid = uid
        self.gid = gid
    }

    deinit {
        buffer.deallocate()
        if capacity > Pipe.size { Pipe.bigPipes.wrappingSubtract(1, ordering: .relaxed) }
        lock.free()
        readable.free()
        writable.free()
    }

    /// Whether `file` is the read end (the other is write-only). A FIFO
    /// opened read-write is both; the read end's answers come first.
    @inline(__always)
    private func isReadEnd(_ file: File) -> Bool { file.access != .writeOnly }

    // MARK: read and write

    func read(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno) {
        guard uio.residual > 0 else { return }
        lock.enter()
        readerCPU = HostCPU.current
        while count == 0 {
            if !writerOpen {
                lock.exit()
                return
            }
            if file.flags.contains(.nonblock) {
                lock.exit()
                throw .EAGAIN
            }
            let seen = readable.seq
            let peer = writerCPU
            readersWaiting += 1
            lock.exit()
            let result = file.wait(readable, seen: seen, peerCPU: peer, l)
            lock.enter()
            readersWaiting -= 1
            readerCPU = HostCPU.current
            if let error = result.error {
                lock.exit()
                throw error
            }
        }

        let before = uio.residual
        let want = min(count, before)
        let first = min(want, capacity - head)
        var failure: Errno?
        do {
            try uio.move(buffer + head, count: first)
            if want > first { try uio.move(buffer, count: want - first) }
        } catch {
            failure = error
        }
        let moved = before - uio.residual
        count -= moved
        head = count == 0 ? 0 : (head + moved) % capacity
        if failure == nil { readTime = rumpc_coarse_realtime_ns() }

        var wakeWriters = false
        if writersWaiting > 0 && count < Pipe.lowWater {
            wakeWriters = writable.bump()
        }
        if moved > 0 && capacity - count >= Pipe.atomicWrite { writeSel.notify() }
        lock.exit()
        if wakeWriters { writable.wake() }
        if let failure { throw failure }
    }

    func write(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno) {
        lock.enter()
        guard readerOpen else {
            lock.exit()
            brokenPipe(file, l)
            throw .EPIPE
        }
        writerCPU = HostCPU.current
        if uio.residual > Pipe.size && capacity <= Pipe.size && count == 0 { grow() }

        var failure: Errno?
        while uio.residual > 0 {
            var space = capacity - count
            // Writes of at most PIPE_BUF bytes go in whole or wait.
            if space < uio.residual && uio.residual <= Pipe.atomicWrite { space = 0 }
            if space > 0 {
                let before = uio.residual
                let n = min(space, before)
                let tail = (head + count) % capacity
                let first = min(n, capacity - tail)
                do {
                    try uio.move(buffer + tail, count: first)
                    if n > first { try uio.move(buffer, count: n - first) }
                } catch {
                    failure = error
                }
                count += before - uio.residual
                if failure != nil { break }
                continue
            }
            if file.flags.contains(.nonblock) {
                failure = .EAGAIN
                break
            }
            // Full: hand what is buffered to the readers, wait for room.
            let wakeReaders = readersWaiting > 0 && readable.bump()
            readSel.notify()
            let seen = writable.seq
            let peer = readerCPU
            writersWaiting += 1
            lock.exit()
            if wakeReaders { readable.wake() }
            let result = file.wait(writable, seen: seen, peerCPU: peer, l)
            lock.enter()
            writersWaiting -= 1
            writerCPU = HostCPU.current
            if !readerOpen {
                failure = .EPIPE
                break
            }
            // A signal ends the wait: what went in so far is reported.
            if let error = result.error {
                failure = error
                break
            }
        }

        var wakeReaders = false
        if count > 0 {
            if readersWaiting > 0 { wakeReaders = readable.bump() }
            readSel.notify()
        }
        // NetBSD: no EPIPE when everything went out and was read.
        if failure == .EPIPE && count == 0 && uio.residual == 0 { failure = nil }
        if failure == nil { writeTime = rumpc_coarse_realtime_ns() }
        lock.exit()
        if wakeReaders { readable.wake() }
        if let failure {
            if failure == .EPIPE { brokenPipe(file, l) }
            throw failure
        }
    }

    /// Grow an empty buffer to BIG_PIPE_SIZE for a large write, while fewer
    /// than `maxBigPipes` pipes are big (NetBSD's pipespace).
    private func grow() {
        let n = Pipe.bigPipes.wrappingAdd(1, ordering: .relaxed).newValue
        guard n <= Pipe.maxBigPipes else {
            Pipe.bigPipes.wrappingSubtract(1, ordering: .relaxed)
            return
        }
        buffer.deallocate()
        buffer = .allocate(byteCount: Pipe.bigSize, alignment: 64)
        capacity = Pipe.bigSize
        head = 0
    }

    /// A write found no reader: SIGPIPE, unless the file says O_NOSIGPIPE.
    private func brokenPipe(_ file: File, _ l: Lwp) {
        if !file.flags.contains(.nosigpipe) { postSigpipe(l) }
    }

    // MARK: close

    /// A descriptor for `file` was closed: its sleepers look again.
    func restart(_ file: File) {
        lock.enter()
        let wakeReaders = readable.bump()
        let wakeWriters = writable.bump()
        readSel.notify()
        writeSel.notify()
        lock.exit()
        if wakeReaders { readable.wake() }
        if wakeWriters { writable.wake() }
    }

    func close(_ file: File) { release(file.access) }

    /// An end opened with `access` went away.
    private func release(_ access: File.Access) {
        lock.enter()
        var wakeWriters = false, wakeReaders = false
        if access.canRead {
            readers -= 1
            if readers == 0 {
                wakeWriters = writable.bump()
                writeSel.notify()
            }
        }
        if access.canWrite {
            writers -= 1
            if writers == 0 {
                wakeReaders = readable.bump()
                readSel.notify()
            }
        }
        // A FIFO nobody has open forgets what it held, as NetBSD's does.
        if readers == 0 && writers == 0 {
            count = 0
            head = 0
        }
        lock.exit()
        if wakeWriters { writable.wake() }
        if wakeReaders { readable.wake() }
    }

    // MARK: FIFO opens

    /// Open a FIFO's end(s), as NetBSD's fifo_open: a reader waits for a
    /// writer and a writer for a reader, unless O_NONBLOCK, where a writer
    /// with no reader gets ENXIO; a read-write open never waits.
    /// A signal for `l` ends the wait with EINTR, undoing the open.
    func openFifo(access: File.Access, nonblocking: Bool, _ l: Lwp) throws(Errno) {
        lock.enter()
        // Taken before the lock is first dropped: an open of the other side
        // after this point, however brief, satisfies the wait below.
        let otherOpens = access == .readOnly ? writerOpens : readerOpens
        let otherWasOpen = access == .readOnly ? writers > 0 : readers > 0
        if access.canRead {
            readers += 1
            readerOpens += 1
            if readers == 1 {
                let wake = writable.bump()
                writeSel.notify()
                if wake { lock.exit(); writable.wake(); lock.enter() }
            }
        }
        if access.canWrite {
            if readers == 0 && nonblocking {
                lock.exit()
                throw .ENXIO
            }
            writers += 1
            writerOpens += 1
            if writers == 1 {
                let wake = readable.bump()
                readSel.notify()
                if wake { lock.exit(); readable.wake(); lock.enter() }
            }
        }
        // Wait for the other side, blocking opens only.
        while !nonblocking && access != .readWrite && !otherWasOpen {
            if access == .readOnly ? writers > 0 || writerOpens != otherOpens
                                   : readers > 0 || readerOpens != otherOpens { break }
            let channel = access == .readOnly ? readable : writable
            let seen = channel.seq
            if access == .readOnly { readersWaiting += 1 } else { writersWaiting += 1 }
            lock.exit()
            let result = channel.wait(seen: seen, peerCPU: HostCPU.unknown, interruptibleBy: l)
            lock.enter()
            if access == .readOnly { readersWaiting -= 1 } else { writersWaiting -= 1 }
            if result == .interrupted {
                lock.exit()
                // As a close of the end just opened (NetBSD's fifo_open
                // undoes its counts on an interrupted wait).
                release(access)
                throw .EINTR
            }
        }
        lock.exit()
    }

    // MARK: poll

    /// NetBSD's pipe_poll, for a pipe whose write end has no buffer of its
    /// own: the read end is readable with data or once the writer is gone;
    /// the write end is writable with PIPE_BUF bytes of room; a widowed end
    /// reports POLLHUP, and also whatever it was asked of POLLIN and POLLOUT.
    func poll(_ file: File, _ events: Int32, _ waiter: PollWaiter?) -> Int32 {
        let readIn = PollEvents.pollin | PollEvents.pollrdnorm
        let writeOut = PollEvents.pollout | PollEvents.pollwrnorm
        var revents: Int32 = 0
        lock.enter()
        if file.access.canRead {
            if count > 0 || !writerOpen { revents |= events & readIn }
            if !writerOpen { revents |= (events & writeOut) | PollEvents.pollhup }
            if revents == 0 { waiter?.record(readSel) }
        }
        if file.access.canWrite {
            if !readerOpen {
                revents |= (events & (readIn | writeOut)) | PollEvents.pollhup
            } else if capacity - count >= Pipe.atomicWrite {
                revents |= events & writeOut
            }
            if revents == 0 { waiter?.record(writeSel) }
        }
        lock.exit()
        return revents
    }

    // MARK: stat, pathconf, ioctl

    /// NetBSD's pipe_stat: a FIFO of mode 0600 owned by the creator; the read
    /// end reports the bytes buffered and its read and write times, the write
    /// end (which has no buffer of its own) its peer's buffer size.
    func stat(_ file: File, _ l: Lwp) throws(Errno) -> NetBSDStat {
        var st = NetBSDStat()
        st.mode = NetBSDStat.fifo | 0o600
        st.uid = uid
        st.gid = gid
        lock.enter()
        let times: (Int64, Int64)
        if isReadEnd(file) {
            st.blksize = Int32(capacity)
            st.size = Int64(count)
            st.blocks = count > 0 ? 1 : 0
            times = (readTime, writeTime)
        } else {
            st.blksize = readerOpen ? Int32(capacity) : 0
            times = (birthTime, birthTime)
        }
        lock.exit()
        st.atime = realtimeSpec(times.0)
        st.mtime = realtimeSpec(times.1)
        st.ctime = realtimeSpec(birthTime)
        st.birthtime = st.ctime
        return st
    }

    /// fpathconf on a pipe knows only _PC_PIPE_BUF (6).
    func pathconf(_ file: File, _ name: Int32) throws(Errno) -> Int {
        guard name == 6 else { throw .EINVAL }
        return Pipe.atomicWrite
    }

    func ioctl(_ file: File, _ l: Lwp, _ command: UInt, _ data: UnsafeMutableRawPointer?) throws(Errno) {
        switch command {
        case PipeIoctl.fionbio:
            return
        case PipeIoctl.fioasync:
            let on = data.unsafelyUnwrapped.load(as: Int32.self) != 0
            lock.enter()
            async = on
            lock.exit()
        case PipeIoctl.fionread:
            lock.enter()
            let n = isReadEnd(file) ? count : 0
            lock.exit()
            data.unsafelyUnwrapped.storeBytes(of: Int32(n), as: Int32.self)
        case PipeIoctl.fionwrite, PipeIoctl.fionspace:
            // "The other side": for the write end, the buffer it fills; the
            // read end's peer has none.
            lock.enter()
            var n = 0
            if !isReadEnd(file) && readerOpen {
                n = command == PipeIoctl.fionwrite ? count : capacity - count
            }
            lock.exit()
            data.unsafelyUnwrapped.storeBytes(of: Int32(n), as: Int32.self)
        case PipeIoctl.fiosetown, PipeIoctl.tiocspgrp:
            let id = try checkedOwner(command, data.unsafelyUnwrapped.load(as: Int32.self))
            lock.enter()
            owner = id
            lock.exit()
        case PipeIoctl.fiogetown, PipeIoctl.tiocgpgrp:
            lock.enter()
            let id = owner
            lock.exit()
            data.unsafelyUnwrapped.storeBytes(of: command == PipeIoctl.tiocgpgrp ? -id : id,
                                              as: Int32.self)
        default:
            throw .ENOTTY
        }
    }

    /// NetBSD's fsetown: 0 clears; FIOSETOWN takes a pid (or -pgid),
    /// TIOCSPGRP a positive process group; who is named must exist.
    private func checkedOwner(_ command: UInt, _ value: Int32) throws(Errno) -> Int32 {
        if value == 0 { return 0 }
        var id = value
        if command == PipeIoctl.tiocspgrp {
            guard value > 0 else { throw .EINVAL }
            id = -value
        }
        let exists = procTable.withLock { table in
            id > 0 ? table.procs[id] != nil : table.procs.values.contains { $0.pgid == -id }
        }
        guard exists else { throw .ESRCH }
        return id
    }
}

/// The ioctl commands a pipe knows (NetBSD's sys/filio.h, sys/ttycom.h).
enum PipeIoctl {
    static let fionread: UInt = 0x4004_667f     // _IOR('f', 127, int)
    static let fionbio: UInt = 0x8004_667e      // _IOW('f', 126, int)
    static let fioasync: UInt = 0x8004_667d     // _IOW('f', 125, int)
    static let fiosetown: UInt = 0x8004_667c    // _IOW('f', 124, int)
    static let fiogetown: UInt = 0x4004_667b    // _IOR('f', 123, int)
    static let fionwrite: UInt = 0x4004_6679    // _IOR('f', 121, int)
    static let fionspace: UInt = 0x4004_6678    // _IOR('f', 120, int)
    static let tiocspgrp: UInt = 0x8004_7476    // _IOW('t', 118, int)
    static let tiocgpgrp: UInt = 0x4004_7477    // _IOR('t', 119, int)
}

/// A coarse host realtime reading as the kernel's realtime clock (which
/// root may have set apart from the host's).
private func realtimeSpec(_ hostNanoseconds: Int64) -> NetBSDTimespec {
    var host = timespec()
    clock_gettime(CLOCK_REALTIME, &host)
    let now = (try? Clock.now(Clock.realtime)) ?? host
    return NetBSDTimespec(timespec(nanoseconds: hostNanoseconds &+ (now.nanoseconds &- host.nanoseconds)))
}
