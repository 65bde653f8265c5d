// Mount calls: mount, unmount, statvfs1, fstatvfs1, getvfsstat.

extension VFS {
    static let mntForce: Int32 = 0x80000
    static let mntUpdate: Int32 = 0x10000
    static let mntGetargs: Int32 = 0x40_0000
    /// Flags a mount records (MNT_RDONLY ... MNT_LOG): visible in f_flag.
    static let mntVisible: Int32 = 0x0fff_ffff & ~(0x10000 | 0x40_0000 | 0x80000 | 0x20000 | 0x40000)
}

func sys_mount(_ l: Lwp, _ uap: sys_mount_args) throws(Errno) -> SyscallResult {
    let typeName = try copyinstr(l, from: uap.type, maxLength: 32)
    let ctx = PathContext(l)
    guard ctx.cred.isRoot else { throw .EPERM }
    guard let type = VFS.types.withLock({ $0[String(decoding: typeName, as: UTF8.self)] }) else { throw .ENODEV }
    if uap.flags & (VFS.mntUpdate | VFS.mntGetargs) != 0 { throw .EOPNOTSUPP }
    let path = try VFS.copyPath(l, uap.path)
    let args = try type.parseArgs(l, uap.data, Int(uap.data_len))
    try VFS.namespace.write { () throws(Errno) in
        let covered = try VFS.namei(ctx, path, start: ctx.cwd, op: .lookup, follow: true).vnode.unsafelyUnwrapped
        guard covered.type == .dir else { throw .ENOTDIR }
        if covered.isMountRoot || covered.mountedHere != nil { throw .EBUSY }
        // f_mntonname: the directory's path from the real root.
        var parts: [[UInt8]] = []
        var v = covered
        while v !== VFS.root {
            if v.isMountRoot, let c = v.mount.covered { v = c; continue }
            guard let p = v.parent else { throw .ENOENT }
            parts.append(v.nameInParent)
            v = p
        }
        var on: [UInt8] = []
        for part in parts.reversed() { on.append(VFS.slash); on.append(contentsOf: part) }
        if on.isEmpty { on = [VFS.slash] }
        let m = Mount(type: type, onName: on, fromName: typeName, flags: uap.flags & VFS.mntVisible,
                      owner: ctx.cred.euid, args: args)
        m.covered = covered
        covered.mountedHere = m
        VFS.mounts.append(m)
    }
    return 0
}

func sys_unmount(_ l: Lwp, _ uap: sys_unmount_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    guard ctx.cred.isRoot else { throw .EPERM }
    let path = try VFS.copyPath(l, uap.path)
    try VFS.namespace.write { () throws(Errno) in
        let v = try VFS.namei(ctx, path, start: ctx.cwd, op: .lookup, follow: true).vnode.unsafelyUnwrapped
        guard v.isMountRoot else { throw .EINVAL }
        let m = v.mount
        guard let covered = m.covered else { throw .EBUSY }
        if uap.flags & VFS.mntForce == 0 {
            if m.openFiles.load(ordering: .relaxed) > 0 { throw .EBUSY }
            if VFS.mounts.contains(where: { $0.covered?.mount === m }) { throw .EBUSY }
            if ctx.cwd.mount === m || ctx.root.mount === m { throw .EBUSY }
        }
        covered.mountedHere = nil
        VFS.mounts.removeAll { $0 === m }
    }
    return 0
}

func sys_statvfs1(_ l: Lwp, _ uap: sys_statvfs1_args) throws(Errno) -> SyscallResult {
    let ctx = PathContext(l)
    let v = try VFS.lookup(l, ctx, uap.path)
    try copyout(l, v.mount.statvfs(), to: uap.buf)
    return 0
}

func sys_fstatvfs1(_ l: Lwp, _ uap: sys_fstatvfs1_args) throws(Errno) -> SyscallResult {
    let (_, v) = try VFS.vnodeFile(l, uap.fd, notVnode: .EINVAL)
    try copyout(l, v.mount.statvfs(), to: uap.buf)
    return 0
}

func sys_getvfsstat(_ l: Lwp, _ uap: sys_getvfsstat_args) throws(Errno) -> SyscallResult {
    let mounts = try VFS.namespace.read { () throws(Errno) -> [Mount] in VFS.mounts }
    guard let buf = uap.buf else { return SyscallResult(mounts.count) }
    let room = Int(clamping: uap.bufsize) / NetBSDStatvfs.size
    var n = 0
    for m in mounts.prefix(room) {
        try copyout(l, m.statvfs(), to: buf + n * NetBSDStatvfs.size)
        n += 1
    }
    return SyscallResult(n)
}
