// Directory calls: getdents, chdir, fchdir, chroot, fchroot, __getcwd.

extension VFS {
    /// Fill `buffer` with NetBSD `struct dirent` records from the directory,
    /// starting at entry `offset` (the file offset): fileno u64 @0, reclen
    /// u16 @8, namlen u16 @10, type u8 @12, name @13 NUL-terminated, each
    /// record rounded up to 8 bytes. Returns (bytes, next offset).
    static func readDirectory(_ dir: Vnode, from offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> (Int, Int64) {
        try namespace.read { () throws(Errno) -> (Int, Int64) in
            var used = 0
            var position = offset
            let dots = dir.mount.type.listsDots
            let base = buffer.baseAddress.unsafelyUnwrapped
            func put(_ ino: UInt64, _ type: UInt8, _ name: UnsafeRawBufferPointer) -> Bool {
                let reclen = (13 + name.count + 1 + 7) & ~7
                guard used + reclen <= buffer.count else { return false }
                let r = base + used
                r.storeBytes(of: ino, as: UInt64.self)
                r.storeBytes(of: UInt16(reclen), toByteOffset: 8, as: UInt16.self)
                r.storeBytes(of: UInt16(name.count), toByteOffset: 10, as: UInt16.self)
                r.storeBytes(of: type, toByteOffset: 12, as: UInt8.self)
                if name.count > 0 { (r + 13).copyMemory(from: name.baseAddress!, byteCount: name.count) }
                (r + 13 + name.count).initializeMemory(as: UInt8.self, repeating: 0, count: reclen - 13 - name.count)
                used += reclen
                return true
            }
            func put(_ ino: UInt64, _ type: UInt8, _ name: [UInt8]) -> Bool {
                name.withUnsafeBytes { put(ino, type, $0) }
            }
            if dots {
                if position == 0 {
                    guard put(dir.ino, VType.dir.direntType, [dot]) else { throw .EINVAL }
                    position = 1
                }
                if position == 1 {
                    let up = dir.isMountRoot ? dir : (dir.parent ?? dir)
                    guard put(up.ino, VType.dir.direntType, [dot, dot]) else {
                        if used == 0 { throw .EINVAL }
                        return (used, position)
                    }
                    position = 2
                }
            }
            let first = dots ? 2 : 0
            var i = Int(position) - first
            guard let host = dir.hostDir else {
                // A file system's own directory: copy from its cached listing.
                let directory = dir.directory.unsafelyUnwrapped
                let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[used...])
                let (bytes, next) = directory.list(from: i, into: rest)
                if bytes == 0 && used == 0 && next < directory.slots.count { throw .EINVAL }
                return (used + bytes, Int64(next + first))
            }
            // A mapped host directory: listed from the host each time.
            let full = host.entries(of: dir).withUnsafeBufferPointer { entries -> Bool in
                while i < entries.count {
                    if let e = entries[i] {
                        guard put(e.ino, e.direntType, e.name) else { return true }
                    }
                    i += 1
                }
                return false
            }
            if full && used == 0 { throw .EINVAL }
            return (used, Int64(i + first))
        }
    }

    /// Whether `v` is `ancestor` or below it.
    static func isUnder(_ v: Vnode, _ ancestor: Vnode) -> Bool {
        var p: Vnode? = v
        while let d = p {
            if d === ancestor { return true }
            p = d.isMountRoot ? d.mount.covered : d.parent
        }
        return false
    }

    static func changeDirectory(_ l: Lwp, _ v: Vnode, _ cred: Cred, root changeRoot: Bool) throws(Errno) {
        guard v.type == .dir else { throw .ENOTDIR }
        try namespace.read { () throws(Errno) in try v.checkAccess(.exec, cred) }
        l.proc.state.withLock { s in
            if changeRoot {
                s.rootDir = v
                if let cwd = s.cwd, !isUnder(cwd, v) { s.cwd = v } else if s.cwd == nil { s.cwd = v }
            } else {
                s.cwd = v
            }
        }
    }
}

func sys_getdents(_ l: Lwp, _ uap: sys_getdents_args) throws(Errno) -> SyscallResult {
    let (file, v) = try VFS.vnodeFile(l, uap.fd, notVnode: .EINVAL)
    guard file.access.canRead else { throw .EBADF }
    guard v.type == .dir else { throw .ENOTDIR }
    let count = min(Int(clamping: uap.count), 65536)
    return try withUnsafeTemporaryAllocation(byteCount: max(count, 1), alignment: 8) { (b) throws(Errno) -> SyscallResult in
        let buffer = UnsafeMutableRawBufferPointer(start: b.baseAddress, count: count)
        let (n, next) = try VFS.readDirectory(v, from: file.offset, into: buffer)
        try copyout(l, from: b.baseAddress.unsafelyUnwrapped, to: uap.buf, count: n)
        file.offset = next
        return SyscallResult(n)
    }
}

func sys_chdir(_ l: Lwp, _ uap: sys_chdir_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    try VFS.changeDirectory(l, try VFS.lookup(l, ctx, uap.path), ctx.cred, root: false)
    return 0
}

func sys_fchdir(_ l: Lwp, _ uap: sys_fchdir_args) throws(Errno) -> SyscallResult {
    let (_, v) = try VFS.vnodeFile(l, uap.fd, notVnode: .ENOTDIR)
    try VFS.changeDirectory(l, v, l.proc.cred, root: false)
    return 0
}

func sys_chroot(_ l: Lwp, _ uap: sys_chroot_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    guard ctx.cred.isRoot else { throw .EPERM }
    try VFS.changeDirectory(l, try VFS.lookup(l, ctx, uap.path), ctx.cred, root: true)
    return 0
}

func sys_fchroot(_ l: Lwp, _ uap: sys_fchroot_args) throws(Errno) -> SyscallResult {
    let cred = l.proc.cred
    guard cred.isRoot else { throw .EPERM }
    let (_, v) = try VFS.vnodeFile(l, uap.fd, notVnode: .ENOTDIR)
    try VFS.changeDirectory(l, v, cred, root: true)
    return 0
}

/// __getcwd(buf, length): the current directory's path from the process's
/// root, NUL-terminated; returns its length with the NUL (NetBSD). ERANGE if
/// it does not fit, ENOENT if the directory was removed.
func sys___getcwd(_ l: Lwp, _ uap: sys___getcwd_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    guard uap.length >= 2 else { throw .ERANGE }
    let path = try VFS.namespace.read { () throws(Errno) -> [UInt8] in
        var parts: [[UInt8]] = []
        var v = ctx.cwd
        while v !== ctx.root && v !== VFS.root {
            if v.isMountRoot, let covered = v.mount.covered {
                v = covered
                continue
            }
            guard let parent = v.parent else { throw .ENOENT }
            parts.append(v.nameInParent)
            v = parent
        }
        if parts.isEmpty { return [VFS.slash] }
        var out: [UInt8] = []
        for part in parts.reversed() {
            out.append(VFS.slash)
            out.append(contentsOf: part)
        }
        return out
    }
    guard path.count + 1 <= Int(clamping: uap.length) else { throw .ERANGE }
    try copyoutstr(l, path, to: uap.bufp, capacity: path.count + 1)
    return SyscallResult(path.count + 1)
}
