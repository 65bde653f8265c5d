@preconcurrency import CRump

// kqueue (NetBSD's kern_event.c): a descriptor holding knotes, each a
// filter watching one thing, and the evaluation that turns them into events.
//
// A knote is evaluated when kevent (or a poll of the kqueue) looks: file
// filters ask the file (`FileOps.kevent`, built on `poll`), which records
// the sleeper in the file's `SelInfo` as poll does; timers compare their
// expiry with the clock; vnode knotes collect the hints the file system
// posts (`Vnode.knote`), and signal and process knotes what their process
// posts (`ProcKnotes`, KqueueProc.swift); both also wake the kqueue's own
// `SelInfo`. So a kevent sleeper is woken by every file change, hint and
// knote change it could care about, and by its nearest timer expiry.

/// A registered event (NetBSD's `struct knote`). Its mutable state is under
/// its kqueue's lock.
final class Knote {
    let ident: UInt
    let filter: UInt32
    /// The flags as registered (EV_ADD, EV_ONESHOT, EV_CLEAR, ...), which
    /// every event of the knote reports.
    var flags: UInt32
    /// The filter flags and data asked for (kn_sfflags, kn_sdata).
    var sfflags: UInt32
    var sdata: Int64
    var udata: Int
    var disabled = false
    /// Still in its kqueue's list.
    var registered = true
    weak var kq: Kqueue?
    /// The file of a descriptor filter: weak, a knote keeps no file open;
    /// the knote dies with the descriptor (NetBSD's knote_fdclose).
    weak var file: File?
    /// The descriptor table `ident` was looked up in (the registering
    /// process's), where the descriptor must still name `file`.
    weak var table: FileTable?
    /// The vnode a vnode file's knote watches for hints.
    let vnode: Vnode?
    /// EVFILT_VNODE: the hints seen and asked for since the last report.
    var fflags: UInt32 = 0
    /// EVFILT_TIMER: the period and the next expiry (monotonic ns).
    var period: Int64 = 0
    var nextFire: Int64 = 0
    /// EV_CLEAR on a file filter: the data last reported, and whether EOF
    /// was; it fires again when the data grows or EOF comes.
    var lastData: Int64 = 0
    var lastEOF = false
    /// EVFILT_SIGNAL and EVFILT_PROC: the process watched (weak: a knote
    /// keeps no process), in whose `klist` the knote is.
    weak var proc: Proc?
    /// EVFILT_SIGNAL: the posts of signal `ident` since the last report.
    var signalCount: Int64 = 0
    /// EVFILT_PROC: the event's data (the exit status, or for NOTE_CHILD
    /// the parent's pid); `fflags` holds the NOTE_* bits seen.
    var procData: Int64 = 0

    /// A filter of a descriptor (EVFILT_READ, _WRITE, _VNODE): it dies
    /// with the descriptor.
    var watchesDescriptor: Bool {
        filter == Kev.filterRead || filter == Kev.filterWrite || filter == Kev.filterVnode
    }

    init(_ kev: NetBSDKevent, file: File?, table: FileTable?, vnode: Vnode?, kq: Kqueue) {
        ident = kev.ident
        filter = kev.filter
        flags = kev.flags
        sfflags = kev.fflags
        sdata = kev.data
        udata = kev.udata
        self.file = file
        self.table = table
        self.vnode = vnode
        self.kq = kq
    }
}

/// A kqueue: the object behind a kqueue descriptor.
final class Kqueue: FileOps {
    private let lock = KernelLock.make()
    /// Pollers of the kqueue and kevent sleepers, woken at every hint and
    /// knote change.
    let sel = SelInfo()
    /// The knotes, in registration order.
    private var knotes: [Knote] = []

    init() {}

    deinit { lock.free() }

    // MARK: registration (kqueue_register)

    /// Apply one change. `kev` comes back as NetBSD leaves it for an
    /// EV_RECEIPT or EV_ERROR report (a new knote's fflags and data zeroed).
    func register(_ l: Lwp, _ kev: inout NetBSDKevent) throws(Errno) {
        kev.flags &= ~Kev.sysflags
        let filter = kev.filter
        var file: File?
        switch filter {
        case Kev.filterRead, Kev.filterWrite, Kev.filterVnode:
            guard kev.ident <= UInt(Int32.max) else { throw .EBADF }
            file = try l.proc.files.get(Int32(kev.ident))
        case Kev.filterTimer, Kev.filterSignal, Kev.filterProc:
            break
        default:
            // EVFILT_AIO is not here.
            throw .EINVAL
        }

        lock.enter()
        var kn = knotes.first { $0.ident == kev.ident && $0.filter == filter }
        var stale: Knote?
        if let k = kn, file != nil, k.file !== file {
            // The descriptor was closed and its number reused.
            stale = k
            unlink(k)
            kn = nil
        }
        lock.exit()
        if let stale { detach(stale) }

        if kn == nil {
            guard kev.flags & Kev.add != 0 else { throw .ENOENT }
            var vnode: Vnode?
            var watched: Proc?
            if filter == Kev.filterProc {
                watched = try Kqueue.watchableProc(kev.ident, by: l.proc.cred)
            } else if filter == Kev.filterSignal {
                watched = l.proc
            }
            if let file {
                // A kqueue may watch another, but not itself, through any chain.
                if let inner = file.ops as? Kqueue, inner === self || inner.watches(self) {
                    throw .EINVAL
                }
                _ = try file.ops.kevent(file, l, filter, nil)
                vnode = (file.ops as? VnodeFile)?.vnode
            } else if filter == Kev.filterTimer && kev.data <= 0 {
                // A timer of no period.
                throw .EINVAL
            }
            let k = Knote(kev, file: file, table: l.proc.files, vnode: vnode, kq: self)
            if filter == Kev.filterTimer {
                // Timers clear themselves (filt_timerattach).
                k.flags |= Kev.clear
                let (ns, overflow) = kev.data.multipliedReportingOverflow(by: 1_000_000)
                k.period = overflow ? Int64.max / 4 : ns
                k.nextFire = monotonicNow() &+ k.period
            } else if filter == Kev.filterSignal {
                // Signal knotes clear themselves too (filt_sigattach); any
                // ident is accepted, as NetBSD does.
                k.flags |= Kev.clear
            }
            k.disabled = kev.flags & Kev.disable != 0
            kev.fflags = 0
            kev.data = 0
            if let vnode { VnodeKnotes.add(k, vnode) }
            if let watched {
                attach(k, to: watched)
            } else {
                lock.enter()
                knotes.append(k)
                lock.exit()
            }
            kn = k
        } else if let k = kn, kev.flags & Kev.add != 0 {
            lock.enter()
            k.sfflags = kev.fflags
            k.sdata = kev.data
            k.udata = kev.udata
            lock.exit()
        }
        let k = kn.unsafelyUnwrapped

        if kev.flags & Kev.delete != 0 {
            lock.enter()
            unlink(k)
            lock.exit()
            detach(k)
            return
        }
        lock.enter()
        if kev.flags & Kev.disable != 0 { k.disabled = true }
        if kev.flags & Kev.enable != 0 { k.disabled = false }
        lock.exit()
        sel.notify()
    }

    /// Whether this kqueue watches `target`, directly or through other
    /// kqueues (a chain deeper than 8 counts as yes, to bound evaluation).
    func watches(_ target: Kqueue, depth: Int = 0) -> Bool {
        if depth >= 8 { return true }
        lock.enter()
        let inner = knotes.compactMap { $0.file?.ops as? Kqueue }
        lock.exit()
        for k in inner where k === target || k.watches(target, depth: depth + 1) { return true }
        return false
    }

    /// Take a knote out of the list (lock held).
    private func unlink(_ kn: Knote) {
        guard kn.registered else { return }
        kn.registered = false
        if let i = knotes.firstIndex(where: { $0 === kn }) { knotes.remove(at: i) }
    }

    /// Drop what watches on a knote's behalf, once it left the list.
    private func detach(_ kn: Knote) {
        VnodeKnotes.remove(kn)
        kn.proc?.klist.remove(kn)
    }

    /// List a new process knote here and in `proc`'s klist.
    func attach(_ kn: Knote, to proc: Proc) {
        kn.proc = proc
        proc.klist.add(kn)
        lock.enter()
        knotes.append(kn)
        lock.exit()
        sel.notify()
        // A process that ended since it was looked up has told its list
        // already: tell this knote too.
        if procTable.withLock({ _ in proc.exiting }) {
            proc.klist.remove(kn)
            post(kn, .exit(status: 0))
        }
    }

    /// Run `body` under the kqueue's lock, then wake its sleepers.
    func lockedUpdate(_ body: () -> Void) {
        lock.enter()
        body()
        lock.exit()
        sel.notify()
    }

    /// What happened to the process `kn` watches (filt_sig, filt_proc).
    func post(_ kn: Knote, _ event: ProcEvent) {
        var trackChild: Int32?
        lock.enter()
        switch (kn.filter, event) {
        case (Kev.filterSignal, .signal(let sig)) where kn.ident == UInt(sig):
            kn.signalCount += 1
        case (Kev.filterProc, .fork(let child)):
            kn.fflags |= NoteProc.fork & kn.sfflags
            if kn.sfflags & NoteProc.track != 0 { trackChild = child }
        case (Kev.filterProc, .exit(let status)):
            kn.fflags |= NoteProc.exit & kn.sfflags
            kn.flags |= Kev.eof | Kev.oneshot
            kn.procData = status
            kn.proc = nil
        case (_, .exit):
            kn.proc = nil
        default:
            lock.exit()
            return
        }
        lock.exit()
        sel.notify()
        if let trackChild { track(child: trackChild, of: kn) }
    }

    /// A vnode hint (from `VnodeKnotes.post`).
    func post(_ kn: Knote, _ hint: UInt32) {
        lock.enter()
        if kn.filter == Kev.filterVnode { kn.fflags |= hint & kn.sfflags }
        lock.exit()
        sel.notify()
    }

    // MARK: evaluation (kqueue_scan)

    /// The events that hold now, at most `max`. With `consume`, as kevent
    /// takes them: EV_ONESHOT deletes the knote, EV_DISPATCH disables it,
    /// EV_CLEAR resets its state, a timer's count starts again. With a
    /// `waiter`, it is recorded wherever a change could make a knote fire.
    /// Also gives the nearest timer expiry among knotes that did not fire;
    /// with `armTimers`, the timer thread wakes the waiter then.
    func collect(_ l: Lwp?, max: Int, consume: Bool, waiter: PollWaiter?,
                 armTimers: Bool = false) -> (events: [NetBSDKevent], nextTimer: Int64?) {
        waiter?.record(sel)
        lock.enter()
        let snapshot = knotes.filter { !$0.disabled }
        lock.exit()
        if snapshot.isEmpty { return ([], nil) }

        // Ask the files, without the kqueue's lock.
        var states = [KeventState?](repeating: nil, count: snapshot.count)
        var stale: [Knote] = []
        for (i, kn) in snapshot.enumerated() where kn.watchesDescriptor {
            guard let file = kn.file, let table = kn.table,
                  let current = try? table.get(Int32(truncatingIfNeeded: kn.ident)), current === file else {
                stale.append(kn)
                continue
            }
            if kn.filter == Kev.filterRead || kn.filter == Kev.filterWrite {
                states[i] = (try? file.ops.kevent(file, l, kn.filter, waiter)) ?? nil
            }
        }

        var events: [NetBSDKevent] = []
        var nextTimer: Int64?
        var removed: [Knote] = []
        let now = monotonicNow()
        lock.enter()
        for kn in stale where kn.registered {
            unlink(kn)
            removed.append(kn)
        }
        for (i, kn) in snapshot.enumerated() {
            guard kn.registered, !kn.disabled else { continue }
            if events.count >= max { break }
            var ev = NetBSDKevent(ident: kn.ident, filter: kn.filter, flags: kn.flags, fflags: 0,
                                  data: 0, udata: kn.udata)
            switch kn.filter {
            case Kev.filterTimer:
                guard now >= kn.nextFire else {
                    nextTimer = min(nextTimer ?? kn.nextFire, kn.nextFire)
                    continue
                }
                let count = 1 + (now - kn.nextFire) / kn.period
                ev.data = count
                if consume { kn.nextFire &+= count &* kn.period }
            case Kev.filterProc:
                // Level-triggered unless EV_CLEAR; an exit always reports.
                guard kn.fflags != 0 || kn.flags & Kev.eof != 0 else { continue }
                ev.fflags = kn.fflags
                ev.data = kn.procData
                if consume && kn.flags & Kev.clear != 0 {
                    kn.fflags = 0
                    kn.procData = 0
                }
            case Kev.filterSignal:
                guard kn.signalCount > 0 else { continue }
                ev.data = kn.signalCount
                if consume { kn.signalCount = 0 }
            case Kev.filterVnode:
                guard kn.fflags != 0 else { continue }
                ev.fflags = kn.fflags
                if consume && kn.flags & Kev.clear != 0 { kn.fflags = 0 }
            default:
                guard let state = states[i] else {
                    // Not holding: EV_CLEAR's next report is of whatever comes.
                    kn.lastData = 0
                    kn.lastEOF = false
                    continue
                }
                if kn.flags & Kev.clear != 0 {
                    let fresh = state.data > kn.lastData || (state.eof && !kn.lastEOF)
                    if !fresh {
                        kn.lastData = min(kn.lastData, state.data)
                        continue
                    }
                    if consume {
                        kn.lastData = state.data
                        kn.lastEOF = state.eof
                    }
                }
                ev.data = state.data
                if state.eof { ev.flags |= Kev.eof }
            }
            if consume {
                if kn.flags & Kev.oneshot != 0 {
                    unlink(kn)
                    removed.append(kn)
                } else if kn.flags & Kev.dispatch != 0 {
                    kn.disabled = true
                }
            }
            events.append(ev)
        }
        lock.exit()
        for kn in removed { detach(kn) }
        if armTimers, waiter != nil, events.isEmpty, let nextTimer { KqueueTimers.wake(self, at: nextTimer) }
        return (events, nextTimer)
    }

    /// kevent's wait: the events that hold, at most `max`, sleeping (with
    /// the virtual CPU released) until one does or `deadline` passes. A
    /// signal ends the sleep with EINTR, a close of the kqueue descriptor
    /// `l` came through (`file`, `l.ioFd`) with EBADF.
    func scan(_ l: Lwp, _ file: File, max: Int, deadline: Int64?) throws(Errno) -> [NetBSDKevent] {
        if max <= 0 { return [] }
        if let deadline, deadline <= monotonicNow() {
            return collect(l, max: max, consume: true, waiter: nil).events
        }
        let waiter = PollWaiter()
        defer { waiter.clear() }
        while true {
            let seen = waiter.channel.seq
            let (events, nextTimer) = collect(l, max: max, consume: true, waiter: waiter)
            if !events.isEmpty { return events }
            var wake = deadline
            if let nextTimer { wake = min(wake ?? nextTimer, nextTimer) }
            let result = file.wait(waiter.channel, seen: seen, peerCPU: HostCPU.unknown, deadline: wake, l)
            waiter.clear()
            if let error = result.error { throw error }
            if result == .timedOut, let deadline, monotonicNow() >= deadline {
                return collect(l, max: max, consume: true, waiter: nil).events
            }
        }
    }

    // MARK: file operations (kqueueops)

    func read(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno) { throw .ENXIO }
    func write(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno) { throw .ENXIO }

    /// NetBSD's kqueue_stat: a FIFO with no permissions, the pending events
    /// as its size, sizeof(struct kevent) as its block size.
    func stat(_ file: File, _ l: Lwp) throws(Errno) -> NetBSDStat {
        var st = NetBSDStat()
        st.mode = NetBSDStat.fifo
        st.size = Int64(collect(l, max: Int.max, consume: false, waiter: nil).events.count)
        st.blksize = Int32(MemoryLayout<NetBSDKevent>.stride)
        return st
    }

    /// Readable while an event is pending; a sleeping poller is woken by
    /// the changes and hints that kevent's sleepers are, and by the timer
    /// thread when a timer comes due.
    func poll(_ file: File, _ events: Int32, _ waiter: PollWaiter?) -> Int32 {
        let wanted = events & (PollEvents.pollin | PollEvents.pollrdnorm)
        guard wanted != 0 else { return 0 }
        let l = rumpc_runlwp().map { Lwp.from($0) }
        return collect(l, max: 1, consume: false, waiter: waiter, armTimers: true).events.isEmpty ? 0 : wanted
    }

    /// A kqueue watched by another (NetBSD's filt_kqueue): EVFILT_READ
    /// alone, holding while events are pending, data: how many.
    func kevent(_ file: File, _ l: Lwp?, _ filter: UInt32, _ waiter: PollWaiter?) throws(Errno) -> KeventState? {
        guard filter == Kev.filterRead else { throw .EINVAL }
        let pending = collect(l, max: Int.max, consume: false, waiter: waiter, armTimers: true).events.count
        return pending > 0 ? KeventState(data: Int64(pending)) : nil
    }

    /// A descriptor for the kqueue was closed: its kevent sleepers (which
    /// `collect` records in `sel`) look again.
    func restart(_ file: File) {
        lock.enter()
        sel.notify()
        lock.exit()
    }

    /// The kqueue's last descriptor closed: every knote goes.
    func close(_ file: File) {
        lock.enter()
        let all = knotes
        knotes.removeAll()
        for kn in all { kn.registered = false }
        lock.exit()
        for kn in all { detach(kn) }
    }
}
