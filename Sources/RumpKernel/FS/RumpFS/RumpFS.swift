/// rumpfs: the in-memory root file system of a rump kernel. Its nodes are
/// vnodes with their data in memory (FileData, Directory); unlike the
/// reference's rumpfs it renames and grows files in place.
enum RumpFS {
    static let type = FileSystemType(name: "rumpfs", listsDots: false) { _, _, _ throws(Errno) in
        MountArgs()
    }

    /// Make a node at boot (no permission checks; root owns it).
    static func makeNode(_ type: VType, in dir: Vnode, name: String, mode: UInt32) -> Vnode {
        let v = Vnode(type: type, mount: dir.mount, mode: mode, uid: 0, gid: 0)
        link(v, into: dir, name: Array(name.utf8))
        return v
    }

    /// Enter a new node under `name` in `dir` (name space write lock held).
    static func link(_ v: Vnode, into dir: Vnode, name: [UInt8]) {
        dir.directory.unsafelyUnwrapped.insert(name, v)
        if v.type == .dir {
            v.parent = dir
            v.nameInParent = name
            dir.nlink += 1
        }
        dir.touchModified()
    }
}
