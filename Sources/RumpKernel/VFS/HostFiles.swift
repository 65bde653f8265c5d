import Glibc
import Synchronization

/// A host file behind a vnode (etfs): a window [begin, begin + size) of it,
/// or from `begin` to the host file's end. Reads and writes go straight to
/// the host file with pread/pwrite.
final class HostFile: @unchecked Sendable {
    let fd: Int32
    let begin: Int64
    /// The window's length; nil: up to the host file's end.
    let length: Int64?

    init(fd: Int32, begin: Int64, length: Int64?) {
        self.fd = fd
        self.begin = begin
        self.length = length
    }

    deinit { Glibc.close(fd) }

    func currentSize() -> Int64 {
        if let length { return length }
        var st = Glibc.stat()
        guard fstat(fd, &st) == 0 else { return 0 }
        return max(0, Int64(st.st_size) - begin)
    }

    func read(_ uio: Uio) throws(Errno) {
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
        if ftruncate(fd, off_t(begin + length)) != 0 { throw Errno(host: errno) }
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
        case 3, 4: throw .EOPNOTSUPP  // RUMP_ETFS_DIR, _DIR_SUBDIRS: not yet
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
        try table.withLock { (t) throws(Errno) in
            if t[k] != nil { throw .EEXIST }
            t[k] = v
        }
        try VFS.namespace.write { () throws(Errno) in active = true }
    }

    static func remove(_ key: String) throws(Errno) {
        let k = try normalize(key)
        let removed = table.withLock { $0.removeValue(forKey: k) }
        if removed == nil { throw .ENOENT }
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
