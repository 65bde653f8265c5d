// Pipe system calls: pipe and pipe2.

/// NetBSD's pipe1: a new pipe whose read end takes the lowest free
/// descriptor and whose write end the next. `flags` (O_CLOEXEC, O_NONBLOCK,
/// O_NOSIGPIPE) become both files' status flags, O_CLOEXEC included, as
/// NetBSD stores it (so F_GETFL shows it); O_CLOEXEC also sets both
/// descriptors' close-on-exec bit.
private func makePipe(_ l: Lwp, flags: File.Flags) throws(Errno) -> (Int32, Int32) {
    guard File.Flags([.cloexec, .nonblock, .nosigpipe]).isSuperset(of: flags) else { throw .EINVAL }
    let cred = l.proc.cred
    let pipe = Pipe(uid: cred.euid, gid: cred.egid)
    let readEnd = File(access: .readOnly, flags: flags, ops: pipe)
    let writeEnd = File(access: .writeOnly, flags: flags, ops: pipe)
    let table = l.proc.files
    let limit = descriptorLimit(l)
    let cloexec = flags.contains(.cloexec)
    let rfd = try table.allocate(readEnd, limit: limit, closeOnExec: cloexec)
    let wfd: Int32
    do {
        wfd = try table.allocate(writeEnd, limit: limit, closeOnExec: cloexec)
    } catch {
        try? table.close(rfd)
        throw error
    }
    return (rfd, wfd)
}

/// `pipe()`: both descriptors come back in the two return registers.
func sys_pipe(_ l: Lwp) throws(Errno) -> SyscallResult {
    let (rfd, wfd) = try makePipe(l, flags: [])
    return SyscallResult(Int(rfd), Int(wfd))
}

/// `pipe2(fildes, flags)`: flags beyond O_CLOEXEC|O_NONBLOCK|O_NOSIGPIPE are
/// EINVAL; the two descriptors are copied out as two ints. Where NetBSD
/// leaves both open when that copy faults, they are closed again here.
func sys_pipe2(_ l: Lwp, _ uap: sys_pipe2_args) throws(Errno) -> SyscallResult {
    let (rfd, wfd) = try makePipe(l, flags: File.Flags(rawValue: uap.flags))
    do {
        try copyout(l, (rfd, wfd), to: uap.fildes)
    } catch {
        try? l.proc.files.close(rfd)
        try? l.proc.files.close(wfd)
        throw error
    }
    return 0
}
