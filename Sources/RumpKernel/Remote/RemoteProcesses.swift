@preconcurrency import CRump

/// The kernel's side of remote clients: the process each connection is.
///
/// The sysproxy server (CRump/sp_*.c, the host side, as NetBSD's
/// rumpuser_sp) calls these. A connection knows its process by the process's
/// first lwp, which it holds for as long as it lasts: when the client goes,
/// the connection releases it and the process ends, closing its descriptors.
/// Calls run as that lwp, or as extra lwps for calls made concurrently.
enum RemoteProcesses {
    /// The live lwp behind a handle the server holds.
    static func lwp(_ pointer: UnsafeMutableRawPointer?) -> Lwp? {
        procTable.withLock { $0.lwp(at: pointer) }
    }
}

/// A guest client connected: a new process, child of pid 1, with the console
/// on descriptors 0-2, named after the client's program.
@c(rumpc_sp_proc_guest)
public func rumpc_sp_proc_guest(_ connection: UnsafeMutableRawPointer?, _ comm: UnsafePointer<CChar>?,
                                _ errorOut: UnsafeMutablePointer<Int32>?) -> UnsafeMutableRawPointer? {
    guard let parent = proc1 else {
        errorOut?.pointee = Errno.ENXIO.rawValue
        return nil
    }
    do {
        return try Lwproc.fork(parent, files: .fresh(.withConsole()), addressSpace: .remote(connection),
                               comm: comm.map { String(cString: $0) }, held: true).opaque
    } catch {
        errorOut?.pointee = error.rawValue
        return nil
    }
}

/// A client asked to fork (PREFORK): a child with a copy of its descriptors,
/// whose address space is bound once the host child connects.
@c(rumpc_sp_proc_fork)
public func rumpc_sp_proc_fork(_ main: UnsafeMutableRawPointer?,
                               _ errorOut: UnsafeMutablePointer<Int32>?) -> UnsafeMutableRawPointer? {
    guard let parent = RemoteProcesses.lwp(main)?.proc else {
        errorOut?.pointee = Errno.ESRCH.rawValue
        return nil
    }
    do {
        return try Lwproc.fork(parent, files: .copy, addressSpace: .remote(nil), held: true).opaque
    } catch {
        errorOut?.pointee = error.rawValue
        return nil
    }
}

/// The host child of a fork connected: its process now lives behind that
/// connection. No call of the process has run yet.
@c(rumpc_sp_proc_bind)
public func rumpc_sp_proc_bind(_ lwp: UnsafeMutableRawPointer?, _ connection: UnsafeMutableRawPointer?) {
    guard let lwp = RemoteProcesses.lwp(lwp) else { return }
    procTable.withLock { _ in lwp.proc.addressSpace = .remote(connection) }
}

/// The client exec'd: descriptors marked close-on-exec close, and the process
/// takes the new program's name.
@c(rumpc_sp_proc_exec)
public func rumpc_sp_proc_exec(_ main: UnsafeMutableRawPointer?, _ comm: UnsafePointer<CChar>?) {
    guard let proc = RemoteProcesses.lwp(main)?.proc else { return }
    proc.files.closeOnExecAll()
    if let comm {
        let name = String(cString: comm)
        proc.state.withLock { $0.comm = name }
    }
}

/// The client went: the process's sleeping calls end now (EINTR), so that
/// the connection's last reference, and with it the process, can go.
@c(rumpc_sp_proc_disconnect)
public func rumpc_sp_proc_disconnect(_ main: UnsafeMutableRawPointer?) {
    RemoteProcesses.lwp(main)?.proc.signals.end()
}

/// The pid of the process an lwp belongs to, for log lines.
@c(rumpc_sp_proc_pid)
public func rumpc_sp_proc_pid(_ lwp: UnsafeMutableRawPointer?) -> Int32 {
    RemoteProcesses.lwp(lwp)?.proc.pid ?? 0
}

/// Another lwp in the process of `main`, for a call made while another runs.
@c(rumpc_sp_lwp_new)
public func rumpc_sp_lwp_new(_ main: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    procTable.withLock { state -> UnsafeMutableRawPointer? in
        guard let proc = state.lwp(at: main)?.proc, !proc.exiting else { return nil }
        return state.makeLwp(in: proc, implicit: false, held: true).opaque
    }
}

/// Release an lwp the server holds; the process ends with its last one.
@c(rumpc_sp_lwp_free)
public func rumpc_sp_lwp_free(_ pointer: UnsafeMutableRawPointer?) {
    releaseLwp(at: pointer)
}
