/// NetBSD's amd64 `struct stat` (the `__stat50` layout, 152 bytes), as
/// `fstat` and friends copy it out.
public struct NetBSDStat: BitwiseCopyable {
    public var dev: UInt64 = 0
    public var mode: UInt32 = 0
    var pad0: UInt32 = 0
    public var ino: UInt64 = 0
    public var nlink: UInt32 = 0
    public var uid: UInt32 = 0
    public var gid: UInt32 = 0
    var pad1: UInt32 = 0
    public var rdev: UInt64 = 0
    public var atime = NetBSDTimespec()
    public var mtime = NetBSDTimespec()
    public var ctime = NetBSDTimespec()
    public var birthtime = NetBSDTimespec()
    public var size: Int64 = 0
    public var blocks: Int64 = 0
    public var blksize: Int32 = 0
    public var flags: UInt32 = 0
    public var gen: UInt32 = 0
    var spare: (UInt32, UInt32) = (0, 0)
    var pad2: UInt32 = 0

    public init() {}

    /// File type bits (S_IF*), NetBSD's values (the same as Linux's).
    public static let typeMask: UInt32 = 0o170000
    public static let fifo: UInt32 = 0o010000
    public static let characterDevice: UInt32 = 0o020000
    public static let directory: UInt32 = 0o040000
    public static let blockDevice: UInt32 = 0o060000
    public static let regular: UInt32 = 0o100000
    public static let symlink: UInt32 = 0o120000
    public static let socket: UInt32 = 0o140000
}
