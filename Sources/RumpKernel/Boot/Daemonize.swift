import Glibc
import Synchronization

/// Detaching a kernel process into the background: the parent waits until the
/// child's kernel is up, then exits with the child's verdict.
enum Daemonize {
    /// The child's end of the pipe to the waiting parent; -1 when not begun.
    private static let reportFd = Mutex<Int32>(-1)

    static func begin() -> Int32 {
        if Boot.isBooted { return Errno.EALREADY.rawValue }
        return reportFd.withLock { fd -> Int32 in
            if fd != -1 { return Errno.EINPROGRESS.rawValue }
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { return Errno(host: errno).rawValue }
            let child = fork()
            switch child {
            case -1:
                let e = errno
                close(ends[0]); close(ends[1])
                return Errno(host: e).rawValue
            case 0:
                close(ends[0])
                _ = setsid()
                fd = ends[1]
                return 0
            default:
                close(ends[1])
                var status: Int32 = 0
                let n = read(ends[0], &status, MemoryLayout<Int32>.size)
                // A child that died before reporting counts as a failure.
                exit(n == MemoryLayout<Int32>.size ? status : 1)
            }
        }
    }

    static func done(_ error: Int32) -> Int32 {
        reportFd.withLock { fd -> Int32 in
            guard fd != -1 else { return Errno.ENOENT.rawValue }
            var status = error
            let n = write(fd, &status, MemoryLayout<Int32>.size)
            close(fd)
            fd = -1
            if n != MemoryLayout<Int32>.size { return Errno.EPIPE.rawValue }
            if error == 0 {
                let null = open("/dev/null", O_RDWR)
                if null >= 0 {
                    for target in Int32(0)...2 { dup2(null, target) }
                    if null > 2 { close(null) }
                }
            }
            return 0
        }
    }
}

/// Before `rump_init`: fork; the parent waits for `rump_daemonize_done` in the
/// child and exits with its status. EALREADY after boot, EINPROGRESS twice.
@c(rump_daemonize_begin)
public func rump_daemonize_begin() -> Int32 { Daemonize.begin() }

/// In the child: report `error` (0: success, and stdio goes to /dev/null).
/// ENOENT without a begin, EPIPE if the parent is gone.
@c(rump_daemonize_done)
public func rump_daemonize_done(_ error: Int32) -> Int32 { Daemonize.done(error) }
