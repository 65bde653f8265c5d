@preconcurrency import CRump
import Glibc

/// Where a process's "user" memory is: in this host process, or (for remote
/// clients) behind a connection. Every copy between kernel and caller goes
/// through here, so a system call never cares which one it serves.
enum AddressSpace: @unchecked Sendable {
    /// The caller's pointers are addresses in this process.
    case local
    /// The caller's pointers are addresses in a remote client, reached
    /// through its sysproxy connection (Remote/); nil until a forked
    /// process's client connects.
    case remote(UnsafeMutableRawPointer?)
}

/// The result of a remote copy hook: 0 or a host errno.
@inline(__always)
private func remoteResult(_ error: Int32) throws(Errno) {
    if error != 0 { throw Errno(host: error) }
}

/// Whether a caller-supplied address range can be a valid local address: not
/// NULL or in the first page, not past the end of the user half of the address
/// space, and not wrapping. Catches NULL and garbage pointers with EFAULT; a
/// well-formed pointer to unmapped memory is the caller's bug, as in any libc.
@inline(__always)
func checkUserRange(_ address: UnsafeRawPointer?, _ count: Int) throws(Errno) {
    guard let address else { throw .EFAULT }
    let start = UInt(bitPattern: address)
    let (end, overflow) = start.addingReportingOverflow(UInt(count))
    if start < 4096 || overflow || end > 0x0000_8000_0000_0000 { throw .EFAULT }
}

/// Copy `count` bytes from the caller's memory into kernel memory.
func copyin(_ l: Lwp, from user: UnsafeRawPointer?, into kernel: UnsafeMutableRawPointer, count: Int) throws(Errno) {
    guard count > 0 else { return }
    switch l.proc.addressSpace {
    case .local:
        try checkUserRange(user, count)
        kernel.copyMemory(from: user.unsafelyUnwrapped, byteCount: count)
    case .remote(let connection):
        try checkUserRange(user, count)
        try remoteResult(rumpc_sp_copyin(connection, user, kernel, count))
    }
}

/// Copy `count` bytes from kernel memory out to the caller's memory.
func copyout(_ l: Lwp, from kernel: UnsafeRawPointer, to user: UnsafeMutableRawPointer?, count: Int) throws(Errno) {
    guard count > 0 else { return }
    switch l.proc.addressSpace {
    case .local:
        try checkUserRange(user, count)
        user.unsafelyUnwrapped.copyMemory(from: kernel, byteCount: count)
    case .remote(let connection):
        try checkUserRange(user, count)
        try remoteResult(rumpc_sp_copyout(connection, kernel, user, count))
    }
}

/// Copy a value of a trivial type out to the caller.
func copyout<T: BitwiseCopyable>(_ l: Lwp, _ value: T, to user: UnsafeMutableRawPointer?) throws(Errno) {
    var value = value
    try withUnsafeBytes(of: &value) { (bytes) throws(Errno) in
        try copyout(l, from: bytes.baseAddress.unsafelyUnwrapped, to: user, count: bytes.count)
    }
}

/// Copy a value of a trivial type in from the caller.
func copyin<T: BitwiseCopyable>(_ l: Lwp, from user: UnsafeRawPointer?, as _: T.Type = T.self) throws(Errno) -> T {
    try withUnsafeTemporaryAllocation(of: T.self, capacity: 1) { (buffer) throws(Errno) -> T in
        let raw = UnsafeMutableRawPointer(buffer.baseAddress.unsafelyUnwrapped)
        try copyin(l, from: user, into: raw, count: MemoryLayout<T>.size)
        return raw.loadUnaligned(as: T.self)
    }
}

/// Copy an array's elements out to the caller (`prefix` of them, if given).
func copyout<T: BitwiseCopyable>(_ l: Lwp, contentsOf array: [T], prefix: Int? = nil,
                                 to user: UnsafeMutableRawPointer?) throws(Errno) {
    let count = (prefix ?? array.count) * MemoryLayout<T>.stride
    guard count > 0 else { return }
    let failure = array.withUnsafeBytes { bytes -> Errno? in
        do throws(Errno) {
            try copyout(l, from: bytes.baseAddress.unsafelyUnwrapped, to: user, count: count)
            return nil
        } catch {
            return error
        }
    }
    if let failure { throw failure }
}

/// Copy `count` elements of a trivial type in from the caller.
func copyin<T: BitwiseCopyable>(_ l: Lwp, from user: UnsafeRawPointer?, count: Int,
                                as _: T.Type = T.self) throws(Errno) -> [T] {
    guard count > 0 else { return [] }
    var failure: Errno?
    let array = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        do throws(Errno) {
            try copyin(l, from: user, into: UnsafeMutableRawPointer(buffer.baseAddress.unsafelyUnwrapped),
                       count: count * MemoryLayout<T>.stride)
            initialized = count
        } catch {
            failure = error
            initialized = 0
        }
    }
    if let failure { throw failure }
    return array
}

/// Copy a NUL-terminated string of at most `maxLength` bytes (NUL included) in
/// from the caller: ENAMETOOLONG if no NUL comes within that.
func copyinstr(_ l: Lwp, from user: UnsafeRawPointer?, maxLength: Int) throws(Errno) -> [UInt8] {
    switch l.proc.addressSpace {
    case .local:
        guard let user else { throw .EFAULT }
        try checkUserRange(user, 1)
        let bytes = user.assumingMemoryBound(to: UInt8.self)
        let length = strnlen(user.assumingMemoryBound(to: CChar.self), maxLength)
        guard length < maxLength else { throw .ENAMETOOLONG }
        return Array(UnsafeBufferPointer(start: bytes, count: length))
    case .remote(let connection):
        try checkUserRange(user, 1)
        var failure: Int32 = 0
        let string = [UInt8](unsafeUninitializedCapacity: maxLength) { buffer, initialized in
            var length = 0
            failure = rumpc_sp_copyinstr(connection, user, buffer.baseAddress, maxLength, &length)
            // `length` counts the NUL, which the string leaves out.
            initialized = failure == 0 ? length - 1 : 0
        }
        try remoteResult(failure)
        return string
    }
}

/// Copy a string out to the caller with its NUL, into a buffer of `capacity`
/// bytes: ENAMETOOLONG (after copying what fits) if it does not fit.
func copyoutstr(_ l: Lwp, _ string: [UInt8], to user: UnsafeMutableRawPointer?, capacity: Int) throws(Errno) {
    let withNul = string + [0]
    let n = min(withNul.count, capacity)
    try copyout(l, contentsOf: withNul, prefix: n, to: user)
    if n < withNul.count { throw .ENAMETOOLONG }
}
