import Synchronization

// EVFILT_VNODE's hook in the file system (NetBSD's VN_KNOTE): the vnodes
// that knotes watch, and the hints the file system posts to them.

/// The knotes attached to vnodes, by vnode. A vnode counts its watchers
/// (`Vnode.kqWatchers`), so that a vnode nobody watches pays one load per
/// change and nothing else.
enum VnodeKnotes {
    private static let watchers = Mutex<[ObjectIdentifier: [Knote]]>([:])

    static func add(_ kn: Knote, _ v: Vnode) {
        watchers.withLock { $0[ObjectIdentifier(v), default: []].append(kn) }
        v.kqWatchers.wrappingAdd(1, ordering: .relaxed)
    }

    static func remove(_ kn: Knote) {
        guard let v = kn.vnode else { return }
        let removed = watchers.withLock { table -> Bool in
            let key = ObjectIdentifier(v)
            guard var list = table[key], let i = list.firstIndex(where: { $0 === kn }) else { return false }
            list.remove(at: i)
            table[key] = list.isEmpty ? nil : list
            return true
        }
        if removed { v.kqWatchers.wrappingSubtract(1, ordering: .relaxed) }
    }

    static func post(_ v: Vnode, _ hint: UInt32) {
        watchers.withLock { table in
            guard let list = table[ObjectIdentifier(v)] else { return }
            for kn in list { kn.kq?.post(kn, hint) }
        }
    }
}

extension Vnode {
    /// Tell the knotes watching this vnode what happened (NOTE_* bits).
    @inline(__always)
    func knote(_ hint: UInt32) {
        if kqWatchers.load(ordering: .relaxed) > 0 { VnodeKnotes.post(self, hint) }
    }
}
