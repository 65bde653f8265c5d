import Synchronization

/// A rump process: identity, credentials, limits and (later) its descriptors.
///
/// Structure (parent, process group, session, lwp count) changes under the
/// process table lock; per-process state (credentials, limits, login) under the
/// process's own lock, so that one process's set*id never stalls another's calls.
public final class Proc {
    /// The process id. Only `rump_pub_allbetsareoff_setid` changes it.
    public internal(set) var pid: Int32
    /// Structure, under the process table lock.
    var parentPid: Int32
    var pgid: Int32
    var session: Session
    var lwpCount = 0
    var nextLid: Int32 = 1
    var exiting = false
    /// The process uses the kernel's own system call handlers, not those
    /// plugins bound by name (`rump_pub_lwproc_sysent_usenative`).
    var usesNativeSysent = false
    /// Where this process's pointers point (see `copyin`). Set when the
    /// process is made; a remote fork's child gets its connection once the
    /// host child connects, before it can make any call.
    var addressSpace: AddressSpace
    /// The descriptor table, possibly shared with other processes.
    public let files: FileTable

    /// Per-process state behind the process's own lock.
    let state: Mutex<ProcState>
    /// Pending signals and the blocked mask (Signal/SignalState.swift).
    let signals = ProcSignals()
    /// The knotes watching the process (EVFILT_SIGNAL, EVFILT_PROC).
    let klist = ProcKnotes()
    /// When the process was made (NetBSD's `p_stats->p_start`), on the
    /// kernel's realtime clock.
    let startTime = (try? Clock.now(Clock.realtime)) ?? .init()

    init(pid: Int32, parentPid: Int32, pgid: Int32, session: Session, state: ProcState,
         files: FileTable, addressSpace: AddressSpace = .local) {
        self.pid = pid
        self.files = files
        self.addressSpace = addressSpace
        self.parentPid = parentPid
        self.pgid = pgid
        self.session = session
        self.state = Mutex(state)
    }

    /// The session id (process table lock).
    var sid: Int32 { session.sid }

    /// The process's credentials now (a copy).
    var cred: Cred { state.withLock { $0.cred } }
}

/// What a process carries besides its place in the tree; copied by fork.
struct ProcState: Sendable {
    var cred: Cred
    var limits: ResourceLimits
    /// The command name (`p_comm`).
    var comm: String
    /// Set once the process changed identity (`issetugid`); kept across fork.
    var setugid: Bool
    /// VFS: the current and root directories (nil: the root file system's
    /// root) and the file creation mask; fork copies them.
    var cwd: Vnode? = nil
    var rootDir: Vnode? = nil
    var umask: UInt32 = 0o022
}

/// A session: the processes setsid() grouped together, and their login name.
final class Session {
    let sid: Int32
    /// The login name (`__getlogin`/`__setlogin`), NUL-padded to MAXLOGNAME.
    let login: Mutex<[UInt8]>

    init(sid: Int32, login: [UInt8]) {
        self.sid = sid
        self.login = Mutex(login)
    }
}
