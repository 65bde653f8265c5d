import Glibc
import Synchronization

/// A kind of file system that `mount` can make (NetBSD's `vfsops`).
struct FileSystemType: Sendable {
    let name: String
    /// Whether getdents lists "." and ".." (tmpfs does; the reference's rumpfs
    /// does not).
    let listsDots: Bool
    /// Read the mount's arguments and make its root: the new mount's root
    /// uid, gid, mode and size limits.
    let parseArgs: @Sendable (Lwp, UnsafeMutableRawPointer?, Int) throws(Errno) -> MountArgs
}

/// What a file system's arguments say about a new mount.
struct MountArgs {
    var rootUid: UInt32 = 0
    var rootGid: UInt32 = 0
    var rootMode: UInt32 = 0o755
    var sizeMax: Int64 = 0
    var nodesMax: UInt64 = 0
}

/// A mounted file system (NetBSD's `struct mount`).
final class Mount: @unchecked Sendable {
    let type: FileSystemType
    private(set) var root: Vnode!
    /// The directory this file system covers (nil for the root file system).
    var covered: Vnode?
    /// f_mntonname, f_mntfromname.
    var onName: [UInt8]
    var fromName: [UInt8]
    let flags: Int32
    let fsid: UInt64
    let owner: UInt32
    var args: MountArgs
    private let nextIno = Atomic<UInt64>(2)
    let nodeCount = Atomic<Int>(0)
    /// Open files on this file system (unmount refuses while any).
    let openFiles = Atomic<Int>(0)

    private static let nextFsid = Atomic<UInt64>(0x1100)

    init(type: FileSystemType, onName: [UInt8], fromName: [UInt8], flags: Int32, owner: UInt32, args: MountArgs) {
        self.type = type
        self.onName = onName
        self.fromName = fromName
        self.flags = flags
        self.owner = owner
        self.args = args
        self.fsid = Mount.nextFsid.add(1, ordering: .relaxed).newValue
        let root = Vnode(type: .dir, mount: self, mode: args.rootMode, uid: args.rootUid, gid: args.rootGid)
        self.root = root
    }

    func allocateIno() -> UInt64 {
        nextIno.add(1, ordering: .relaxed).oldValue
    }

    /// NetBSD's amd64 `struct statvfs`.
    func statvfs() -> NetBSDStatvfs {
        var s = NetBSDStatvfs()
        s.flag = UInt(UInt32(bitPattern: flags)) | 0x1000  // MNT_LOCAL
        s.bsize = 4096
        s.frsize = 4096
        s.iosize = 4096
        let nodes = UInt64(nodeCount.load(ordering: .relaxed))
        if args.sizeMax > 0 {
            s.blocks = UInt64(args.sizeMax) / 4096
        } else {
            s.blocks = 1 << 20
        }
        s.bfree = s.blocks
        s.bavail = s.blocks
        let maxNodes = args.nodesMax > 0 ? args.nodesMax : 1 << 24
        s.files = maxNodes
        s.ffree = maxNodes > nodes ? maxNodes - nodes : 0
        s.favail = s.ffree
        s.fsidx = fsid
        s.fsid = UInt(fsid)
        s.namemax = UInt(VFS.nameMax)
        s.owner = owner
        s.setNames(type: Array(type.name.utf8), on: onName, from: fromName)
        return s
    }
}

/// NetBSD's amd64 `struct statvfs` (sys/statvfs.h): 2256 bytes.
struct NetBSDStatvfs: BitwiseCopyable {
    var flag: UInt = 0
    var bsize: UInt = 0
    var frsize: UInt = 0
    var iosize: UInt = 0
    var blocks: UInt64 = 0
    var bfree: UInt64 = 0
    var bavail: UInt64 = 0
    var bresvd: UInt64 = 0
    var files: UInt64 = 0
    var ffree: UInt64 = 0
    var favail: UInt64 = 0
    var fresvd: UInt64 = 0
    var syncreads: UInt64 = 0
    var syncwrites: UInt64 = 0
    var asyncreads: UInt64 = 0
    var asyncwrites: UInt64 = 0
    var fsidx: UInt64 = 0
    var fsid: UInt = 0
    var namemax: UInt = 0
    var owner: UInt32 = 0
    var spare: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    /// f_fstypename[32], f_mntonname[1024], f_mntfromname[1024], padding.
    var names: (NameBlock32, NameBlock1024, NameBlock1024, UInt32) = (.init(), .init(), .init(), 0)

    static let size = 2256
    static let typeNameOffset = 172
    static let onNameOffset = 204
    static let fromNameOffset = 1228

    mutating func setNames(type: [UInt8], on: [UInt8], from: [UInt8]) {
        withUnsafeMutableBytes(of: &self) { raw in
            func put(_ s: [UInt8], _ at: Int, _ cap: Int) {
                let n = min(s.count, cap - 1)
                for i in 0..<n { raw[at + i] = s[i] }
                raw[at + n] = 0
            }
            put(type, NetBSDStatvfs.typeNameOffset, 32)
            put(on, NetBSDStatvfs.onNameOffset, 1024)
            put(from, NetBSDStatvfs.fromNameOffset, 1024)
        }
    }
}

struct NameBlock32: BitwiseCopyable {
    var words: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)
    init() {}
}

struct NameBlock1024: BitwiseCopyable {
    var blocks: (NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32,
                 NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32,
                 NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32,
                 NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32, NameBlock32)
    init() {
        let z = NameBlock32()
        blocks = (z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z, z)
    }
}
