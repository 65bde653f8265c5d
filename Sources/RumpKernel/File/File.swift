import Synchronization

/// An open file (NetBSD's `struct file`): what a descriptor refers to. Several
/// descriptors, in one or many processes, may share one (dup, fork), and with
/// it the offset and status flags.
///
/// What the file is (a console, a vnode, a pipe end, a socket) is its
/// `FileOps`; this class holds what every kind shares.
public final class File {
    /// NetBSD open flags (rumpdefs.h values).
    public struct Flags: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let nonblock = Flags(rawValue: 0x4)
        public static let append = Flags(rawValue: 0x8)
        public static let async = Flags(rawValue: 0x40)
        public static let sync = Flags(rawValue: 0x80)
        public static let dsync = Flags(rawValue: 0x10000)
        public static let rsync = Flags(rawValue: 0x20000)
        public static let direct = Flags(rawValue: 0x80000)
        public static let cloexec = Flags(rawValue: 0x400000)
        public static let nosigpipe = Flags(rawValue: 0x1000000)

        /// What `F_SETFL` may change (NetBSD's FCNTLFLAGS).
        public static let settable: Flags = [.nonblock, .append, .async, .sync, .dsync, .rsync,
                                             .direct, .nosigpipe]
    }

    /// O_RDONLY, O_WRONLY or O_RDWR, as opened.
    public enum Access: Int32, Sendable {
        case readOnly = 0, writeOnly = 1, readWrite = 2

        var canRead: Bool { self != .writeOnly }
        var canWrite: Bool { self != .readOnly }
    }

    public let access: Access
    /// Status flags (F_GETFL/F_SETFL): written by fcntl and ioctl while other
    /// threads' I/O reads them, hence a relaxed atomic word.
    public var flags: Flags {
        get { Flags(rawValue: flagWord.load(ordering: .relaxed)) }
        set { flagWord.store(newValue.rawValue, ordering: .relaxed) }
    }
    private let flagWord: Atomic<Int32>
    /// The file offset, for kinds that have one. Threads sharing the file
    /// move it concurrently; relaxed atomic loads and stores keep that
    /// defined at the price of plain moves.
    public var offset: Int64 {
        get { offsetWord.load(ordering: .relaxed) }
        set { offsetWord.store(newValue, ordering: .relaxed) }
    }
    private let offsetWord = Atomic<Int64>(0)
    public let ops: FileOps
    /// How many times a descriptor for this file was closed (NetBSD's
    /// fd_close restarting sleepers): a sleeper that sees it non-zero or
    /// moved checks that its own descriptor still names this file.
    let restarts = Atomic<UInt32>(0)

    public init(access: Access, flags: Flags, ops: FileOps) {
        self.access = access
        self.flagWord = Atomic(flags.rawValue)
        self.ops = ops
    }

    deinit { ops.close(self) }
}

/// What a kind of file does (NetBSD's `fileops`). Defaults give the errors a
/// file that cannot do the thing gives.
public protocol FileOps: AnyObject {
    func read(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno)
    func write(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno)
    /// A device-specific ioctl, with its data already copied in (and copied
    /// out afterwards) as the command's encoding says.
    func ioctl(_ file: File, _ l: Lwp, _ command: UInt, _ data: UnsafeMutableRawPointer?) throws(Errno)
    func stat(_ file: File, _ l: Lwp) throws(Errno) -> NetBSDStat
    func pathconf(_ file: File, _ name: Int32) throws(Errno) -> Int
    /// poll and select (NetBSD's `fo_poll`): which of `events` (POLL* bits)
    /// hold now. When none does and `waiter` is given, the file records it
    /// (`waiter.record(selinfo)`) so that its next change wakes the caller.
    func poll(_ file: File, _ events: Int32, _ waiter: PollWaiter?) -> Int32
    /// kqueue's file filters (NetBSD's fo_kqfilter and f_event), EVFILT_READ
    /// and EVFILT_WRITE (and EVFILT_VNODE's attach check): nil while the
    /// filter does not hold (recording `waiter` as `poll` does), else its
    /// data and EOF; EINVAL for a filter the file has not. The default
    /// (IPC/KqueueFilters.swift) derives it from `poll`.
    func kevent(_ file: File, _ l: Lwp?, _ filter: UInt32, _ waiter: PollWaiter?) throws(Errno) -> KeventState?
    /// A descriptor for the file was closed (NetBSD's `fo_restart`): wake
    /// every thread asleep in it, so that one that came through the closed
    /// descriptor fails with EBADF (`File.wait`) and the others sleep on.
    func restart(_ file: File)
    /// The last reference to the file went away.
    func close(_ file: File)
}

public extension FileOps {
    /// By default a file takes the generic FIONBIO and FIOASYNC (the kernel
    /// keeps the flags) and nothing else.
    func ioctl(_ file: File, _ l: Lwp, _ command: UInt, _ data: UnsafeMutableRawPointer?) throws(Errno) {
        if command == IoctlCommand.fionbio || command == IoctlCommand.fioasync { return }
        throw .ENOTTY
    }
    func pathconf(_ file: File, _ name: Int32) throws(Errno) -> Int { throw .EINVAL }
    /// A file that never blocks is always readable and writable (NetBSD's
    /// `seltrue`, as regular files answer).
    func poll(_ file: File, _ events: Int32, _ waiter: PollWaiter?) -> Int32 {
        events & PollEvents.alwaysReady
    }
    func restart(_ file: File) {}
    func close(_ file: File) {}
}
