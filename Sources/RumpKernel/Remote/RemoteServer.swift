@preconcurrency import CRump

/// Start serving remote clients at `url`: `unix://path` (relative to the
/// working directory; the socket file gets the process's umask and is removed
/// when the kernel halts) or `tcp://a.b.c.d:port` (`*` or `0` for any
/// address). Each client that connects becomes its own process. Returns 0 or
/// a NetBSD errno: EINVAL for a malformed URL or a kernel not booted,
/// ENAMETOOLONG for a socket path too long, EBUSY if already serving, or the
/// error of socket/bind/listen (EADDRINUSE when the path or port is taken).
@c(rump_init_server)
public func rump_init_server(_ url: UnsafePointer<CChar>?) -> Int32 {
    guard proc1 != nil else { return Errno.EINVAL.rawValue }
    guard let url else { return Errno.EINVAL.rawValue }
    let error = rumpc_sp_init(url)
    if error != 0 {
        Console.warn("rump_init_server: \(String(cString: url)): \(Errno(host: error))")
        return Errno(host: error).rawValue
    }
    Console.message("sysproxy server listening at \(String(cString: url))")
    return 0
}
