@preconcurrency import CRump
import Glibc

/// NetBSD's modctl operations.
private enum ModctlOp: Int32 {
    case load = 0, unload, stat, exists
}

/// NetBSD's `struct modctl_load`.
private struct ModctlLoad: BitwiseCopyable {
    var filename: UnsafeRawPointer?
    var flags: Int32
    var pad: Int32
    var props: UnsafeRawPointer?
    var propslen: Int
}

/// NetBSD's modstat_t: MAXMODNAME (32) name, MAXMODDEPS (10) required names.
private let maxModName = 32
private let maxModDeps = 10
private let modstatSize = 392

private func modstat(_ m: Modules.Module) -> [UInt8] {
    var record = [UInt8](repeating: 0, count: modstatSize)
    for (i, b) in m.name.utf8.prefix(maxModName - 1).enumerated() { record[i] = b }
    let required = m.required.joined(separator: ",").utf8.prefix(maxModName * maxModDeps - 1)
    for (i, b) in required.enumerated() { record[maxModName + i] = b }
    func put32(_ value: Int32, at offset: Int) {
        withUnsafeBytes(of: value) { for (i, b) in $0.enumerated() { record[offset + i] = b } }
    }
    let base = maxModName * (maxModDeps + 1)  // 352: ms_addr
    withUnsafeBytes(of: UInt64(UInt(bitPattern: m.info)).littleEndian) {
        for (i, b) in $0.enumerated() { record[base + i] = b }
    }
    put32(m.source.rawValue, at: base + 8)
    put32(m.moduleClass.rawValue, at: base + 12)
    put32(0, at: base + 16)                                  // ms_size
    put32(Int32(Modules.dependents(of: m.name)), at: base + 20)  // ms_refcnt
    return record
}

/// `modctl(cmd, arg)`: MODCTL_LOAD (root) a module by name, or by the path of a
/// shared object to dlopen; MODCTL_UNLOAD (root) by name; MODCTL_STAT the
/// loaded modules into an iovec; MODCTL_EXISTS.
func sys_modctl(_ l: Lwp, _ uap: sys_modctl_args) throws(Errno) -> SyscallResult {
    guard let op = ModctlOp(rawValue: uap.cmd) else { throw .EINVAL }
    switch op {
    case .load:
        guard l.proc.cred.isRoot else { throw .EPERM }
        let request = try copyin(l, from: uap.arg, as: ModctlLoad.self)
        let name = String(decoding: try copyinstr(l, from: request.filename, maxLength: 1024), as: UTF8.self)
        if name.contains("/") {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_GLOBAL) else { throw .ENOENT }
            let before = Modules.state.withLock { $0.order.count }
            Modules.collect(handle: handle, source: .filesys)
            let added = Modules.state.withLock { Array($0.order[before...]) }
            guard !added.isEmpty else { throw .ENOEXEC }
            for module in added { try Modules.load(module) }
        } else {
            try Modules.load(name)
        }
        return 0
    case .unload:
        guard l.proc.cred.isRoot else { throw .EPERM }
        let name = String(decoding: try copyinstr(l, from: uap.arg, maxLength: maxModName), as: UTF8.self)
        try Modules.unload(name)
        return 0
    case .stat:
        let iov = try copyin(l, from: uap.arg, as: (UnsafeMutableRawPointer?, Int).self)
        let loaded = Modules.state.withLock { s in s.order.compactMap { s.byName[$0] }.filter(\.loaded) }
        let bytes = loaded.flatMap(modstat)
        try copyout(l, contentsOf: bytes, prefix: min(bytes.count, max(iov.1, 0)), to: iov.0)
        try copyout(l, (iov.0, bytes.count), to: UnsafeMutableRawPointer(mutating: uap.arg))
        return 0
    case .exists:
        // 0: the default load policy, 1: the built-in one; both exist here.
        let which = Int(bitPattern: uap.arg)
        guard which == 0 || which == 1 else { throw .EINVAL }
        return 0
    }
}
