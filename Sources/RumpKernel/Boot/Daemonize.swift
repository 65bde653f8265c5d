import Glibc
import Synchronization

/// Detaching a kernel process into the background, as the reference does it:
/// the parent waits on a socket pair until the child's kernel is up, then
/// exits with the child's verdict (ESRCH if the child died without one).
enum Daemonize {
    private struct State: ~Copyable {
        var begun = false
        /// The child's end of the socket pair to the waiting parent.
        var report: Int32 = -1
        var other: Int32 = -1
    }

    private static let state = Mutex(State())

    static func begin() -> Int32 {
        if Boot.isBooted { return Errno.EALREADY.rawValue }
        return state.withLock { s -> Int32 in
            if s.begun { return Errno.EINPROGRESS.rawValue }
            var ends: [Int32] = [-1, -1]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0 else {
                return Errno(host: errno).rawValue
            }
            switch fork() {
            case -1:
                let e = errno
                close(ends[0]); close(ends[1])
                return Errno(host: e).rawValue
            case 0:
                s.begun = true
                s.other = ends[0]
                s.report = ends[1]
                if setsid() == -1 { _ = send(ends[1], [errno], MemoryLayout<Int32>.size, Int32(MSG_NOSIGNAL)) }
                return 0
            default:
                close(ends[1])
                var status: Int32 = 0
                let n = recv(ends[0], &status, MemoryLayout<Int32>.size, Int32(MSG_NOSIGNAL))
                if n == -1 {
                    status = errno
                } else if n != MemoryLayout<Int32>.size {
                    status = ESRCH  // the child died before reporting
                }
                _exit(status)
            }
        }
    }

    static func done(_ error: Int32) -> Int32 {
        state.withLock { s -> Int32 in
            guard s.begun else { return Errno.ENOENT.rawValue }
            var status = error
            if status == 0 {
                let null = open("/dev/null", O_RDWR)
                if null == -1 {
                    status = errno
                } else {
                    for target in Int32(0)...2 { dup2(null, target) }
                    if null > 2 { close(null) }
                }
            }
            let n = send(s.report, &status, MemoryLayout<Int32>.size, Int32(MSG_NOSIGNAL))
            // Sent once; a second report finds the socket closed: EPIPE.
            guard n == MemoryLayout<Int32>.size else { return Errno.EPIPE.rawValue }
            close(s.report)
            close(s.other)
            return 0
        }
    }
}

/// Before `rump_init`: fork; the parent waits for `rump_daemonize_done` in the
/// child and exits with its status. EALREADY after boot, EINPROGRESS twice.
@c(rump_daemonize_begin)
public func rump_daemonize_begin() -> Int32 { Daemonize.begin() }

/// In the child: report `error` (0: success, and stdio goes to /dev/null).
/// ENOENT without a begin, EPIPE if the parent is gone or was already told.
@c(rump_daemonize_done)
public func rump_daemonize_done(_ error: Int32) -> Int32 { Daemonize.done(error) }
