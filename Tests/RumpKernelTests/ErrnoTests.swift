import Glibc
import Testing

@testable import RumpKernel

/// The kernel reports NetBSD's error numbers, not the host's, and translates
/// host (Linux) errors into them.
@Suite("Errno")
struct ErrnoTests {
    @Test("NetBSD numbers", arguments: [
        (Errno.EPERM, 1), (.ENOENT, 2), (.ESRCH, 3), (.EINTR, 4), (.EIO, 5), (.ENXIO, 6),
        (.E2BIG, 7), (.EBADF, 9), (.ECHILD, 10), (.EDEADLK, 11), (.ENOMEM, 12),
        (.EACCES, 13), (.EFAULT, 14), (.EBUSY, 16), (.EEXIST, 17), (.EXDEV, 18),
        (.ENOTDIR, 20), (.EISDIR, 21), (.EINVAL, 22), (.ENFILE, 23), (.EMFILE, 24),
        (.ENOTTY, 25), (.ESPIPE, 29), (.EROFS, 30), (.EPIPE, 32), (.ERANGE, 34),
        (.EAGAIN, 35), (.EINPROGRESS, 36), (.EALREADY, 37), (.ENOTSOCK, 38),
        (.EOPNOTSUPP, 45), (.EAFNOSUPPORT, 47), (.EADDRINUSE, 48), (.ECONNRESET, 54),
        (.ENOBUFS, 55), (.ETIMEDOUT, 60), (.ECONNREFUSED, 61), (.ELOOP, 62),
        (.ENAMETOOLONG, 63), (.EHOSTUNREACH, 65), (.ENOTEMPTY, 66), (.EPROCLIM, 67),
        (.EDQUOT, 69), (.ESTALE, 70), (.ENOLCK, 77), (.ENOSYS, 78), (.EFTYPE, 79),
        (.EAUTH, 80), (.EIDRM, 82), (.ENOMSG, 83), (.EOVERFLOW, 84), (.EILSEQ, 85),
        (.ENOTSUP, 86), (.ECANCELED, 87), (.EBADMSG, 88), (.ENODATA, 89), (.ETIME, 92),
        (.ENOATTR, 93), (.EPROTO, 96),
    ] as [(Errno, Int32)])
    func netbsdNumber(_ error: Errno, _ number: Int32) {
        #expect(error.rawValue == number)
        #expect(error == Errno(number))
    }

    @Test("description names the NetBSD number")
    func description() {
        #expect(Errno.EAGAIN.description == "errno 35")
        #expect(Errno.ENOSYS.description == "errno 78")
        #expect("\(Errno(7))" == "errno 7")
    }

    @Test("errors compare and hash by number")
    func equality() {
        #expect(Errno(66) == .ENOTEMPTY)
        #expect(Errno.EAGAIN != Errno(11))
        #expect(Set([Errno.EPERM, Errno(1), .ENOENT]).count == 2)
    }

    @Test("Linux errno to NetBSD errno", arguments: [
        // 1-34 coincide, except EAGAIN (Linux 11) and EDEADLK (NetBSD 11).
        (1, 1), (2, 2), (9, 9), (13, 13), (14, 14), (22, 22), (28, 28), (34, 34),
        (11, 35),   // EAGAIN / EWOULDBLOCK
        (35, 11),   // EDEADLK
        (36, 63),   // ENAMETOOLONG
        (37, 77),   // ENOLCK
        (38, 78),   // ENOSYS
        (39, 66),   // ENOTEMPTY
        (40, 62),   // ELOOP
        (42, 83),   // ENOMSG
        (43, 82),   // EIDRM
        (61, 89),   // ENODATA
        (62, 92),   // ETIME
        (71, 96),   // EPROTO
        (74, 88),   // EBADMSG
        (75, 84),   // EOVERFLOW
        (84, 85),   // EILSEQ
        (87, 68),   // EUSERS
        (88, 38),   // ENOTSOCK
        (95, 45),   // EOPNOTSUPP (= ENOTSUP on Linux)
        (97, 47),   // EAFNOSUPPORT
        (98, 48),   // EADDRINUSE
        (104, 54),  // ECONNRESET
        (110, 60),  // ETIMEDOUT
        (111, 61),  // ECONNREFUSED
        (113, 65),  // EHOSTUNREACH
        (114, 37),  // EALREADY
        (115, 36),  // EINPROGRESS
        (116, 70),  // ESTALE
        (122, 69),  // EDQUOT
        (125, 87),  // ECANCELED
    ] as [(Int32, Int32)])
    func hostMapping(_ host: Int32, _ netbsd: Int32) {
        #expect(Errno(host: host).rawValue == netbsd)
    }

    @Test("the Glibc constants map to their NetBSD twins")
    func glibcNames() {
        #expect(Errno(host: Glibc.EAGAIN) == .EAGAIN)
        #expect(Errno(host: Glibc.EWOULDBLOCK) == .EAGAIN)
        #expect(Errno(host: Glibc.EDEADLK) == .EDEADLK)
        #expect(Errno(host: Glibc.ENOSYS) == .ENOSYS)
        #expect(Errno(host: Glibc.ENOTEMPTY) == .ENOTEMPTY)
        #expect(Errno(host: Glibc.ENAMETOOLONG) == .ENAMETOOLONG)
        #expect(Errno(host: Glibc.ECONNREFUSED) == .ECONNREFUSED)
    }

    @Test("host errors without a NetBSD twin become EIO", arguments: [
        0,      // not an error at all
        -1,     // garbage
        44,     // ECHRNG
        64,     // ENONET
        131,    // ENOTRECOVERABLE
        133,    // EHWPOISON
        4242,
    ] as [Int32])
    func unknownHostError(_ host: Int32) {
        #expect(Errno(host: host) == .EIO)
        #expect(Errno(host: host).rawValue == 5)
    }

    @Test("every Linux errno lands in NetBSD's range 1...96")
    func rangeOfMapping() {
        for host in Int32(1)...133 {
            let mapped = Errno(host: host).rawValue
            #expect((1...96).contains(mapped), "Linux \(host) -> \(mapped)")
        }
    }
}
