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
    if name.contains(where: { $0 < 0 }) { throw .EOPNOTSUPP }
    let leaf = try SysctlTree.leaf(at: name)

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
