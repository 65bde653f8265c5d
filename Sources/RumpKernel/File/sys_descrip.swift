// Descriptor table system calls: close, dup, dup2, dup3, fcntl, fstat,
// fpathconf.

/// The caller's RLIMIT_NOFILE soft limit: descriptors must stay below it.
func descriptorLimit(_ l: Lwp) -> Int {
    let limit = l.proc.state.withLock { $0.limits[.nofile].current }
    return Int(min(limit, UInt64(Int32.max)))
}

func sys_close(_ l: Lwp, _ uap: sys_close_args) throws(Errno) -> SyscallResult {
    try l.proc.files.close(uap.fd)
    return 0
}

func sys_dup(_ l: Lwp, _ uap: sys_dup_args) throws(Errno) -> SyscallResult {
    let table = l.proc.files
    let file = try table.get(uap.fd)
    return SyscallResult(try table.allocate(file, limit: descriptorLimit(l)))
}

/// dup2 and dup3 (NetBSD's `dodup`): `to` becomes a second descriptor for
/// `from`'s file, closing what `to` held. A `to` outside the descriptor limit
/// is EBADF; `from == to` does nothing. dup3's flags may be O_CLOEXEC (for the
/// new descriptor), O_NONBLOCK and O_NOSIGPIPE (for the file); others EINVAL.
private func duplicate(_ l: Lwp, from: Int32, to: Int32, flags: File.Flags) throws(Errno) -> SyscallResult {
    let table = l.proc.files
    let file = try table.get(from)
    guard to >= 0 && Int(to) < descriptorLimit(l) else { throw .EBADF }
    if from == to { return SyscallResult(to) }
    guard File.Flags([.cloexec, .nonblock, .nosigpipe]).isSuperset(of: flags) else { throw .EINVAL }
    file.flags.formUnion(flags.intersection([.nonblock, .nosigpipe]))
    table.install(file, at: to, closeOnExec: flags.contains(.cloexec))
    return SyscallResult(to)
}

func sys_dup2(_ l: Lwp, _ uap: sys_dup2_args) throws(Errno) -> SyscallResult {
    try duplicate(l, from: uap.from, to: uap.to, flags: [])
}

func sys_dup3(_ l: Lwp, _ uap: sys_dup3_args) throws(Errno) -> SyscallResult {
    try duplicate(l, from: uap.from, to: uap.to, flags: File.Flags(rawValue: uap.flags))
}

/// NetBSD's fcntl commands.
enum Fcntl {
    static let dupfd: Int32 = 0
    static let getfd: Int32 = 1
    static let setfd: Int32 = 2
    static let getfl: Int32 = 3
    static let setfl: Int32 = 4
    static let getown: Int32 = 5
    static let setown: Int32 = 6
    static let getlk: Int32 = 7
    static let setlk: Int32 = 8
    static let setlkw: Int32 = 9
    static let closem: Int32 = 10
    static let maxfd: Int32 = 11
    static let dupfdCloexec: Int32 = 12
    static let getnosigpipe: Int32 = 13
    static let setnosigpipe: Int32 = 14

    /// FD_CLOEXEC.
    static let closeOnExecBit = 1
}

func sys_fcntl(_ l: Lwp, _ uap: sys_fcntl_args) throws(Errno) -> SyscallResult {
    let table = l.proc.files
    let fd = uap.fd, cmd = uap.cmd
    // The argument is an int for every command handled here.
    let arg = Int32(truncatingIfNeeded: Int(bitPattern: uap.arg))
    switch cmd {
    case Fcntl.closem:
        guard fd >= 0 else { throw .EBADF }
        table.closeFrom(fd)
        return 0
    case Fcntl.maxfd:
        return SyscallResult(table.highest)
    default:
        break
    }
    let file = try table.get(fd)
    switch cmd {
    case Fcntl.dupfd, Fcntl.dupfdCloexec:
        let limit = descriptorLimit(l)
        guard arg >= 0 && Int(arg) < limit else { throw .EINVAL }
        return SyscallResult(try table.allocate(file, minimum: arg, limit: limit,
                                                closeOnExec: cmd == Fcntl.dupfdCloexec))
    case Fcntl.getfd:
        return SyscallResult(try table.closeOnExec(fd) ? Fcntl.closeOnExecBit : 0)
    case Fcntl.setfd:
        try table.setCloseOnExec(fd, Int(arg) & Fcntl.closeOnExecBit != 0)
        return 0
    case Fcntl.getfl:
        return SyscallResult(file.access.rawValue | file.flags.rawValue)
    case Fcntl.setfl:
        // As NetBSD: a change of O_NONBLOCK or O_ASYNC is passed to the file's
        // ioctl first; one the file refuses (ENOTTY) leaves the flags as they were.
        let requested = File.Flags(rawValue: arg).intersection(.settable)
        let changed = requested.symmetricDifference(file.flags.intersection(.settable))
        if changed.contains(.nonblock) {
            try tellFile(file, l, IoctlCommand.fionbio, requested.contains(.nonblock))
        }
        if changed.contains(.async) {
            do throws(Errno) {
                try tellFile(file, l, IoctlCommand.fioasync, requested.contains(.async))
            } catch {
                if changed.contains(.nonblock) {
                    try? tellFile(file, l, IoctlCommand.fionbio, file.flags.contains(.nonblock))
                }
                throw error
            }
        }
        file.flags = file.flags.subtracting(.settable).union(requested)
        return 0
    case Fcntl.getnosigpipe:
        return SyscallResult(file.flags.contains(.nosigpipe) ? 1 : 0)
    case Fcntl.setnosigpipe:
        if arg != 0 { file.flags.insert(.nosigpipe) } else { file.flags.remove(.nosigpipe) }
        return 0
    case Fcntl.getlk, Fcntl.setlk, Fcntl.setlkw:
        // Record locks exist only on vnodes (the VFS faction).
        throw .EINVAL
    default:
        throw .EINVAL
    }
}

func sys_fstat(_ l: Lwp, _ uap: sys_fstat_args) throws(Errno) -> SyscallResult {
    let file = try fileAt(l, uap.fd)
    try copyout(l, try file.ops.stat(file, l), to: uap.sb)
    return 0
}

func sys_fpathconf(_ l: Lwp, _ uap: sys_fpathconf_args) throws(Errno) -> SyscallResult {
    let file = try fileAt(l, uap.fd)
    return SyscallResult(try file.ops.pathconf(file, uap.name))
}

/// Pass a FIONBIO/FIOASYNC setting to the file's ioctl.
private func tellFile(_ file: File, _ l: Lwp, _ command: UInt, _ on: Bool) throws(Errno) {
    var value: Int32 = on ? 1 : 0
    try withUnsafeMutableBytes(of: &value) { (b) throws(Errno) in
        try file.ops.ioctl(file, l, command, b.baseAddress)
    }
}
