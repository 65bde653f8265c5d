@preconcurrency import CRump
import Synchronization

// Workqueues (NetBSD's workqueue(9)): a FIFO of caller-owned `struct work`
// (laid out as `rumpc_work`, rump_kern.h) run by one kernel thread per queue.

final class WorkQueue {
    typealias Handler = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void

    struct State {
        var head: UnsafeMutablePointer<rumpc_work>?
        var tail: UnsafeMutablePointer<rumpc_work>?
        var dying = false
    }

    let name: String
    let handler: Handler
    let arg: UnsafeMutableRawPointer?
    let state = Mutex(State())
    /// The worker sleeps here until work arrives or the queue dies.
    let channel = WaitChannel.make()
    var worker: UnsafeMutableRawPointer?

    init(name: String, handler: @escaping Handler, arg: UnsafeMutableRawPointer?) {
        self.name = name
        self.handler = handler
        self.arg = arg
    }

    deinit { channel.free() }

    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ p: UnsafeMutableRawPointer) -> WorkQueue {
        Unmanaged<WorkQueue>.fromOpaque(p).takeUnretainedValue()
    }

    /// Queue wk; false if it is queued already (a caller bug, left alone).
    func enqueue(_ wk: UnsafeMutablePointer<rumpc_work>) -> Bool {
        let ok = state.withLock { s -> Bool in
            if wk.pointee.queued != nil { return false }
            wk.pointee.queued = opaque
            wk.pointee.next = nil
            if let tail = s.tail { tail.pointee.next = UnsafeMutableRawPointer(wk) } else { s.head = wk }
            s.tail = wk
            return true
        }
        if ok { channel.signal() }
        return ok
    }

    /// The worker thread: runs the queue in order until it is empty and dying.
    func run() {
        while true {
            let seen = channel.seq
            let (wk, stop) = state.withLock { s -> (UnsafeMutablePointer<rumpc_work>?, Bool) in
                guard let wk = s.head else { return (nil, s.dying) }
                s.head = wk.pointee.next?.assumingMemoryBound(to: rumpc_work.self)
                if s.head == nil { s.tail = nil }
                wk.pointee.next = nil
                wk.pointee.queued = nil
                return (wk, false)
            }
            if let wk {
                handler(UnsafeMutableRawPointer(wk), arg)
                continue
            }
            if stop { return }
            _ = channel.wait(seen: seen, peerCPU: HostCPU.noSpin)
        }
    }
}

@c(rumpns_workqueue_create)
public func rumpns_workqueue_create(_ wqp: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                                    _ name: UnsafePointer<CChar>?,
                                    _ fn: (@convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void)?, _ arg: UnsafeMutableRawPointer?,
                                    _ pri: Int32, _ ipl: Int32, _ flags: Int32) -> Int32 {
    guard let wqp, let fn else { return Errno.EINVAL.rawValue }
    let label = name.map { String(cString: $0) } ?? "workqueue"
    guard Boot.params?.threads ?? true else {
        Console.warn("workqueue_create \(label): kernel threads disabled (RUMP_THREADS=0)")
        return Errno.EOPNOTSUPP.rawValue
    }
    let wq = WorkQueue(name: label, handler: fn, arg: arg)
    // The worker holds a reference until workqueue_destroy releases it.
    let opaque = Unmanaged.passRetained(wq).toOpaque()
    var lwp: UnsafeMutableRawPointer?
    let error = rumpc_kthread_create(KernelThreads.mustJoin, { p in
        WorkQueue.from(p!).run()
    }, opaque, &lwp, "\(label)/0")
    if error != 0 {
        Unmanaged<WorkQueue>.fromOpaque(opaque).release()
        return error
    }
    wq.worker = lwp
    wqp.pointee = opaque
    return 0
}

@c(rumpns_workqueue_enqueue)
public func rumpns_workqueue_enqueue(_ wq: UnsafeMutableRawPointer?, _ wk: UnsafeMutableRawPointer?,
                                     _ ci: UnsafeMutableRawPointer?) {
    guard let wq, let wk else { return }
    let queue = WorkQueue.from(wq)
    if !queue.enqueue(wk.assumingMemoryBound(to: rumpc_work.self)) {
        Console.warn("workqueue_enqueue: \(queue.name): work \(wk) is already queued; ignored")
    }
}

/// Run the work already queued, end the worker and free the queue.
@c(rumpns_workqueue_destroy)
public func rumpns_workqueue_destroy(_ wq: UnsafeMutableRawPointer?) {
    guard let wq else { return }
    let queue = WorkQueue.from(wq)
    queue.state.withLock { $0.dying = true }
    queue.channel.signal()
    if let worker = queue.worker { _ = rumpns_kthread_join(worker) }
    Unmanaged<WorkQueue>.fromOpaque(wq).release()
}
