// kqueue's file filters, EVFILT_READ and EVFILT_WRITE, as files answer
// them (NetBSD's fo_kqfilter and each filter's f_event).

/// FIONREAD and FIONSPACE (sys/filio.h): a file's bytes to read and room to
/// write, which the generic filters report as `data`.
private let fionread: UInt = 0x4004_667f
private let fionspace: UInt = 0x4004_6678

public extension FileOps {
    /// The generic filters, from `poll` (so every file that polls, and
    /// records pollers in its `SelInfo`, works with kqueue): EVFILT_READ
    /// holds when POLLIN would, EVFILT_WRITE when POLLOUT would (a pipe:
    /// PIPE_BUF bytes of room), POLLHUP is EV_EOF, and the data is what
    /// FIONREAD or FIONSPACE say (0 for a file that knows neither). Other
    /// filters are EINVAL.
    func kevent(_ file: File, _ l: Lwp?, _ filter: UInt32, _ waiter: PollWaiter?) throws(Errno) -> KeventState? {
        let wanted: Int32
        let query: UInt
        switch filter {
        case Kev.filterRead:
            wanted = PollEvents.pollin | PollEvents.pollrdnorm
            query = fionread
        case Kev.filterWrite:
            wanted = PollEvents.pollout | PollEvents.pollwrnorm
            query = fionspace
        default:
            throw .EINVAL
        }
        let revents = poll(file, wanted, waiter)
        guard revents & (wanted | PollEvents.pollhup) != 0 else { return nil }
        var state = KeventState(eof: revents & PollEvents.pollhup != 0)
        if let l {
            var n: Int32 = 0
            if (try? ioctl(file, l, query, &n)) != nil { state.data = Int64(n) }
        }
        return state
    }
}

extension VnodeFile {
    /// NetBSD's genfs filters: a regular file is readable while the offset
    /// is short of the end (data: the bytes left), other vnodes always;
    /// every vnode is writable (data 0). EVFILT_VNODE is the kqueue's own
    /// business (hints posted by the file system); it is accepted here.
    func kevent(_ file: File, _ l: Lwp?, _ filter: UInt32, _ waiter: PollWaiter?) throws(Errno) -> KeventState? {
        switch filter {
        case Kev.filterRead:
            guard vnode.type == .reg else { return KeventState() }
            let size = vnode.lock.read { vnode.host?.currentSize() ?? vnode.size }
            let left = size - file.offset
            return left != 0 ? KeventState(data: left) : nil
        case Kev.filterWrite:
            return KeventState()
        case Kev.filterVnode:
            return nil
        default:
            throw .EINVAL
        }
    }
}
