// Descriptor I/O system calls: read, write, their vector forms, and ioctl.

/// NetBSD's IOV_MAX and SSIZE_MAX.
let iovMax = 1024
let ssizeMax = UInt(Int.max)

/// The open file at `fd` in the caller's table.
@inline(__always)
func fileAt(_ l: Lwp, _ fd: Int32) throws(Errno) -> File {
    try l.proc.files.get(fd)
}

/// Run a transfer and report the bytes moved. As NetBSD does, an interrupted
/// or would-block transfer that moved something reports the partial count,
/// and so does one whose descriptor was closed under it (EBADF: NetBSD's
/// ERESTART from fd_close, which restarts only a transfer that moved nothing).
private func transfer(_ uio: Uio, _ body: (Uio) throws(Errno) -> Void) throws(Errno) -> SyscallResult {
    let requested = uio.residual
    do {
        try body(uio)
    } catch {
        let moved = requested - uio.residual
        guard moved > 0 && (error == .EINTR || error == .EAGAIN || error == .EBADF) else { throw error }
    }
    return SyscallResult(requested - uio.residual)
}

/// The user buffers of an iovec array (NetBSD's `struct iovec`, 16 bytes):
/// EINVAL for a count outside 0...IOV_MAX or a total past SSIZE_MAX.
func userSegments(_ l: Lwp, _ iovp: UnsafeRawPointer?, _ iovcnt: Int32) throws(Errno) -> [Uio.Segment] {
    guard iovcnt >= 0 && Int(iovcnt) <= iovMax else { throw .EINVAL }
    let raw = try copyin(l, from: iovp, count: Int(iovcnt) * 2, as: UInt.self)
    var segments: [Uio.Segment] = []
    segments.reserveCapacity(Int(iovcnt))
    var total: UInt = 0
    for i in 0..<Int(iovcnt) {
        let length = raw[2 * i + 1]
        let (sum, overflow) = total.addingReportingOverflow(length)
        guard !overflow && sum <= ssizeMax else { throw .EINVAL }
        total = sum
        segments.append(Uio.Segment(base: UnsafeMutableRawPointer(bitPattern: raw[2 * i]), count: Int(length)))
    }
    return segments
}

private func read(_ l: Lwp, _ fd: Int32, _ file: File, _ uio: Uio) throws(Errno) -> SyscallResult {
    guard file.access.canRead else { throw .EBADF }
    l.ioFd = fd
    defer { l.ioFd = -1 }
    return try transfer(uio) { (u) throws(Errno) in try file.ops.read(file, l, u) }
}

private func write(_ l: Lwp, _ fd: Int32, _ file: File, _ uio: Uio) throws(Errno) -> SyscallResult {
    guard file.access.canWrite else { throw .EBADF }
    l.ioFd = fd
    defer { l.ioFd = -1 }
    return try transfer(uio) { (u) throws(Errno) in try file.ops.write(file, l, u) }
}

func sys_read(_ l: Lwp, _ uap: sys_read_args) throws(Errno) -> SyscallResult {
    guard uap.nbyte <= ssizeMax else { throw .EINVAL }
    let file = try fileAt(l, uap.fd)
    return try read(l, uap.fd, file, Uio(base: uap.buf, count: Int(uap.nbyte), offset: file.offset,
                                 direction: .read, space: .user(l)))
}

func sys_write(_ l: Lwp, _ uap: sys_write_args) throws(Errno) -> SyscallResult {
    guard uap.nbyte <= ssizeMax else { throw .EINVAL }
    let file = try fileAt(l, uap.fd)
    return try write(l, uap.fd, file, Uio(base: UnsafeMutableRawPointer(mutating: uap.buf), count: Int(uap.nbyte),
                                  offset: file.offset, direction: .write, space: .user(l)))
}

func sys_readv(_ l: Lwp, _ uap: sys_readv_args) throws(Errno) -> SyscallResult {
    let file = try fileAt(l, uap.fd)
    return try read(l, uap.fd, file, Uio(segments: try userSegments(l, uap.iovp, uap.iovcnt), offset: file.offset,
                                 direction: .read, space: .user(l)))
}

func sys_writev(_ l: Lwp, _ uap: sys_writev_args) throws(Errno) -> SyscallResult {
    let file = try fileAt(l, uap.fd)
    return try write(l, uap.fd, file, Uio(segments: try userSegments(l, uap.iovp, uap.iovcnt), offset: file.offset,
                                  direction: .write, space: .user(l)))
}

/// ioctl command encoding (NetBSD's sys/ioccom.h).
enum IoctlCommand {
    static let void: UInt = 0x2000_0000
    static let out: UInt = 0x4000_0000
    static let `in`: UInt = 0x8000_0000
    static let parameterMask: UInt = 0x1fff

    static func size(_ command: UInt) -> Int { Int((command >> 16) & parameterMask) }

    static let fioclex: UInt = 0x2000_6601    // _IO('f', 1)
    static let fionclex: UInt = 0x2000_6602   // _IO('f', 2)
    static let fioasync: UInt = 0x8004_667d   // _IOW('f', 125, int)
    static let fionbio: UInt = 0x8004_667e    // _IOW('f', 126, int)
}

/// `ioctl(fd, command, data)`: the generic commands (close-on-exec,
/// non-blocking, async) here; the rest go to the file, with the argument
/// copied in and out as the command's encoding says, as NetBSD does.
func sys_ioctl(_ l: Lwp, _ uap: sys_ioctl_args) throws(Errno) -> SyscallResult {
    let command = UInt(uap.com)
    let table = l.proc.files
    let file = try table.get(uap.fd)
    guard file.access.canRead || file.access.canWrite else { throw .EBADF }
    switch command {
    case IoctlCommand.fioclex:
        try table.setCloseOnExec(uap.fd, true)
        return 0
    case IoctlCommand.fionclex:
        try table.setCloseOnExec(uap.fd, false)
        return 0
    default:
        break
    }
    let size = IoctlCommand.size(command)
    let inOut = command & (IoctlCommand.in | IoctlCommand.out)
    if inOut == 0 || size == 0 {
        // _IO commands pass the argument itself, not a pointer to it.
        if command == IoctlCommand.fionbio || command == IoctlCommand.fioasync { throw .EFAULT }
        try file.ops.ioctl(file, l, command, uap.data)
        return 0
    }
    return try withUnsafeTemporaryAllocation(byteCount: size, alignment: 16) { (buffer) throws(Errno) -> SyscallResult in
        let kernel = buffer.baseAddress.unsafelyUnwrapped
        if command & IoctlCommand.in != 0 {
            try copyin(l, from: uap.data, into: kernel, count: size)
        } else {
            kernel.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        }
        // FIONBIO and FIOASYNC also set the file's flag, if the file accepts them.
        try file.ops.ioctl(file, l, command, kernel)
        let flag: File.Flags? = command == IoctlCommand.fionbio ? .nonblock
            : command == IoctlCommand.fioasync ? .async : nil
        if let flag {
            if kernel.load(as: Int32.self) != 0 { file.flags.insert(flag) } else { file.flags.remove(flag) }
        }
        if command & IoctlCommand.out != 0 {
            try copyout(l, from: kernel, to: uap.data, count: size)
        }
        return 0
    }
}
