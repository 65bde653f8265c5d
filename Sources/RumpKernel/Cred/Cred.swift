/// A process's credentials (NetBSD's kauth_cred): real, effective and saved
/// user and group ids and the supplementary groups.
public struct Cred: Equatable, Sendable {
    public var uid: UInt32
    public var euid: UInt32
    public var svuid: UInt32
    public var gid: UInt32
    public var egid: UInt32
    public var svgid: UInt32
    public var groups: [UInt32]

    /// NetBSD's NGROUPS_MAX.
    public static let maxGroups = 16
    /// A `uid_t`/`gid_t` argument of -1: leave that id unchanged.
    static let unchanged = UInt32.max

    /// Root's credentials, which the kernel's first processes run with: all
    /// ids 0 and no supplementary groups, as NetBSD's proc0.
    public static let root = Cred(uid: 0, gid: 0, groups: [])

    /// Real, effective and saved ids all set to `uid` and `gid`.
    public init(uid: UInt32, gid: UInt32, groups: [UInt32]) {
        self.uid = uid
        self.euid = uid
        self.svuid = uid
        self.gid = gid
        self.egid = gid
        self.svgid = gid
        self.groups = groups
    }

    /// Whether the credentials carry root's privilege (effective uid 0).
    public var isRoot: Bool { euid == 0 }

    /// Whether `gid` is the effective group or one of the groups.
    public func isMember(of gid: UInt32) -> Bool {
        egid == gid || groups.contains(gid)
    }
}

/// Which current ids a new id may equal, for an unprivileged change
/// (NetBSD's `ID_{R,E,S}_EQ_{R,E,S}` rules of `do_setresuid`).
struct IdRules: OptionSet {
    let rawValue: UInt8
    static let equalsReal = IdRules(rawValue: 1)
    static let equalsEffective = IdRules(rawValue: 2)
    static let equalsSaved = IdRules(rawValue: 4)
}

extension Cred {
    /// Whether an unprivileged process may set one id to `new`, given the rules.
    private static func allowed(_ new: UInt32, real: UInt32, effective: UInt32,
                                saved: UInt32, rules: IdRules) -> Bool {
        (rules.contains(.equalsReal) && new == real)
            || (rules.contains(.equalsEffective) && new == effective)
            || (rules.contains(.equalsSaved) && new == saved)
    }

    /// The real, effective and saved ids of one kind (user or group).
    typealias IdFields = (real: WritableKeyPath<Cred, UInt32>, effective: WritableKeyPath<Cred, UInt32>,
                          saved: WritableKeyPath<Cred, UInt32>)
    static let userIds: IdFields = (\.uid, \.euid, \.svuid)
    static let groupIds: IdFields = (\.gid, \.egid, \.svgid)

    /// NetBSD's `do_setresuid`/`do_setresgid`: set the real, effective and
    /// saved ids of a kind (each may be `unchanged`). Root may set anything;
    /// others only ids the rules allow. Returns whether anything changed.
    mutating func setIds(_ ids: IdFields, real: UInt32, effective: UInt32, saved: UInt32,
                         rules r: IdRules, e: IdRules, s: IdRules) throws(Errno) -> Bool {
        if !isRoot {
            let cur = (self[keyPath: ids.real], self[keyPath: ids.effective], self[keyPath: ids.saved])
            for (new, rules) in [(real, r), (effective, e), (saved, s)] where new != Cred.unchanged {
                guard Cred.allowed(new, real: cur.0, effective: cur.1, saved: cur.2, rules: rules)
                else { throw .EPERM }
            }
        }
        let before = self
        if real != Cred.unchanged { self[keyPath: ids.real] = real }
        if effective != Cred.unchanged { self[keyPath: ids.effective] = effective }
        if saved != Cred.unchanged { self[keyPath: ids.saved] = saved }
        return self != before
    }

    /// `do_setresuid`.
    mutating func setUids(real: UInt32, effective: UInt32, saved: UInt32,
                          rules r: IdRules, e: IdRules, s: IdRules) throws(Errno) -> Bool {
        try setIds(Cred.userIds, real: real, effective: effective, saved: saved, rules: r, e: e, s: s)
    }

    /// `do_setresgid`.
    mutating func setGids(real: UInt32, effective: UInt32, saved: UInt32,
                          rules r: IdRules, e: IdRules, s: IdRules) throws(Errno) -> Bool {
        try setIds(Cred.groupIds, real: real, effective: effective, saved: saved, rules: r, e: e, s: s)
    }
}
