// Descriptor passing (SCM_RIGHTS): NetBSD's unp_internalize and
// unp_externalize. A sender's control buffer names descriptors of its own
// table; the files travel with the data; the receiver gets new descriptors
// in its own table.
//
// NetBSD's amd64 `struct cmsghdr` is { socklen_t cmsg_len; int cmsg_level;
// int cmsg_type; } (12 bytes), the data aligned to 8 (__CMSG_ALIGN).

enum SocketRights {
    static let headerSize = 12
    @inline(__always) static func align(_ n: Int) -> Int { (n + 7) & ~7 }
    static var dataOffset: Int { align(headerSize) }

    /// The files a control buffer passes: EINVAL for a malformed header or a
    /// level/type other than SOL_SOCKET/SCM_RIGHTS (NetBSD: EINVAL), EBADF
    /// for a descriptor that is not open.
    static func internalize(_ l: Lwp, _ control: UnsafeRawPointer?, _ length: UInt32) throws(Errno) -> [File] {
        guard length > 0 else { return [] }
        guard length >= UInt32(headerSize), length <= 65536 else { throw .EINVAL }
        let raw = try copyin(l, from: control, count: Int(length), as: UInt8.self)
        var files: [File] = []
        var off = 0
        while off + headerSize <= raw.count {
            let len = Int(loadU32(raw, off))
            let level = Int32(bitPattern: loadU32(raw, off + 4))
            let type = Int32(bitPattern: loadU32(raw, off + 8))
            guard len >= headerSize, off + len <= raw.count else { throw .EINVAL }
            guard level == SocketConst.solSocket, type == SocketConst.scmRights else { throw .EINVAL }
            let start = off + dataOffset
            let n = max(0, (off + len - start) / 4)
            for i in 0..<n {
                let fd = Int32(bitPattern: loadU32(raw, start + 4 * i))
                files.append(try l.proc.files.get(fd))
            }
            off += align(len)
        }
        return files
    }

    private static func loadU32(_ raw: [UInt8], _ at: Int) -> UInt32 {
        UInt32(raw[at]) | UInt32(raw[at + 1]) << 8 | UInt32(raw[at + 2]) << 16 | UInt32(raw[at + 3]) << 24
    }

    /// Install received files in the caller's table and write their
    /// SCM_RIGHTS message to `control` (capacity `space`). Returns the
    /// control length used and whether it was truncated (MSG_CTRUNC: the
    /// files that do not fit are closed, as NetBSD's unp_externalize does).
    static func externalize(_ l: Lwp, _ files: [File], cloexec: Bool,
                            to control: UnsafeMutableRawPointer?, space: Int) throws(Errno) -> (Int, Bool) {
        guard !files.isEmpty else { return (0, false) }
        let fit = control == nil ? 0 : max(0, (space - dataOffset) / 4)
        let n = min(files.count, fit)
        guard n > 0 else { return (0, true) }
        var fds: [Int32] = []
        let limit = descriptorLimit(l)
        for f in files.prefix(n) {
            do {
                fds.append(try l.proc.files.allocate(f, limit: limit, closeOnExec: cloexec))
            } catch {
                for fd in fds { try? l.proc.files.close(fd) }
                throw error
            }
        }
        let len = dataOffset + 4 * n
        var out = [UInt8](repeating: 0, count: len)
        store(&out, 0, UInt32(len))
        store(&out, 4, UInt32(bitPattern: SocketConst.solSocket))
        store(&out, 8, UInt32(bitPattern: SocketConst.scmRights))
        for (i, fd) in fds.enumerated() { store(&out, dataOffset + 4 * i, UInt32(bitPattern: fd)) }
        try copyout(l, contentsOf: out, to: control)
        return (len, n < files.count)
    }

    private static func store(_ out: inout [UInt8], _ at: Int, _ v: UInt32) {
        for i in 0..<4 { out[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
    }
}
