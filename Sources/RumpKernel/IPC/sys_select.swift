// select and pselect (NetBSD's __select50 and __pselect50).
//
// An fd_set is an array of 32-bit words (NetBSD's fd_mask), descriptor n
// in word n / 32, bit n % 32: byte for byte the layout Linux's fd_set has
// on a little-endian machine. Only the words covering `nd` descriptors are
// read and written.

/// NetBSD's selcommon: a negative `nd` is EINVAL; descriptors at or past
/// the table's size are ignored. A descriptor in a set that is not open is
/// EBADF. Returns the number of bits set across the three result sets,
/// which replace the sets given (all zero on a timeout).
private func selectCommon(_ l: Lwp, _ nd: Int32, _ sets: [UnsafeMutableRawPointer?],
                          timeout: NetBSDTimespec?) throws(Errno) -> SyscallResult {
    guard nd >= 0 else { throw .EINVAL }
    let table = l.proc.files
    let limit = min(Int(nd), table.netbsdTableSize)
    let words = (limit + 31) / 32
    let bytes = words * 4
    // The three sets given, then the three found.
    let bits = UnsafeMutablePointer<UInt32>.allocate(capacity: max(words * 6, 1))
    defer { bits.deallocate() }
    bits.initialize(repeating: 0, count: max(words * 6, 1))
    let input = bits, output = bits + words * 3
    for (k, user) in sets.enumerated() where user != nil {
        try copyin(l, from: user, into: UnsafeMutableRawPointer(input + k * words), count: bytes)
    }
    let deadline = try pollDeadline(timeout)
    let masks = [selectEvents.0, selectEvents.1, selectEvents.2]
    let ready = try pollWait(l, deadline: deadline) { (waiter) throws(Errno) -> Int in
        var ready = 0
        for k in 0..<3 {
            for w in 0..<words {
                var pending = input[k * words + w]
                var found: UInt32 = 0
                while pending != 0 {
                    let j = pending.trailingZeroBitCount
                    pending &= pending - 1
                    let fd = w * 32 + j
                    if fd >= limit { break }
                    guard let file = try? table.get(Int32(fd)) else { throw .EBADF }
                    if file.ops.poll(file, masks[k], waiter) != 0 {
                        found |= 1 << UInt32(j)
                        ready += 1
                    }
                }
                output[k * words + w] = found
            }
        }
        return ready
    }
    for (k, user) in sets.enumerated() where user != nil {
        try copyout(l, from: UnsafeRawPointer(output + k * words), to: user, count: bytes)
    }
    return SyscallResult(ready)
}

/// `select(nd, in, ou, ex, tv)`: NetBSD's 16-byte `struct timeval` timeout
/// (NULL: for ever); microseconds must lie in 0 ..< 1 000 000.
func sys_select(_ l: Lwp, _ uap: sys_select_args) throws(Errno) -> SyscallResult {
    var timeout: NetBSDTimespec?
    if let tv = uap.tv {
        let t = try copyin(l, from: tv, as: NetBSDTimeval.self)
        var ts = NetBSDTimespec()
        ts.sec = t.sec
        ts.nsec = Int64(t.usec) * 1000
        timeout = ts
    }
    return try selectCommon(l, uap.nd, [uap.in, uap.ou, uap.ex], timeout: timeout)
}

/// `pselect(nd, in, ou, ex, ts, mask)`: a timespec timeout, and while it
/// waits, `mask` (if given) as the signal mask.
func sys_pselect(_ l: Lwp, _ uap: sys_pselect_args) throws(Errno) -> SyscallResult {
    let timeout = try uap.ts.map { (p) throws(Errno) in try copyin(l, from: p, as: NetBSDTimespec.self) }
    let mask = try uap.mask.map { (p) throws(Errno) in try copyin(l, from: p, as: NetBSDSigset.self).low }
    return try l.withSleepMask(mask) { () throws(Errno) in
        try selectCommon(l, uap.nd, [uap.in, uap.ou, uap.ex], timeout: timeout)
    }
}
