import Glibc
import Synchronization

/// A host file behind a vnode (etfs): a window [begin, begin + size) of it,
/// or from `begin` to the host file's end. Reads and writes go straight to
/// the host file with pread/pwrite.
final class HostFile: @unchecked Sendable {
    /// The host descriptor, or -1 until a file found in a mapped directory
    /// (HostDirectories.swift) is first read or written: listing a large
    /// host directory must not hold a descriptor per file.
    private let descriptor: Mutex<Int32>
    /// The host path of a lazily opened file (NUL-terminated).
    private let path: [CChar]?
    let begin: Int64
    /// The window's length; nil: up to the host file's end.
    let length: Int64?

    init(fd: Int32, begin: Int64, length: Int64?) {
        self.descriptor = Mutex(fd)
        self.path = nil
        self.begin = begin
        self.length = length
    }

    /// A whole host file, opened (read-write, else read-only) at first use.
    init(path: [CChar]) {
        self.descriptor = Mutex(-1)
        self.path = path
        self.begin = 0
        self.length = nil
    }

    deinit {
        let fd = descriptor.withLock { $0 }
        if fd >= 0 { Glibc.close(fd) }
    }

    /// The host descriptor, opening the file if it is not open yet.
    func open() throws(Errno) -> Int32 {
        try descriptor.withLock { (fd) throws(Errno) -> Int32 in
            if fd >= 0 { return fd }
            guard let path else { throw .EBADF }
            var nfd = Scheduler.blocking { Glibc.open(path, O_RDWR | O_CLOEXEC) }
            if nfd < 0 && (errno == EACCES || errno == EROFS || errno == ETXTBSY) {
                nfd = Scheduler.blocking { Glibc.open(path, O_RDONLY | O_CLOEXEC) }
            }
            if nfd < 0 { throw Errno(host: errno) }
            fd = nfd
            return nfd
        }
    }

    /// The host descriptor for fsync: -1 while a lazily opened file has not
    /// been opened (then nothing was written through it).
    var fd: Int32 { descriptor.withLock { $0 } }

    func currentSize() -> Int64 {
        if let length { return length }
        var st = Glibc.stat()
        let fd = descriptor.withLock { $0 }
        if fd >= 0 {
            guard fstat(fd, &st) == 0 else { return 0 }
        } else if let path {
            guard stat(path, &st) == 0 else { return 0 }
        } else {
            return 0
        }
        return max(0, Int64(st.st_size) - begin)
    }

    func read(_ uio: Uio) throws(Errno) {
        let fd = try open()
        let size = currentSize()
        try withUnsafeTemporaryAllocation(byteCount: 65536, alignment: 16) { (b) throws(Errno) in
            let base = b.baseAddress.unsafelyUnwrapped
            while uio.residual > 0 && uio.offset < size {
                let want = Int(min(Int64(min(b.count, uio.residual)), size - uio.offset))
                let n = Scheduler.blocking { pread(fd, base, want, off_t(begin + uio.offset)) }
                if n < 0 { throw Errno(host: errno) }
                if n == 0 { return }
                try uio.move(base, count: n)
            }
        }
    }

    func write(_ uio: Uio) throws(Errno) {
        let fd = try open()
        try withUnsafeTemporaryAllocation(byteCount: 65536, alignment: 16) { (b) throws(Errno) in
            let base = b.baseAddress.unsafelyUnwrapped
            while uio.residual > 0 {
                var want = min(b.count, uio.residual)
                if let length {
                    if uio.offset >= length { if want > 0 { throw .EFBIG }; return }
                    want = Int(min(Int64(want), length - uio.offset))
                }
                let at = uio.offset
                let got = try uio.move(base, count: want)
                var done = 0
                while done < got {
                    let n = Scheduler.blocking { pwrite(fd, base + done, got - done, off_t(begin + at + Int64(done))) }
                    if n < 0 { throw Errno(host: errno) }
                    done += n
                }
            }
        }
    }

    func truncate(_ length: Int64) throws(Errno) {
        guard self.length == nil else { throw .EINVAL }
        if ftruncate(try open(), off_t(begin + length)) != 0 { throw Errno(host: errno) }
    }
}

/// The etfs keys: absolute rump paths answered by host files before rumpfs
/// looks at its own root directory (hidden from getdents, as in the reference).
enum EtfsTable {
    private static let table = Mutex<[[UInt8]: Vnode]>([:])
    nonisolated(unsafe) static var active = false

    /// The node for the rest of a path at the root, if it is a key.
    static func lookup(_ rest: ArraySlice<UInt8>) -> Vnode? {
        var end = rest.endIndex
        while end > rest.startIndex && rest[end - 1] == VFS.slash { end -= 1 }
        let key = Array(rest[rest.startIndex..<end])
        return table.withLock { $0[key] }
    }

    /// The key as stored: no leading or trailing slashes, no empty components.
    static func normalize(_ key: String) throws(Errno) -> [UInt8] {
        let bytes = Array(key.utf8)
        guard bytes.first == VFS.slash else { throw .EINVAL }
        let parts = bytes.split(separator: VFS.slash)
        guard !parts.isEmpty else { throw .EINVAL }
        return Array(parts.joined(separator: [VFS.slash]))
    }

    static func register(_ key: String, _ hostPath: String, _ type: Int32, _ begin: UInt64,
                         _ size: UInt64) throws(Errno) {
        let k = try normalize(key)
        let vtype: VType
        switch type {
        case 0: vtype = .reg   // RUMP_ETFS_REG
        case 1: vtype = .blk   // RUMP_ETFS_BLK
        case 2: vtype = .chr   // RUMP_ETFS_CHR
        case 3, 4:  // RUMP_ETFS_DIR, _DIR_SUBDIRS (HostDirectories.swift)
            try insert(k, try registerDirectory(k, hostPath, subdirs: type == 4, begin, size))
            return
        default: throw .EINVAL
        }
        var fd = open(hostPath, O_RDWR | O_CLOEXEC)
        if fd < 0 && (errno == EACCES || errno == EROFS || errno == EISDIR) {
            fd = open(hostPath, O_RDONLY | O_CLOEXEC)
        }
        if fd < 0 { throw Errno(host: errno) }
        var st = Glibc.stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            Glibc.close(fd)
            throw .EISDIR
        }
        let host = HostFile(fd: fd, begin: Int64(begin),
                            length: size == etfsSizeEndOff ? nil : Int64(size))
        let v = Vnode(type: vtype, mount: VFS.rootMount, mode: 0o666, uid: 0, gid: 0)
        v.host = host
        try insert(k, v)
    }

    /// Enter a key: EEXIST if it is taken or lies under a directory key.
    private static func insert(_ k: [UInt8], _ v: Vnode) throws(Errno) {
        try table.withLock { (t) throws(Errno) in
            if t[k] != nil { throw .EEXIST }
            for j in k.indices where k[j] == VFS.slash {
                if let d = t[Array(k[..<j])], d.hostDir != nil { throw .EEXIST }
            }
            t[k] = v
        }
        try VFS.namespace.write { () throws(Errno) in active = true }
    }

    static func remove(_ key: String) throws(Errno) {
        let k = try normalize(key)
        let removed = table.withLock { $0.removeValue(forKey: k) }
        if removed == nil { throw .ENOENT }
        removed?.hostDir?.forget()
    }

    static func install() {
        Etfs.provider.withLock {
            $0 = Etfs.Provider(
                register: { key, hostPath, type, begin, size in
                    do throws(Errno) {
                        try EtfsTable.register(key, hostPath, type, begin, size)
                        return 0
                    } catch {
                        return error.rawValue
                    }
                },
                remove: { key in
                    do throws(Errno) {
                        try EtfsTable.remove(key)
                        return 0
                    } catch {
                        return error.rawValue
                    }
                })
        }
    }
}
