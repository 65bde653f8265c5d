import Glibc
import Synchronization

/// A host directory behind a rumpfs directory vnode (etfs RUMP_ETFS_DIR and
/// RUMP_ETFS_DIR_SUBDIRS). As in the reference (rumpfs.c, RUMPNODE_DIR_ET),
/// names are looked up on the host when asked for, and only host regular
/// files and directories appear (stat follows host symbolic links); other
/// kinds of host file give ENOENT. Regular files read and write through to
/// the host file. With `subdirs`, host subdirectories are mapped in turn;
/// without, they appear as empty directories, as in the reference.
///
/// Unlike the reference, a mapped directory lists its host entries with
/// getdents (the reference lists nothing) and ".." works (the reference
/// gives EOPNOTSUPP). Names cannot be created or removed in a mapped
/// directory: a new name gives ENOENT (as the reference's lookup does), a
/// removal EOPNOTSUPP (as its remove does).
final class HostDirectory: @unchecked Sendable {
    let path: [UInt8]
    let subdirs: Bool

    private struct Cached {
        let vnode: Vnode
        let dev: UInt64
        let ino: UInt64
    }
    /// Nodes handed out so far, by name, so one host file is one vnode while
    /// it stays the same host file.
    private let cache = Mutex<[[UInt8]: Cached]>([:])

    init(path: [UInt8], subdirs: Bool) {
        self.path = path
        self.subdirs = subdirs
    }

    private func hostPath(_ name: ArraySlice<UInt8>) -> [CChar] {
        var p = path.map { CChar(bitPattern: $0) }
        if p.last != CChar(bitPattern: VFS.slash) { p.append(CChar(bitPattern: VFS.slash)) }
        p.append(contentsOf: name.map { CChar(bitPattern: $0) })
        p.append(0)
        return p
    }

    /// The node for `name` in the host directory `dir` maps, or nil if the
    /// host has no regular file or directory of that name.
    func lookup(_ name: ArraySlice<UInt8>, in dir: Vnode) throws(Errno) -> Vnode? {
        let hp = hostPath(name)
        var st = Glibc.stat()
        let rc = Scheduler.blocking { stat(hp, &st) }
        let key = Array(name)
        if rc != 0 {
            let e = errno
            cache.withLock { _ = $0.removeValue(forKey: key) }
            if e == ENOENT || e == ENOTDIR { return nil }
            throw Errno(host: e)
        }
        let fmt = st.st_mode & S_IFMT
        guard fmt == S_IFREG || fmt == S_IFDIR else {
            cache.withLock { _ = $0.removeValue(forKey: key) }
            return nil
        }
        let dev = UInt64(st.st_dev), ino = UInt64(st.st_ino)
        if let c = cache.withLock({ $0[key] }), c.dev == dev, c.ino == ino,
           (c.vnode.type == .dir) == (fmt == S_IFDIR) {
            return c.vnode
        }
        let v: Vnode
        if fmt == S_IFDIR {
            v = Vnode(type: .dir, mount: dir.mount, mode: 0o755, uid: 0, gid: 0)
            v.parent = dir
            v.nameInParent = key
            if subdirs {
                v.hostDir = HostDirectory(path: Array(hp.dropLast().map { UInt8(bitPattern: $0) }), subdirs: true)
            }
        } else {
            v = Vnode(type: .reg, mount: dir.mount, mode: 0o666, uid: 0, gid: 0)
            v.host = HostFile(path: hp)  // opened at its first read or write
        }
        return cache.withLock { (c) -> Vnode in
            // Another thread may have made one meanwhile: keep the first.
            if let old = c[key], old.dev == dev, old.ino == ino, old.vnode.type == v.type { return old.vnode }
            c[key] = Cached(vnode: v, dev: dev, ino: ino)
            return v
        }
    }

    /// Drop the nodes handed out (after etfs_remove), breaking the
    /// child-to-parent reference cycles; nodes still in use stay valid.
    func forget() {
        let nodes = cache.withLock { (c) -> [Cached] in
            defer { c.removeAll() }
            return Array(c.values)
        }
        for n in nodes { n.vnode.hostDir?.forget() }
    }

    /// The host directory's regular files and directories, in name order,
    /// as directory entries (for getdents).
    func entries(of dir: Vnode) -> [Directory.Entry?] {
        let hp = path.map { CChar(bitPattern: $0) } + [0]
        var names: [[UInt8]] = []
        Scheduler.blocking {
            guard let d = opendir(hp) else { return }
            defer { closedir(d) }
            while let e = readdir(d) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { raw -> [UInt8] in
                    Array(raw.prefix(while: { $0 != 0 }))
                }
                if name == [VFS.dot] || name == [VFS.dot, VFS.dot] || name.isEmpty { continue }
                names.append(name)
            }
        }
        names.sort { $0.lexicographicallyPrecedes($1) }
        var out: [Directory.Entry?] = []
        out.reserveCapacity(names.count)
        for name in names {
            if let v = try? lookup(name[...], in: dir) {
                out.append(Directory.Entry(name: name, vnode: v))
            }
        }
        return out
    }
}

extension EtfsTable {
    /// RUMP_ETFS_DIR / RUMP_ETFS_DIR_SUBDIRS: as the reference's doregister,
    /// ENOTDIR if the host path is not a directory, EISDIR for a range.
    static func registerDirectory(_ key: [UInt8], _ hostPath: String, subdirs: Bool,
                                  _ begin: UInt64, _ size: UInt64) throws(Errno) -> Vnode {
        var st = Glibc.stat()
        if stat(hostPath, &st) != 0 { throw Errno(host: errno) }
        guard st.st_mode & S_IFMT == S_IFDIR else { throw .ENOTDIR }
        guard begin == 0, size == etfsSizeEndOff else { throw .EISDIR }
        var real = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let path: [UInt8]
        if realpath(hostPath, &real) != nil {
            path = real.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
        } else {
            path = Array(hostPath.utf8)
        }
        let v = Vnode(type: .dir, mount: VFS.rootMount, mode: 0o755, uid: 0, gid: 0)
        v.parent = VFS.root
        v.nameInParent = key
        v.hostDir = HostDirectory(path: path, subdirs: subdirs)
        return v
    }

    /// A directory key that `path[begin...]` starts with, ending at a slash:
    /// the node and where the rest of the path starts.
    static func prefixMatch(_ path: [UInt8], from begin: Int) -> (Vnode, Int)? {
        var j = begin
        while j < path.count {
            if path[j] == VFS.slash, j > begin,
               let v = lookup(path[begin..<j]), v.hostDir != nil {
                return (v, j)
            }
            j += 1
        }
        return nil
    }
}
