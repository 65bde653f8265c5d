import Synchronization

// The knotes attached to a process (NetBSD's p_klist): EVFILT_SIGNAL, which
// counts the signals posted to it, and EVFILT_PROC, which reports its forks
// and its exit. The process posts what happens (`ProcKnotes.post`); each
// knote's kqueue records it and wakes its sleepers.

/// What a process tells its knotes (NetBSD's KNOTE hints on p_klist).
enum ProcEvent {
    case signal(Int32)
    case fork(child: Int32)
    case exit(status: Int64)
}

/// A process's knote list, stored in the process. `count` lets a process
/// nobody watches (the common case: rfork, exit, kill) skip the lock.
struct ProcKnotes: ~Copyable {
    private let list = Mutex<[Knote]>([])
    private let count = Atomic<Int>(0)

    init() {}

    func add(_ kn: Knote) {
        list.withLock { $0.append(kn) }
        count.add(1, ordering: .relaxed)
    }

    func remove(_ kn: Knote) {
        let removed = list.withLock { l -> Bool in
            guard let i = l.firstIndex(where: { $0 === kn }) else { return false }
            l.remove(at: i)
            return true
        }
        if removed { count.subtract(1, ordering: .relaxed) }
    }

    /// Hand `event` to every knote; an exit detaches them all, as the
    /// process is gone. Tracked forks register their knotes afterwards,
    /// outside every lock.
    func post(_ event: ProcEvent) {
        guard count.load(ordering: .relaxed) > 0 else { return }
        let knotes = list.withLock { l -> [Knote] in
            let all = l
            if case .exit = event {
                l.removeAll()
                count.store(0, ordering: .relaxed)
            }
            return all
        }
        for kn in knotes {
            kn.kq?.post(kn, event)
        }
    }
}

/// NetBSD 7's EVFILT_PROC filter flags.
enum NoteProc {
    static let exit: UInt32 = 0x8000_0000
    static let fork: UInt32 = 0x4000_0000
    static let track: UInt32 = 0x0000_0001
    static let trackErr: UInt32 = 0x0000_0002
    static let child: UInt32 = 0x0000_0004
}

extension Kqueue {
    /// The process an EVFILT_PROC knote may watch (filt_procattach): ESRCH
    /// if there is none (or it is exiting), EACCES unless the caller is
    /// root or has the same real and effective uid as the target.
    static func watchableProc(_ pid: UInt, by cred: Cred?) throws(Errno) -> Proc {
        guard pid <= UInt(Int32.max) else { throw .ESRCH }
        let proc = procTable.withLock { $0.procs[Int32(pid)] }
        guard let proc, !proc.exiting else { throw .ESRCH }
        if let cred, !cred.isRoot {
            let target = proc.cred
            guard cred.uid == target.uid && cred.euid == target.euid else { throw .EACCES }
        }
        return proc
    }

    /// NOTE_TRACK: watch the child `pid` of the process `parent` watches,
    /// with its flags; it reports NOTE_CHILD with the parent's pid. A
    /// failure shows as NOTE_TRACKERR on the parent's knote.
    func track(child pid: Int32, of parent: Knote) {
        do throws(Errno) {
            let proc = try Kqueue.watchableProc(UInt(pid), by: nil)
            let kev = NetBSDKevent(ident: UInt(pid), filter: Kev.filterProc,
                                   flags: (parent.flags & ~(Kev.eof | Kev.oneshot)) | Kev.add | Kev.enable,
                                   fflags: parent.sfflags, data: 0, udata: parent.udata)
            let kn = Knote(kev, file: nil, table: nil, vnode: nil, kq: self)
            kn.fflags = NoteProc.child
            kn.procData = Int64(parent.ident)
            attach(kn, to: proc)
        } catch {
            lockedUpdate { parent.fflags |= NoteProc.trackErr }
        }
    }
}
