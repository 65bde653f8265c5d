@preconcurrency import CRump
import Synchronization

/// NetBSD's poll event bits (sys/poll.h).
public enum PollEvents {
    public static let pollin: Int32 = 0x0001
    public static let pollpri: Int32 = 0x0002
    public static let pollout: Int32 = 0x0004
    public static let pollerr: Int32 = 0x0008
    public static let pollhup: Int32 = 0x0010
    public static let pollnval: Int32 = 0x0020
    public static let pollrdnorm: Int32 = 0x0040
    public static let pollwrnorm: Int32 = pollout
    public static let pollrdband: Int32 = 0x0080
    public static let pollwrband: Int32 = 0x0100

    /// Readable and writable, the answer of a file that never blocks
    /// (NetBSD's `seltrue`, `genfs_poll`).
    public static let alwaysReady: Int32 = pollin | pollout | pollrdnorm | pollwrnorm
}

/// The pollers waiting for one source of events to change (NetBSD's
/// `struct selinfo`). The owner records pollers under its own lock while it
/// finds nothing ready (`PollWaiter.record`), and calls `notify()` under
/// that same lock after every change that may make something ready; the
/// shared lock is what makes a change between the check and the sleep
/// impossible to miss.
public final class SelInfo {
    private let waiters = Mutex<[UnsafeMutablePointer<rumpc_event>]>([])
    /// How many are registered: read without the mutex so that `notify`
    /// costs one load while nobody polls. It only grows under the owner's
    /// lock, so the owner sees every registration it must wake.
    private let count = Atomic<Int>(0)

    public init() {}

    /// Wake every registered poller.
    public func notify() {
        guard count.load(ordering: .relaxed) > 0 else { return }
        waiters.withLock { list in
            for event in list { rumpc_event_signal(event) }
        }
    }

    fileprivate func add(_ event: UnsafeMutablePointer<rumpc_event>) {
        waiters.withLock { $0.append(event) }
        count.wrappingAdd(1, ordering: .relaxed)
    }

    fileprivate func remove(_ event: UnsafeMutablePointer<rumpc_event>) {
        let removed = waiters.withLock { list -> Bool in
            guard let i = list.firstIndex(of: event) else { return false }
            list.remove(at: i)
            return true
        }
        if removed { count.wrappingSubtract(1, ordering: .relaxed) }
    }
}

/// One poll, select or pselect call waiting on several files at once: a
/// wake-up counter of the calling thread that files record in their
/// `SelInfo`s (NetBSD's selrecord), and the list of where it is recorded.
public final class PollWaiter {
    let channel: WaitChannel
    private var sources: [SelInfo] = []

    init() {
        channel = WaitChannel(raw: rumpc_thread_event())
    }

    deinit { clear() }

    /// Ask `sel` to wake this poller at its next change. Call it under the
    /// lock that also covers the owner's `sel.notify()` calls.
    public func record(_ sel: SelInfo) {
        for s in sources where s === sel { return }
        sel.add(channel.raw)
        sources.append(sel)
    }

    /// Leave every `SelInfo` this poller was recorded in.
    func clear() {
        for s in sources { s.remove(channel.raw) }
        sources.removeAll(keepingCapacity: true)
    }
}
