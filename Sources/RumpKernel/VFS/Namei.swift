/// Path name lookup (NetBSD's namei), with the name space lock held by the
/// caller: read for `.lookup`, write for the operations that change it.
enum NameiOp {
    /// Find an existing node.
    case lookup
    /// Find the directory for a new name (and the node, if the name exists).
    case create
    /// Find a node and its directory, to remove or rename it.
    case delete
}

struct NameiResult {
    /// The directory holding the last component (nil when the path named a
    /// directory with no last component, as "/" does).
    var dir: Vnode?
    /// The node, or nil if the last component does not exist (create).
    var vnode: Vnode?
    /// The last component (create and delete only).
    var name: [UInt8]
    /// The path ended in one or more slashes.
    var trailingSlash: Bool

    var isDotOrDotDot: Bool {
        (name.count == 1 && name[0] == VFS.dot) || (name.count == 2 && name[0] == VFS.dot && name[1] == VFS.dot)
    }
}

extension VFS {
    /// The node `v` leads to: the root of what is mounted on it, if anything.
    @inline(__always)
    static func crossMounts(_ v: Vnode) -> Vnode {
        var v = v
        while let m = v.mountedHere { v = m.root }
        return v
    }

    /// ".." of `dir`, staying at the process's root and leaving mounts by the
    /// directory they cover.
    static func parent(of dir: Vnode, root: Vnode) -> Vnode {
        var v = dir
        while true {
            if v === root { return v }
            if v.isMountRoot, let covered = v.mount.covered {
                v = covered
                continue
            }
            return v.parent ?? v
        }
    }

    /// Look `path` up from `start` (relative paths) or the process's root.
    /// `follow`: follow a symbolic link in the last component.
    static func namei(_ ctx: PathContext, _ path: [UInt8], start: Vnode, op: NameiOp,
                      follow: Bool) throws(Errno) -> NameiResult {
        if path.isEmpty { throw .ENOENT }
        var p = path
        var i = 0
        var cur = p[0] == slash ? ctx.root : start
        var hops = 0
        while true {
            while i < p.count && p[i] == slash { i += 1 }
            if i == p.count {
                // The path names a directory itself ("/", "a/..").
                return NameiResult(dir: nil, vnode: cur, name: [], trailingSlash: true)
            }
            let begin = i
            while i < p.count && p[i] != slash { i += 1 }
            let component = p[begin..<i]
            if component.count > nameMax { throw .ENAMETOOLONG }
            var j = i
            while j < p.count && p[j] == slash { j += 1 }
            let isLast = j == p.count
            let trailing = isLast && j > i

            guard cur.type == .dir else { throw .ENOTDIR }
            try cur.checkAccess(.exec, ctx.cred)

            var next: Vnode?
            if component.count == 1 && component.first == dot {
                next = cur
            } else if component.count == 2 && component.first == dot && component.last == dot {
                next = parent(of: cur, root: ctx.root)
            } else {
                if cur === root && EtfsTable.active {
                    if let e = EtfsTable.lookup(p[begin...]) {
                        if e.hostDir != nil && op == .delete { throw .EBUSY }
                        return NameiResult(dir: cur, vnode: e, name: Array(component), trailingSlash: false)
                    }
                    if let (e, end) = EtfsTable.prefixMatch(p, from: begin) {
                        // Under a mapped host directory (HostDirectories.swift).
                        cur = e
                        i = end
                        continue
                    }
                }
                if let hd = cur.hostDir {
                    next = try hd.lookup(component, in: cur)
                    if isLast && op != .lookup {
                        guard let n = next else { throw .ENOENT }
                        if op == .delete { throw .EOPNOTSUPP }
                        // No directory: nothing can be entered or replaced here.
                        return NameiResult(dir: nil, vnode: n, name: Array(component), trailingSlash: trailing)
                    }
                } else {
                    next = cur.directory.unsafelyUnwrapped.lookup(component)
                }
            }

            if let n = next, n.type == .lnk, !isLast || follow || trailing {
                hops += 1
                if hops > maxSymlinks { throw .ELOOP }
                let target = n.target
                if target.isEmpty { throw .ENOENT }
                var expanded = target
                expanded.append(contentsOf: p[i...])
                if expanded.count >= maxPathLength { throw .ENAMETOOLONG }
                if target[0] == slash { cur = ctx.root }
                p = expanded
                i = 0
                continue
            }

            if isLast {
                if op != .lookup {
                    return NameiResult(dir: cur, vnode: next.map(crossMounts), name: Array(component),
                                       trailingSlash: trailing)
                }
                guard let n = next else { throw .ENOENT }
                let v = crossMounts(n)
                if trailing && v.type != .dir { throw .ENOTDIR }
                return NameiResult(dir: cur, vnode: v, name: [], trailingSlash: trailing)
            }
            guard let n = next else { throw .ENOENT }
            cur = crossMounts(n)
            i = j
        }
    }

    /// The directory a relative path of an *at call starts from: the
    /// current directory for AT_FDCWD (-100), else the directory open at `fd`.
    static func startDirectory(_ l: Lwp, _ ctx: PathContext, _ fd: Int32, _ path: [UInt8]) throws(Errno) -> Vnode {
        if fd == atFdcwd || (!path.isEmpty && path[0] == slash) { return ctx.cwd }
        let file = try l.proc.files.get(fd)
        guard let vf = file.ops as? VnodeFile else { throw .ENOTDIR }
        guard vf.vnode.type == .dir else { throw .ENOTDIR }
        return vf.vnode
    }

    static let atFdcwd: Int32 = -100
    static let atEaccess: Int32 = 0x100
    static let atSymlinkNofollow: Int32 = 0x200
    static let atSymlinkFollow: Int32 = 0x400
    static let atRemovedir: Int32 = 0x800

    /// Copy a path in (ENAMETOOLONG past MAXPATHLEN, EFAULT for a bad pointer).
    @inline(__always)
    static func copyPath(_ l: Lwp, _ user: UnsafeRawPointer?) throws(Errno) -> [UInt8] {
        try copyinstr(l, from: user, maxLength: maxPathLength)
    }

    /// Look up an existing node for a path call (name space read-locked).
    static func lookup(_ l: Lwp, _ ctx: PathContext, at fd: Int32 = atFdcwd, _ user: UnsafeRawPointer?,
                       follow: Bool = true) throws(Errno) -> Vnode {
        let path = try copyPath(l, user)
        let start = try startDirectory(l, ctx, fd, path)
        return try namespace.read { () throws(Errno) -> Vnode in
            try namei(ctx, path, start: start, op: .lookup, follow: follow).vnode.unsafelyUnwrapped
        }
    }
}
