@preconcurrency import CRump

/// The lwproc interface: how a host thread chooses which process and lwp it
/// runs as (`rump_pub_lwproc_*`, and the `rump_lwproc_*` kernel-side twins).
///
/// The reference kernel aborts the host process on misuse; here misuse is
/// reported on stderr and in `errno`, and nothing changes.
enum Lwproc {
    /// rfork flag bits (rump.h): copy, or clear, the descriptor table.
    static let copyFiles: Int32 = 0x01
    static let clearFiles: Int32 = 0x02

    /// The process the calling thread runs in: its dedicated lwp's, else the
    /// default process.
    static func currentProc() -> Proc? {
        if let pointer = rumpc_curlwp() { return Lwp.from(pointer).proc }
        return proc1
    }

    /// A new process, child of the current one, with one lwp that becomes
    /// this thread's curlwp.
    static func rfork(flags: Int32) throws(Errno) {
        guard flags & ~(copyFiles | clearFiles) == 0, flags != copyFiles | clearFiles else {
            throw .EINVAL
        }
        guard let parent = currentProc() else { throw .ENXIO }
        let files: ForkFiles = flags == copyFiles ? .copy : flags == clearFiles ? .fresh(FileTable()) : .share
        switchTo(try fork(parent, files: files, addressSpace: .local))
    }

    /// What a forked process's descriptor table is.
    enum ForkFiles {
        case share
        case copy
        case fresh(FileTable)
    }

    /// A new process, child of `parent`, with one lwp that no thread runs
    /// yet: rfork's, and the processes of remote clients (`held` by the server).
    static func fork(_ parent: Proc, files: ForkFiles, addressSpace: AddressSpace,
                     comm: String? = nil, held: Bool = false) throws(Errno) -> Lwp {
        var inherited = parent.state.withLock { $0 }
        if let comm { inherited.comm = comm }
        let lwp = try procTable.withLock { (state) throws(Errno) -> Lwp in
            let pid = try state.allocatePid()
            let table: FileTable
            switch files {
            case .copy: table = parent.files.copy()
            case .fresh(let fresh): table = fresh
            case .share:
                table = parent.files
                table.users += 1
            }
            let child = Proc(pid: pid, parentPid: parent.pid, pgid: parent.pgid,
                             session: parent.session, state: inherited, files: table,
                             addressSpace: addressSpace)
            state.procs[pid] = child
            state.forks += 1
            // The child blocks what its parent blocks; nothing is pending for it.
            child.signals.blocked.store(parent.signals.blocked.load(ordering: .relaxed), ordering: .relaxed)
            return state.makeLwp(in: child, implicit: false, held: held)
        }
        // Outside the table's lock: NOTE_TRACK registers knotes on the child.
        parent.klist.post(.fork(child: lwp.proc.pid))
        return lwp
    }

    /// A new lwp in process `pid`, which becomes this thread's curlwp.
    static func newlwp(pid: Int32) throws(Errno) {
        let lwp = try procTable.withLock { (state) throws(Errno) -> Lwp in
            guard let proc = state.procs[pid] else { throw .ESRCH }
            if proc.exiting { throw .EBUSY }
            return state.makeLwp(in: proc, implicit: false)
        }
        switchTo(lwp)
    }

    /// Make `lwp` (already validated and owned by nobody) the curlwp.
    private static func switchTo(_ lwp: Lwp) {
        procTable.withLock { state in
            lwp.onThread = true
            leaveCurrent(&state)
        }
        rumpc_set_curlwp(lwp.opaque, lwp.proc.usesNativeSysent)
    }

    /// Let go of the current dedicated lwp, if any (table lock held).
    private static func leaveCurrent(_ state: inout ProcTableState) {
        if let old = state.lwp(at: rumpc_curlwp()) {
            old.onThread = false
        }
    }

    /// Switch to `pointer` (nil: the implicit context).
    static func switchTo(pointer: UnsafeMutableRawPointer?) throws(Errno) {
        try procTable.withLock { (state) throws(Errno) in
            guard let pointer else {
                leaveCurrent(&state)
                return
            }
            guard let lwp = state.lwp(at: pointer), !lwp.isImplicit else { throw .EINVAL }
            if lwp.onThread && pointer != rumpc_curlwp() { throw .EBUSY }
            leaveCurrent(&state)
            lwp.onThread = true
        }
        rumpc_set_curlwp(pointer, pointer.map { Lwp.from($0).proc.usesNativeSysent } ?? false)
    }

    /// Drop the current dedicated lwp; its process ends with its last lwp.
    static func releaseCurrent() throws(Errno) {
        guard let pointer = rumpc_curlwp() else { throw .EINVAL }
        releaseLwp(at: pointer)
        rumpc_set_curlwp(nil, false)
    }

    /// Report a misuse of a void lwproc call: a message and errno.
    static func misuse(_ function: String, _ error: Errno, _ why: String) {
        Console.warn("\(function): \(why)")
        rumpc_errno_set(error.rawValue)
    }
}

// MARK: C entry points

@c(rump_pub_lwproc_rfork)
public func rump_pub_lwproc_rfork(_ flags: Int32) -> Int32 {
    do { try Lwproc.rfork(flags: flags); return 0 } catch { return error.rawValue }
}

@c(rump_lwproc_rfork)
public func rump_lwproc_rfork(_ flags: Int32) -> Int32 {
    rump_pub_lwproc_rfork(flags)
}

@c(rump_pub_lwproc_newlwp)
public func rump_pub_lwproc_newlwp(_ pid: Int32) -> Int32 {
    do { try Lwproc.newlwp(pid: pid); return 0 } catch { return error.rawValue }
}

@c(rump_lwproc_newlwp)
public func rump_lwproc_newlwp(_ pid: Int32) -> Int32 {
    rump_pub_lwproc_newlwp(pid)
}

@c(rump_pub_lwproc_switch)
public func rump_pub_lwproc_switch(_ lwp: UnsafeMutableRawPointer?) {
    do {
        try Lwproc.switchTo(pointer: lwp)
    } catch .EBUSY {
        Lwproc.misuse("rump_pub_lwproc_switch", .EBUSY, "lwp \(String(describing: lwp)) is running on another thread")
    } catch {
        Lwproc.misuse("rump_pub_lwproc_switch", error, "\(String(describing: lwp)) is not a live lwp")
    }
}

@c(rump_lwproc_switch)
public func rump_lwproc_switch(_ lwp: UnsafeMutableRawPointer?) {
    rump_pub_lwproc_switch(lwp)
}

@c(rump_pub_lwproc_releaselwp)
public func rump_pub_lwproc_releaselwp() {
    do {
        try Lwproc.releaseCurrent()
    } catch {
        Lwproc.misuse("rump_pub_lwproc_releaselwp", error, "this thread has no lwp to release")
    }
}

@c(rump_lwproc_releaselwp)
public func rump_lwproc_releaselwp() {
    rump_pub_lwproc_releaselwp()
}

@c(rump_pub_lwproc_curlwp)
public func rump_pub_lwproc_curlwp() -> UnsafeMutableRawPointer? {
    rumpc_curlwp()
}

@c(rump_lwproc_curlwp)
public func rump_lwproc_curlwp() -> UnsafeMutableRawPointer? {
    rumpc_curlwp()
}

/// Overwrite the current lwp's pid and lwp id, for servers that act on behalf
/// of other processes. The process table follows the new pid; a pid that
/// another process holds is refused.
@c(rump_pub_allbetsareoff_setid)
public func rump_pub_allbetsareoff_setid(_ pid: Int32, _ lid: Int32) {
    guard let pointer = rumpc_curlwp() else {
        Lwproc.misuse("rump_pub_allbetsareoff_setid", .EINVAL, "this thread has no lwp")
        return
    }
    let lwp = Lwp.from(pointer)
    let clash = procTable.withLock { state -> Bool in
        let proc = lwp.proc
        if proc.pid != pid {
            if state.procs[pid] != nil || pid <= 1 { return true }
            state.procs[proc.pid] = nil
            proc.pid = pid
            state.procs[pid] = proc
        }
        lwp.lid = lid
        return false
    }
    if clash {
        Lwproc.misuse("rump_pub_allbetsareoff_setid", .EEXIST, "pid \(pid) is taken")
    }
}

@c(rump_allbetsareoff_setid)
public func rump_allbetsareoff_setid(_ pid: Int32, _ lid: Int32) {
    rump_pub_allbetsareoff_setid(pid, lid)
}

/// Make the current process use the kernel's own system call handlers rather
/// than those plugins bound by name. As in the reference this works only when
/// `rump_i_know_what_i_am_doing_with_sysents` is set; otherwise (where the
/// reference panics) it prints why, sets errno to EPERM and changes nothing.
/// Threads running other lwps of the process switch tables at their next switch.
@c(rump_pub_lwproc_sysent_usenative)
public func rump_pub_lwproc_sysent_usenative() {
    guard rump_i_know_what_i_am_doing_with_sysents != 0 else {
        Lwproc.misuse("rump_pub_lwproc_sysent_usenative", .EPERM,
                      "refused: rump_i_know_what_i_am_doing_with_sysents is 0")
        return
    }
    guard let pointer = rumpc_curlwp() else {
        Lwproc.misuse("rump_pub_lwproc_sysent_usenative", .EINVAL, "this thread has no lwp")
        return
    }
    let lwp = Lwp.from(pointer)
    procTable.withLock { _ in lwp.proc.usesNativeSysent = true }
    rumpc_set_curlwp(pointer, true)
}

@c(rump_lwproc_sysent_usenative)
public func rump_lwproc_sysent_usenative() { rump_pub_lwproc_sysent_usenative() }
