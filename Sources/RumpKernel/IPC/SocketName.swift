import Synchronization

/// Local socket names (NetBSD's unp_bind and unp_connect): a bound socket
/// has a VSOCK node in the rump file system, and the node leads back to the
/// socket (NetBSD's `v_socket`), kept here so the VFS needs no new field.
enum SocketNames {
    private struct Binding {
        weak var vnode: Vnode?
        weak var socket: Socket?
    }

    private static let bindings = Mutex<[ObjectIdentifier: Binding]>([:])

    /// offsetof(struct sockaddr_un, sun_path), and sizeof the structure.
    static let pathOffset = 2
    static let sockaddrSize = 106

    /// A `struct sockaddr_un` copied in from the caller (NetBSD's sockargs
    /// and makeun_sb): the address as kept (`namelen` bytes, sun_len set to
    /// `namelen`, a zero family taken from the old sa_len as sockargs does)
    /// and the path in it (up to the first NUL). EINVAL for a length
    /// outside 2...255, ENOENT for an empty path (namei of ""). The family
    /// is not checked, as in NetBSD's unp_bind and unp_connect.
    static func copyinAddress(_ l: Lwp, _ user: UnsafeRawPointer?,
                              _ namelen: UInt32) throws(Errno) -> (path: [UInt8], addr: [UInt8]) {
        guard namelen >= UInt32(pathOffset), namelen <= 255 else { throw .EINVAL }
        var addr = try copyin(l, from: user, count: Int(namelen), as: UInt8.self)
        if addr[1] == 0 && addr[0] < 35 { addr[1] = addr[0] }
        addr[0] = UInt8(namelen)
        var path = Array(addr[pathOffset...])
        if let nul = path.firstIndex(of: 0) { path.removeSubrange(nul...) }
        if path.isEmpty { throw .ENOENT }
        return (path, addr)
    }

    /// NetBSD's sun_noname: an unnamed socket's address (sun_len 2).
    static let noname: [UInt8] = [UInt8(pathOffset), UInt8(SocketConst.afLocal)]

    /// The address reported for a socket (NetBSD's unp_setaddr): the one
    /// it was bound with, or sun_noname.
    static func sockaddr(_ name: [UInt8]?) -> [UInt8] { name ?? noname }

    /// Copy a name out to a sockaddr buffer and its socklen_t length (NetBSD's
    /// copyout_sockname): at most *alen bytes, and *alen becomes the full length.
    static func copyout(_ l: Lwp, _ name: [UInt8]?, to asa: UnsafeMutableRawPointer?,
                        lengthAt alen: UnsafeMutableRawPointer?) throws(Errno) {
        guard let asa, let alen else { return }
        let have: UInt32 = try copyin(l, from: alen)
        let addr = sockaddr(name)
        let n = min(Int(have), addr.count)
        if n > 0 { try RumpKernel.copyout(l, contentsOf: addr, prefix: n, to: asa) }
        try RumpKernel.copyout(l, UInt32(addr.count), to: alen)
    }

    /// bind: make a VSOCK node at `path` (mode 0777 less the umask) and tie
    /// it to `socket`, which keeps `addr` as its name. EADDRINUSE if the name exists, ENOENT for a missing
    /// directory, EINVAL if the socket is already bound.
    static func bind(_ l: Lwp, _ socket: Socket, path: [UInt8], addr: [UInt8]) throws(Errno) {
        guard VFS.root != nil else { throw .ENOENT }
        socket.lock.enter()
        let bound = socket.name != nil
        socket.lock.exit()
        if bound { throw .EINVAL }
        let ctx = PathContext(l)
        let umask = l.proc.state.withLock { $0.umask }
        let v = try VFS.namespace.write { () throws(Errno) -> Vnode in
            let r = try VFS.namei(ctx, path, start: ctx.cwd, op: .create, follow: false)
            if r.vnode != nil { throw .EADDRINUSE }
            guard let dir = r.dir else { throw .EADDRINUSE }
            if r.trailingSlash { throw .ENOENT }
            try dir.checkAccess([.write, .exec], ctx.cred)
            if dir.nlink == 0 { throw .ENOENT }
            let v = Vnode(type: .sock, mount: dir.mount, mode: 0o777 & ~umask, uid: ctx.cred.euid, gid: dir.gid)
            RumpFS.link(v, into: dir, name: r.name)
            return v
        }
        bindings.withLock { $0[ObjectIdentifier(v)] = Binding(vnode: v, socket: socket) }
        socket.lock.enter()
        socket.name = addr
        socket.lock.exit()
    }

    /// Forget a closing socket's binding (the node stays, as on NetBSD).
    static func unbind(_ socket: Socket) {
        bindings.withLock { b in
            for (k, v) in b where v.socket === socket || v.socket == nil || v.vnode == nil {
                b[k] = nil
            }
        }
    }

    /// The socket bound at `path` (unp_connect): ENOENT if nothing is
    /// there, ENOTSOCK for a node that is not a socket, EACCES without write
    /// permission, ECONNREFUSED if no socket is bound to it, EPROTOTYPE for
    /// a socket of another type.
    static func lookup(_ l: Lwp, _ path: [UInt8], kind: Socket.Kind) throws(Errno) -> Socket {
        guard VFS.root != nil else { throw .ENOENT }
        let ctx = PathContext(l)
        let v = try VFS.namespace.read { () throws(Errno) -> Vnode in
            guard let v = try VFS.namei(ctx, path, start: ctx.cwd, op: .lookup, follow: true).vnode else {
                throw .ENOENT
            }
            return v
        }
        guard v.type == .sock else { throw .ENOTSOCK }
        try VFS.namespace.read { () throws(Errno) in try v.checkAccess(.write, ctx.cred) }
        let so = bindings.withLock { b -> Socket? in
            guard let e = b[ObjectIdentifier(v)], e.vnode === v else { return nil }
            return e.socket
        }
        guard let so, !so.isClosedNow else { throw .ECONNREFUSED }
        guard so.kind == kind else { throw .EPROTOTYPE }
        return so
    }
}
