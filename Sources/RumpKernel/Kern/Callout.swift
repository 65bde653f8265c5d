@preconcurrency import CRump
import Glibc
import Synchronization

// Callouts (NetBSD's callout(9)): caller-owned `callout_t` storage laid out
// as `rumpc_callout` (rump_kern.h); the pending ones are listed here under
// one lock and run, one at a time, by the callout thread (a kernel thread,
// lwp of pid 0) -- or, with RUMP_THREADS=0, by the next thread that leaves
// the kernel (`Scheduler.leave`).

enum Callouts {
    /// NetBSD's hz: a tick is 10 ms.
    static let tickNanos: Int64 = 10_000_000

    struct State {
        /// Pending callouts (unordered; the earliest is searched for).
        var pending: [UnsafeMutablePointer<rumpc_callout>] = []
        var order: UInt64 = 0
        /// The callout whose handler runs now, and on which host thread.
        var running: UnsafeMutablePointer<rumpc_callout>?
        var runner: pthread_t?
        var threadStarted = false
        /// What the callout thread sleeps until (max: nothing pending; min:
        /// awake, it looks again before sleeping): an earlier new deadline
        /// wakes it, a later one need not.
        var sleepUntil = Int64.max
    }

    /// A handler to run: the callout, its function and argument.
    typealias Job = (UnsafeMutablePointer<rumpc_callout>, (@convention(c) (UnsafeMutableRawPointer?) -> Void)?,
                     UnsafeMutableRawPointer?)

    static let state = Mutex(State())
    /// The callout thread sleeps here until the earliest deadline or a change.
    static let timer = WaitChannel.make()
    /// Moves each time a handler returns (callout_halt waits on it).
    static let done = WaitChannel.make()

    static var threaded: Bool { Boot.params?.threads ?? true }

    static func impl(_ c: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<rumpc_callout> {
        guard let c else { fatalError("callout: NULL callout_t") }
        let p = c.assumingMemoryBound(to: rumpc_callout.self)
        if p.pointee.magic != RUMPC_CALLOUT_MAGIC {
            Console.warn("panic: callout \(p) used without callout_init")
            fatalError("callout: not initialised")
        }
        return p
    }

    /// The earliest pending deadline (under the lock).
    static func earliest(_ s: State) -> Int64? {
        s.pending.map { $0.pointee.when }.min()
    }

    /// Remove c from the pending list (under the lock).
    static func unlist(_ s: inout State, _ c: UnsafeMutablePointer<rumpc_callout>) {
        if c.pointee.flags & RUMPC_CALLOUT_PENDING != 0,
           let i = s.pending.firstIndex(of: c) {
            s.pending.swapAt(i, s.pending.count - 1)
            s.pending.removeLast()
        }
        c.pointee.flags &= ~RUMPC_CALLOUT_PENDING
    }

    static func publishInline(_ s: State) {
        if !threaded { rumpc_callout_set_inline_next(earliest(s) ?? Int64.max) }
    }

    static func schedule(_ c: UnsafeMutablePointer<rumpc_callout>, ticks: Int32) {
        let t = Int64(max(ticks, 1))
        let when = monotonicNow() + t * tickNanos
        var wake = false
        let start = state.withLock { s -> Bool in
            unlist(&s, c)
            c.pointee.flags &= ~(RUMPC_CALLOUT_FIRED | RUMPC_CALLOUT_INVOKING)
            c.pointee.flags |= RUMPC_CALLOUT_PENDING
            c.pointee.when = when
            s.order += 1
            c.pointee.order = s.order
            s.pending.append(c)
            publishInline(s)
            if threaded && !s.threadStarted {
                s.threadStarted = true
                return true
            }
            wake = threaded && when < s.sleepUntil
            return false
        }
        if start { startThread() } else if wake { timer.signal() }
    }

    static func startThread() {
        let error = rumpc_kthread_create(0, { _ in Callouts.threadMain() }, nil, nil, "callout")
        if error != 0 {
            state.withLock { $0.threadStarted = false }
            Console.warn("callout: cannot start the callout thread: error \(error)")
        }
    }

    /// Take the earliest due callout and mark it running (under the lock).
    static func takeDue(_ s: inout State, now: Int64) -> Job? {
        var best: UnsafeMutablePointer<rumpc_callout>?
        for c in s.pending where c.pointee.when <= now {
            if let b = best, (b.pointee.when, b.pointee.order) <= (c.pointee.when, c.pointee.order) { continue }
            best = c
        }
        guard let c = best else { return nil }
        unlist(&s, c)
        c.pointee.flags |= RUMPC_CALLOUT_FIRED | RUMPC_CALLOUT_INVOKING
        s.running = c
        s.runner = pthread_self()
        return (c, c.pointee.func, c.pointee.arg)
    }

    static func finish() {
        state.withLock { s in
            s.running = nil
            s.runner = nil
            publishInline(s)
        }
        done.signal()
    }

    /// The callout thread: runs due handlers, sleeps until the next one.
    static func threadMain() {
        while true {
            let seen = timer.seq
            let now = monotonicNow()
            var next: Int64?
            let job = state.withLock { s -> Job? in
                if let j = takeDue(&s, now: now) {
                    s.sleepUntil = Int64.min
                    return j
                }
                next = earliest(s)
                s.sleepUntil = next ?? Int64.max
                return nil
            }
            if let (_, fn, arg) = job {
                fn?(arg)
                finish()
                continue
            }
            _ = timer.wait(seen: seen, peerCPU: HostCPU.noSpin, deadline: next)
        }
    }

    /// RUMP_THREADS=0: run the due callouts on this thread (about to leave
    /// the kernel). Another thread already running one keeps going instead.
    static func runDueInline() {
        while true {
            let now = monotonicNow()
            let job = state.withLock { s -> Job? in
                if s.running != nil { return nil }
                return takeDue(&s, now: now)
            }
            guard let (_, fn, arg) = job else { return }
            fn?(arg)
            finish()
        }
    }

    /// Cancel c: whether it had fired, whether its handler runs on another
    /// thread now, and the `done` counter to wait against for that.
    static func stop(_ c: UnsafeMutablePointer<rumpc_callout>) -> (expired: Bool, running: Bool, seq: UInt32) {
        state.withLock { s in
            let seq = done.seq
            unlist(&s, c)
            let expired = c.pointee.flags & RUMPC_CALLOUT_FIRED != 0
            c.pointee.flags &= ~RUMPC_CALLOUT_FIRED
            publishInline(s)
            let running = s.running == c && s.runner.map { pthread_equal($0, pthread_self()) == 0 } ?? false
            return (expired, running, seq)
        }
    }

    static func flag(_ c: UnsafeMutableRawPointer?, _ mask: UInt32) -> Int32 {
        let p = impl(c)
        return state.withLock { _ in p.pointee.flags & mask != 0 ? 1 : 0 }
    }
}

@c(rumpns_callout_init)
public func rumpns_callout_init(_ c: UnsafeMutableRawPointer?, _ flags: UInt32) {
    guard let c else { return }
    let p = c.assumingMemoryBound(to: rumpc_callout.self)
    p.initialize(to: rumpc_callout(func: nil, arg: nil, when: 0, order: 0, magic: RUMPC_CALLOUT_MAGIC,
                                   flags: flags & RUMPC_CALLOUT_MPSAFE))
}

@c(rumpns_callout_destroy)
public func rumpns_callout_destroy(_ c: UnsafeMutableRawPointer?) {
    let p = Callouts.impl(c)
    let busy = Callouts.state.withLock { s -> Bool in
        // Its own handler may destroy it (NetBSD allows that).
        let busy = p.pointee.flags & RUMPC_CALLOUT_PENDING != 0
            || (s.running == p && s.runner.map { pthread_equal($0, pthread_self()) == 0 } ?? false)
        if !busy { p.pointee.magic = 0 }
        return busy
    }
    if busy {
        Console.warn("panic: callout_destroy: callout \(p) is pending or running")
        fatalError("callout_destroy of a busy callout")
    }
}

@c(rumpns_callout_setfunc)
public func rumpns_callout_setfunc(_ c: UnsafeMutableRawPointer?,
                                   _ fn: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?,
                                   _ arg: UnsafeMutableRawPointer?) {
    let p = Callouts.impl(c)
    Callouts.state.withLock { _ in
        p.pointee.func = fn
        p.pointee.arg = arg
    }
}

@c(rumpns_callout_reset)
public func rumpns_callout_reset(_ c: UnsafeMutableRawPointer?, _ ticks: Int32,
                                 _ fn: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?,
                                 _ arg: UnsafeMutableRawPointer?) {
    rumpns_callout_setfunc(c, fn, arg)
    Callouts.schedule(Callouts.impl(c), ticks: ticks)
}

@c(rumpns_callout_schedule)
public func rumpns_callout_schedule(_ c: UnsafeMutableRawPointer?, _ ticks: Int32) {
    Callouts.schedule(Callouts.impl(c), ticks: ticks)
}

@c(rumpns_callout_stop)
public func rumpns_callout_stop(_ c: UnsafeMutableRawPointer?) -> Int32 {
    Callouts.stop(Callouts.impl(c)).expired ? 1 : 0
}

/// Stop, and wait for a handler running on another thread to return (the
/// interlock, a kmutex_t, is released while waiting). A handler that
/// reschedules itself meanwhile is stopped again.
@c(rumpns_callout_halt)
public func rumpns_callout_halt(_ c: UnsafeMutableRawPointer?, _ interlock: UnsafeMutableRawPointer?) -> Int32 {
    let p = Callouts.impl(c)
    var result = Callouts.stop(p)
    let expired = result.expired
    while result.running {
        if let interlock { rumpc_kern_mutex_exit(interlock) }
        _ = Callouts.done.wait(seen: result.seq, peerCPU: HostCPU.unknown)
        if let interlock { rumpc_kern_mutex_enter(interlock) }
        result = Callouts.stop(p)
    }
    return expired ? 1 : 0
}

@c(rumpns_callout_pending)
public func rumpns_callout_pending(_ c: UnsafeMutableRawPointer?) -> Int32 {
    Callouts.flag(c, RUMPC_CALLOUT_PENDING)
}

@c(rumpns_callout_expired)
public func rumpns_callout_expired(_ c: UnsafeMutableRawPointer?) -> Int32 {
    Callouts.flag(c, RUMPC_CALLOUT_FIRED)
}

@c(rumpns_callout_active)
public func rumpns_callout_active(_ c: UnsafeMutableRawPointer?) -> Int32 {
    Callouts.flag(c, RUMPC_CALLOUT_FIRED | RUMPC_CALLOUT_PENDING)
}

@c(rumpns_callout_invoking)
public func rumpns_callout_invoking(_ c: UnsafeMutableRawPointer?) -> Int32 {
    Callouts.flag(c, RUMPC_CALLOUT_INVOKING)
}

@c(rumpns_callout_ack)
public func rumpns_callout_ack(_ c: UnsafeMutableRawPointer?) {
    let p = Callouts.impl(c)
    Callouts.state.withLock { _ in p.pointee.flags &= ~RUMPC_CALLOUT_INVOKING }
}

/// One callout thread serves every virtual CPU: binding is accepted and ignored.
@c(rumpns_callout_bind)
public func rumpns_callout_bind(_ c: UnsafeMutableRawPointer?, _ ci: UnsafeMutableRawPointer?) {
    _ = Callouts.impl(c)
}
