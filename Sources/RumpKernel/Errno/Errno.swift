import Glibc

/// A NetBSD error number, as the kernel reports it to callers.
///
/// Kernel code throws these (`throws(Errno)`); the syscall layer turns them into
/// the C return value in one place (`invoke`). The numbers are NetBSD's, not the
/// host's: `EAGAIN` is 35 here and 11 on Linux.
public struct Errno: Error, Equatable, Hashable, CustomStringConvertible, Sendable {
    public let rawValue: Int32

    @inline(__always)
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    public var description: String { "errno \(rawValue)" }

    public static let EPERM = Errno(1)
    public static let ENOENT = Errno(2)
    public static let ESRCH = Errno(3)
    public static let EINTR = Errno(4)
    public static let EIO = Errno(5)
    public static let ENXIO = Errno(6)
    public static let E2BIG = Errno(7)
    public static let ENOEXEC = Errno(8)
    public static let EBADF = Errno(9)
    public static let ECHILD = Errno(10)
    public static let EDEADLK = Errno(11)
    public static let ENOMEM = Errno(12)
    public static let EACCES = Errno(13)
    public static let EFAULT = Errno(14)
    public static let ENOTBLK = Errno(15)
    public static let EBUSY = Errno(16)
    public static let EEXIST = Errno(17)
    public static let EXDEV = Errno(18)
    public static let ENODEV = Errno(19)
    public static let ENOTDIR = Errno(20)
    public static let EISDIR = Errno(21)
    public static let EINVAL = Errno(22)
    public static let ENFILE = Errno(23)
    public static let EMFILE = Errno(24)
    public static let ENOTTY = Errno(25)
    public static let ETXTBSY = Errno(26)
    public static let EFBIG = Errno(27)
    public static let ENOSPC = Errno(28)
    public static let ESPIPE = Errno(29)
    public static let EROFS = Errno(30)
    public static let EMLINK = Errno(31)
    public static let EPIPE = Errno(32)
    public static let EDOM = Errno(33)
    public static let ERANGE = Errno(34)
    public static let EAGAIN = Errno(35)
    public static let EINPROGRESS = Errno(36)
    public static let EALREADY = Errno(37)
    public static let ENOTSOCK = Errno(38)
    public static let EDESTADDRREQ = Errno(39)
    public static let EMSGSIZE = Errno(40)
    public static let EPROTOTYPE = Errno(41)
    public static let ENOPROTOOPT = Errno(42)
    public static let EPROTONOSUPPORT = Errno(43)
    public static let ESOCKTNOSUPPORT = Errno(44)
    public static let EOPNOTSUPP = Errno(45)
    public static let EPFNOSUPPORT = Errno(46)
    public static let EAFNOSUPPORT = Errno(47)
    public static let EADDRINUSE = Errno(48)
    public static let EADDRNOTAVAIL = Errno(49)
    public static let ENETDOWN = Errno(50)
    public static let ENETUNREACH = Errno(51)
    public static let ENETRESET = Errno(52)
    public static let ECONNABORTED = Errno(53)
    public static let ECONNRESET = Errno(54)
    public static let ENOBUFS = Errno(55)
    public static let EISCONN = Errno(56)
    public static let ENOTCONN = Errno(57)
    public static let ESHUTDOWN = Errno(58)
    public static let ETOOMANYREFS = Errno(59)
    public static let ETIMEDOUT = Errno(60)
    public static let ECONNREFUSED = Errno(61)
    public static let ELOOP = Errno(62)
    public static let ENAMETOOLONG = Errno(63)
    public static let EHOSTDOWN = Errno(64)
    public static let EHOSTUNREACH = Errno(65)
    public static let ENOTEMPTY = Errno(66)
    public static let EPROCLIM = Errno(67)
    public static let EUSERS = Errno(68)
    public static let EDQUOT = Errno(69)
    public static let ESTALE = Errno(70)
    public static let EREMOTE = Errno(71)
    public static let EBADRPC = Errno(72)
    public static let ERPCMISMATCH = Errno(73)
    public static let EPROGUNAVAIL = Errno(74)
    public static let EPROGMISMATCH = Errno(75)
    public static let EPROCUNAVAIL = Errno(76)
    public static let ENOLCK = Errno(77)
    public static let ENOSYS = Errno(78)
    public static let EFTYPE = Errno(79)
    public static let EAUTH = Errno(80)
    public static let ENEEDAUTH = Errno(81)
    public static let EIDRM = Errno(82)
    public static let ENOMSG = Errno(83)
    public static let EOVERFLOW = Errno(84)
    public static let EILSEQ = Errno(85)
    public static let ENOTSUP = Errno(86)
    public static let ECANCELED = Errno(87)
    public static let EBADMSG = Errno(88)
    public static let ENODATA = Errno(89)
    public static let ENOSR = Errno(90)
    public static let ENOSTR = Errno(91)
    public static let ETIME = Errno(92)
    public static let ENOATTR = Errno(93)
    public static let EMULTIHOP = Errno(94)
    public static let ENOLINK = Errno(95)
    public static let EPROTO = Errno(96)
}

extension Errno {
    /// The NetBSD error for a host (Linux) errno, as the hypercall layer reports
    /// host failures to the kernel. Host errors with no NetBSD twin become EIO.
    public init(host: Int32) {
        switch host {
        case 1...34 where host != Glibc.EAGAIN: self.init(host)  // 1-34 coincide, but 11
        case Glibc.EAGAIN: self = .EAGAIN
        case Glibc.EDEADLK: self = .EDEADLK
        case Glibc.ENAMETOOLONG: self = .ENAMETOOLONG
        case Glibc.ENOLCK: self = .ENOLCK
        case Glibc.ENOSYS: self = .ENOSYS
        case Glibc.ENOTEMPTY: self = .ENOTEMPTY
        case Glibc.ELOOP: self = .ELOOP
        case Glibc.ENOMSG: self = .ENOMSG
        case Glibc.EIDRM: self = .EIDRM
        case Glibc.ENODATA: self = .ENODATA
        case Glibc.ETIME: self = .ETIME
        case Glibc.ENOSR: self = .ENOSR
        case Glibc.ENOSTR: self = .ENOSTR
        case Glibc.ENOLINK: self = .ENOLINK
        case Glibc.EPROTO: self = .EPROTO
        case Glibc.EMULTIHOP: self = .EMULTIHOP
        case Glibc.EBADMSG: self = .EBADMSG
        case Glibc.EOVERFLOW: self = .EOVERFLOW
        case Glibc.EILSEQ: self = .EILSEQ
        case Glibc.EUSERS: self = .EUSERS
        case Glibc.ENOTSOCK: self = .ENOTSOCK
        case Glibc.EDESTADDRREQ: self = .EDESTADDRREQ
        case Glibc.EMSGSIZE: self = .EMSGSIZE
        case Glibc.EPROTOTYPE: self = .EPROTOTYPE
        case Glibc.ENOPROTOOPT: self = .ENOPROTOOPT
        case Glibc.EPROTONOSUPPORT: self = .EPROTONOSUPPORT
        case Glibc.ESOCKTNOSUPPORT: self = .ESOCKTNOSUPPORT
        case Glibc.EOPNOTSUPP: self = .EOPNOTSUPP
        case Glibc.EPFNOSUPPORT: self = .EPFNOSUPPORT
        case Glibc.EAFNOSUPPORT: self = .EAFNOSUPPORT
        case Glibc.EADDRINUSE: self = .EADDRINUSE
        case Glibc.EADDRNOTAVAIL: self = .EADDRNOTAVAIL
        case Glibc.ENETDOWN: self = .ENETDOWN
        case Glibc.ENETUNREACH: self = .ENETUNREACH
        case Glibc.ENETRESET: self = .ENETRESET
        case Glibc.ECONNABORTED: self = .ECONNABORTED
        case Glibc.ECONNRESET: self = .ECONNRESET
        case Glibc.ENOBUFS: self = .ENOBUFS
        case Glibc.EISCONN: self = .EISCONN
        case Glibc.ENOTCONN: self = .ENOTCONN
        case Glibc.ESHUTDOWN: self = .ESHUTDOWN
        case Glibc.ETOOMANYREFS: self = .ETOOMANYREFS
        case Glibc.ETIMEDOUT: self = .ETIMEDOUT
        case Glibc.ECONNREFUSED: self = .ECONNREFUSED
        case Glibc.EHOSTDOWN: self = .EHOSTDOWN
        case Glibc.EHOSTUNREACH: self = .EHOSTUNREACH
        case Glibc.EALREADY: self = .EALREADY
        case Glibc.EINPROGRESS: self = .EINPROGRESS
        case Glibc.ESTALE: self = .ESTALE
        case Glibc.EDQUOT: self = .EDQUOT
        case Glibc.ECANCELED: self = .ECANCELED
        case Glibc.EREMOTE: self = .EREMOTE
        default: self = .EIO
        }
    }
}
