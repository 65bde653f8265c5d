import Glibc
import Synchronization

/// A reader/writer lock over a pthread rwlock (per vnode, and the name space).
final class RWLock: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    @inline(__always)
    func read<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    @inline(__always)
    func write<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}

/// NetBSD's `enum vtype`.
enum VType: UInt8 {
    case non = 0, reg, dir, blk, chr, lnk, sock, fifo

    /// The S_IF* bits of `st_mode`.
    var modeBits: UInt32 {
        switch self {
        case .reg: return NetBSDStat.regular
        case .dir: return NetBSDStat.directory
        case .blk: return NetBSDStat.blockDevice
        case .chr: return NetBSDStat.characterDevice
        case .lnk: return NetBSDStat.symlink
        case .sock: return NetBSDStat.socket
        case .fifo: return NetBSDStat.fifo
        case .non: return 0
        }
    }

    /// `d_type` of a directory entry (DT_*).
    var direntType: UInt8 {
        switch self {
        case .fifo: return 1
        case .chr: return 2
        case .dir: return 4
        case .blk: return 6
        case .reg: return 8
        case .lnk: return 10
        case .sock: return 12
        case .non: return 0
        }
    }

    init?(mode: UInt32) {
        switch mode & NetBSDStat.typeMask {
        case NetBSDStat.regular: self = .reg
        case NetBSDStat.directory: self = .dir
        case NetBSDStat.blockDevice: self = .blk
        case NetBSDStat.characterDevice: self = .chr
        case NetBSDStat.symlink: self = .lnk
        case NetBSDStat.socket: self = .sock
        case NetBSDStat.fifo: self = .fifo
        default: return nil
        }
    }
}

/// A file system node. The in-memory file systems (rumpfs, tmpfs) keep their
/// nodes as vnodes directly; a vnode lives as long as a directory entry, an
/// open file or a process's current/root directory refers to it.
///
/// Locking: the name space (directory contents, parent links, mount points)
/// and attributes other than size/times change under `VFS.namespace` held for
/// writing; lookups hold it for reading. File data, size and times are under
/// the vnode's own `lock`, so reads and writes of different files never meet.
final class Vnode: @unchecked Sendable {
    let type: VType
    let mount: Mount
    let ino: UInt64
    /// Data, size and times.
    let lock = RWLock()

    var mode: UInt32
    var uid: UInt32
    var gid: UInt32
    var nlink: UInt32
    var flags: UInt32 = 0
    var rdev: UInt64 = 0
    var size: Int64 = 0
    var atime: NetBSDTimespec
    var mtime: NetBSDTimespec
    var ctime: NetBSDTimespec
    var birthtime: NetBSDTimespec

    /// Regular files: the data.
    var data: FileData?
    /// Directories: the entries; the parent directory and our name in it.
    var directory: Directory?
    var parent: Vnode?
    var nameInParent: [UInt8] = []
    /// Directories: the file system mounted here, if any.
    var mountedHere: Mount?
    /// Symbolic links: the target.
    var target: [UInt8] = []
    /// Host files (etfs).
    var host: HostFile?
    /// Directories mapped from the host (etfs RUMP_ETFS_DIR*).
    var hostDir: HostDirectory?
    /// A FIFO's pipe, from its first open (vnode lock).
    var fifo: Pipe?
    /// How many kqueue knotes watch this vnode (IPC/KqueueVnode.swift).
    let kqWatchers = Atomic<Int>(0)

    init(type: VType, mount: Mount, mode: UInt32, uid: UInt32, gid: UInt32) {
        self.type = type
        self.mount = mount
        self.ino = mount.allocateIno()
        self.mode = mode & 0o7777
        self.uid = uid
        self.gid = gid
        self.nlink = type == .dir ? 2 : 1
        let now = VFS.now()
        atime = now
        mtime = now
        ctime = now
        birthtime = now
        switch type {
        case .reg: data = FileData()
        case .dir: directory = Directory()
        default: break
        }
        mount.nodeCount.add(1, ordering: .relaxed)
    }

    deinit {
        mount.nodeCount.subtract(1, ordering: .relaxed)
    }

    var isMountRoot: Bool { mount.root === self }

    /// The attributes as NetBSD's `struct stat` (data lock held by the caller
    /// for size and times, or not: a torn time is harmless).
    func stat() -> NetBSDStat {
        var st = NetBSDStat()
        st.dev = mount.fsid
        st.ino = ino
        st.mode = type.modeBits | mode
        st.nlink = nlink
        st.uid = uid
        st.gid = gid
        st.rdev = rdev
        st.atime = atime
        st.mtime = mtime
        st.ctime = ctime
        st.birthtime = birthtime
        st.flags = flags
        st.blksize = 4096
        switch type {
        case .reg:
            if let host {
                st.size = host.currentSize()
                st.blocks = (st.size + 511) / 512
            } else {
                st.size = size
                st.blocks = Int64((data?.allocatedBytes ?? 0) / 512)
            }
        case .dir:
            st.size = Int64(max(1, directory?.count ?? 0)) * 16
            st.blocks = 1
        case .lnk:
            st.size = Int64(target.count)
        default:
            break
        }
        return st
    }

    /// Update modification (and change) times.
    @inline(__always)
    func touchModified() {
        let now = VFS.now()
        mtime = now
        ctime = now
    }
}
