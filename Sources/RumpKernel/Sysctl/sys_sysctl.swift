/// NetBSD's CTL_MAXNAME: the most components a MIB name may have.
let sysctlMaxName = 12

/// `__sysctl(name, namelen, oldp, oldlenp, newp, newlen)`: read a value into
/// `oldp` (at most `*oldlenp` bytes; `*oldlenp` becomes the full size, and a
/// short buffer gets what fits and ENOMEM), then, if `newp` is given, set it.
/// Writing needs a writable node (EPERM) and root (EPERM). Meta operations
/// (CTL_QUERY and friends) are not supported: EOPNOTSUPP.
func sys___sysctl(_ l: Lwp, _ uap: sys___sysctl_args) throws(Errno) -> SyscallResult {
    let count = Int(uap.namelen)
    guard count >= 1 && count <= sysctlMaxName else { throw .EINVAL }
    let name = try copyin(l, from: uap.name, count: count, as: Int32.self)
    let leaf: SysctlLeaf
    switch try lookUp(name) {
    case .leaf(let found): leaf = found
    case .handler(let handler, let rest): return try callHandler(l, handler, rest, uap)
    }

    // As NetBSD: without oldlenp the room is 0; a new value of length 0 is none.
    var error: Errno?
    if uap.oldlenp != nil || uap.oldv != nil {
        var room = 0
        if let oldlenp = uap.oldlenp { room = try copyin(l, from: oldlenp) }
        let value = leaf.read(l)
        if let oldp = uap.oldv {
            try copyout(l, contentsOf: value, prefix: min(max(room, 0), value.count), to: oldp)
            if room < value.count { error = .ENOMEM }
        }
        if let oldlenp = uap.oldlenp { try copyout(l, value.count, to: oldlenp) }
    }
    if let error { throw error }

    if let newv = uap.newv, uap.newlen != 0 {
        guard let write = leaf.write else { throw .EPERM }
        guard l.proc.cred.isRoot else { throw .EPERM }
        let size = Int(bitPattern: uap.newlen)
        switch leaf.kind {
        case .int: guard size == 4 else { throw .EINVAL }
        case .quad: guard size == 8 else { throw .EINVAL }
        case .string(let capacity): guard size >= 0 && size <= capacity else { throw .EINVAL }
        case .struct(let expected): guard size == expected else { throw .EINVAL }
        }
        let bytes = try copyin(l, from: newv, count: size, as: UInt8.self)
        // A string that fills its whole buffer must end in its NUL.
        if case .string(let capacity) = leaf.kind, size == capacity, bytes.last != 0 { throw .EINVAL }
        try write(l, bytes)
    }
    return 0
}

/// What `name` names. Meta requests (negative numbers: CTL_QUERY and
/// friends) are not supported: EOPNOTSUPP. The numbers below a handler node
/// are its own, negative or not (a uid, KERN_PROC_TTY's NODEV).
private func lookUp(_ name: [Int32]) throws(Errno) -> SysctlTarget {
    guard let i = name.firstIndex(where: { $0 < 0 }) else { return try SysctlTree.target(at: name) }
    guard let above = try? SysctlTree.target(at: Array(name[..<i])),
          case .handler(let handler, let rest) = above,
          !(rest.isEmpty && i == name.count - 1) else { throw .EOPNOTSUPP }
    return .handler(handler, rest: Array(name[(i - rest.count)...]))
}

/// A handler node: it copies out its own answer. As NetBSD's `sys___sysctl`,
/// the length it reports reaches `oldlenp` even when it fails, and a length
/// beyond the caller's buffer is ENOMEM. Handlers take no new value.
private func callHandler(_ l: Lwp, _ handler: SysctlHandler, _ rest: [Int32],
                         _ uap: sys___sysctl_args) throws(Errno) -> SyscallResult {
    var room = 0
    if let oldlenp = uap.oldlenp { room = Int(clamping: try copyin(l, from: oldlenp, as: UInt.self)) }
    var oldlen = room
    var failure: Errno?
    do {
        try handler.call(l, rest, uap.oldv, &oldlen)
    } catch {
        failure = error
    }
    if let oldlenp = uap.oldlenp { try copyout(l, oldlen, to: oldlenp) }
    if let failure { throw failure }
    if uap.oldv != nil && oldlen > room { throw .ENOMEM }
    return 0
}
