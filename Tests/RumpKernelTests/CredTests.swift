import Testing

@testable import RumpKernel

private let K = Cred.unchanged
private let R = IdRules.equalsReal
private let E = IdRules.equalsEffective
private let S = IdRules.equalsSaved

/// The rule sets NetBSD's kern_prot.c passes to do_setresuid/do_setresgid.
enum CredCall: String, Sendable {
    /// setuid(x): ID_R_EQ_R | ID_E_EQ_R | ID_S_EQ_R
    case set
    /// seteuid(x): ID_E_EQ_R | ID_E_EQ_S
    case setE
    /// setreuid: ID_R_EQ_R | ID_R_EQ_E | ID_E_EQ_R | ID_E_EQ_E | ID_E_EQ_S | ID_S_EQ_R
    case setRE
    /// No rule at all: only root may change anything.
    case none

    var rules: (IdRules, IdRules, IdRules) {
        switch self {
        case .set: (R, R, R)
        case .setE: ([], [R, S], [])
        case .setRE: ([R, E], [R, E, S], R)
        case .none: ([], [], [])
        }
    }
}

/// One set-id request: ids before (real, effective, saved), the request, the
/// rules, and the ids after (nil: EPERM, nothing changes).
struct CredIdCase: Sendable, CustomTestStringConvertible {
    let label: String
    let before: (UInt32, UInt32, UInt32)
    let request: (UInt32, UInt32, UInt32)
    let call: CredCall
    let after: (UInt32, UInt32, UInt32)?
    let changed: Bool

    var testDescription: String { label }
}

let credCases: [CredIdCase] = [
    CredIdCase(label: "root sets all three", before: (0, 0, 0), request: (500, 500, 500), call: .set,
           after: (500, 500, 500), changed: true),
    CredIdCase(label: "root sets ids no rule allows", before: (0, 0, 0), request: (7, 8, 9), call: .none,
           after: (7, 8, 9), changed: true),
    CredIdCase(label: "root setting its own ids changes nothing", before: (0, 0, 0), request: (0, 0, 0), call: .set,
           after: (0, 0, 0), changed: false),
    CredIdCase(label: "effective root (set-user-id) may set anything", before: (100, 0, 0), request: (7, 7, 7),
           call: .none, after: (7, 7, 7), changed: true),
    CredIdCase(label: "user sets its own uid: no change", before: (100, 100, 100), request: (100, 100, 100), call: .set,
           after: (100, 100, 100), changed: false),
    CredIdCase(label: "user may not become root", before: (100, 100, 100), request: (0, 0, 0), call: .set,
           after: nil, changed: false),
    CredIdCase(label: "user may not become another user", before: (100, 100, 100), request: (200, 200, 200),
           call: .set, after: nil, changed: false),
    CredIdCase(label: "dropped root cannot setuid(0) back", before: (100, 100, 0), request: (0, 0, 0), call: .set,
           after: nil, changed: false),
    CredIdCase(label: "setuid to the real uid drops the saved uid", before: (100, 0, 0), request: (100, 100, 100),
           call: .set, after: (100, 100, 100), changed: true),
    CredIdCase(label: "seteuid to the saved uid", before: (100, 100, 0), request: (K, 0, K), call: .setE,
           after: (100, 0, 0), changed: true),
    CredIdCase(label: "seteuid to the real uid", before: (100, 200, 300), request: (K, 100, K), call: .setE,
           after: (100, 100, 300), changed: true),
    CredIdCase(label: "seteuid to the saved uid (non-root)", before: (100, 200, 300), request: (K, 300, K),
           call: .setE, after: (100, 300, 300), changed: true),
    CredIdCase(label: "seteuid to a foreign uid", before: (100, 200, 300), request: (K, 400, K), call: .setE,
           after: nil, changed: false),
    CredIdCase(label: "seteuid to the current euid is not in ID_E_EQ_R|ID_E_EQ_S", before: (100, 200, 300),
           request: (K, 200, K), call: .setE, after: nil, changed: false),
    CredIdCase(label: "setreuid swaps real and effective", before: (100, 200, 200), request: (200, 100, 100),
           call: .setRE, after: (200, 100, 100), changed: true),
    CredIdCase(label: "setreuid: saved may only become the old real", before: (100, 200, 300), request: (K, 300, 200),
           call: .setRE, after: nil, changed: false),
    CredIdCase(label: "setreuid: real may not become the saved uid", before: (100, 200, 300), request: (300, K, K),
           call: .setRE, after: nil, changed: false),
    CredIdCase(label: "all unchanged: nothing to check, nothing changes", before: (100, 200, 300), request: (K, K, K),
           call: .none, after: (100, 200, 300), changed: false),
    CredIdCase(label: "empty rules refuse even a no-op value", before: (100, 100, 100), request: (K, K, 100),
           call: .none, after: nil, changed: false),
    CredIdCase(label: "one refused id refuses the whole request", before: (100, 200, 300), request: (100, 999, K),
           call: .setRE, after: nil, changed: false),
    CredIdCase(label: "only the saved id changes", before: (0, 0, 0), request: (K, K, 42), call: .none,
           after: (0, 0, 42), changed: true),
]

private func triple(_ c: Cred, gids: Bool) -> [UInt32] {
    gids ? [c.gid, c.egid, c.svgid] : [c.uid, c.euid, c.svuid]
}

@Suite("Credentials")
struct CredTests {
    @Test("setUids follows do_setresuid", arguments: credCases)
    func setUids(_ c: CredIdCase) throws {
        var cred = Cred(uid: c.before.0, gid: 50, groups: [50, 60])
        cred.euid = c.before.1
        cred.svuid = c.before.2
        let original = cred
        let (r, e, s) = c.call.rules
        if let after = c.after {
            let changed = try cred.setUids(real: c.request.0, effective: c.request.1, saved: c.request.2,
                                           rules: r, e: e, s: s)
            #expect(changed == c.changed)
            #expect(triple(cred, gids: false) == [after.0, after.1, after.2])
        } else {
            #expect(throws: Errno.EPERM) {
                try cred.setUids(real: c.request.0, effective: c.request.1, saved: c.request.2, rules: r, e: e, s: s)
            }
            #expect(cred == original)
        }
        // Group ids are never touched by a uid change.
        #expect(triple(cred, gids: true) == [50, 50, 50])
        #expect(cred.groups == [50, 60])
    }

    /// The same table applied to group ids. Privilege still comes from the
    /// effective *uid*: a process is root when its euid is 0.
    @Test("setGids follows do_setresgid", arguments: credCases)
    func setGids(_ c: CredIdCase) throws {
        let root = c.before.1 == 0
        var cred = Cred(uid: root ? 0 : 1000, gid: c.before.0, groups: [c.before.0])
        cred.egid = c.before.1
        cred.svgid = c.before.2
        let original = cred
        let (r, e, s) = c.call.rules
        if let after = c.after {
            let changed = try cred.setGids(real: c.request.0, effective: c.request.1, saved: c.request.2,
                                           rules: r, e: e, s: s)
            #expect(changed == c.changed)
            #expect(triple(cred, gids: true) == [after.0, after.1, after.2])
        } else {
            #expect(throws: Errno.EPERM) {
                try cred.setGids(real: c.request.0, effective: c.request.1, saved: c.request.2, rules: r, e: e, s: s)
            }
            #expect(cred == original)
        }
        #expect(cred.uid == (root ? 0 : 1000))
    }

    @Test("a supplementary group 0 does not let a non-root user set gid 0")
    func groupZeroRefused() {
        var cred = Cred(uid: 100, gid: 100, groups: [100, 0])
        #expect(throws: Errno.EPERM) {
            try cred.setGids(real: 0, effective: 0, saved: 0, rules: R, e: R, s: R)
        }
        #expect(cred.gid == 100 && cred.egid == 100 && cred.svgid == 100)
    }

    @Test("root's credentials")
    func rootCred() {
        let root = Cred.root
        #expect([root.uid, root.euid, root.svuid, root.gid, root.egid, root.svgid] == [0, 0, 0, 0, 0, 0])
        // No supplementary groups, as NetBSD's proc0.
        #expect(root.groups == [])
        #expect(root.isRoot)
    }

    @Test("the initialiser sets real, effective and saved ids alike")
    func initialiser() {
        let c = Cred(uid: 1000, gid: 2000, groups: [2000, 3000])
        #expect([c.uid, c.euid, c.svuid] == [1000, 1000, 1000])
        #expect([c.gid, c.egid, c.svgid] == [2000, 2000, 2000])
        #expect(!c.isRoot)
    }

    @Test("root is decided by the effective uid alone")
    func isRootByEffective() {
        var c = Cred(uid: 0, gid: 0, groups: [])
        c.euid = 100
        #expect(!c.isRoot)
        c.euid = 0
        c.uid = 100
        #expect(c.isRoot)
    }

    @Test("membership: the effective group or a supplementary one")
    func membership() {
        var c = Cred(uid: 5, gid: 10, groups: [20, 30])
        #expect(c.isMember(of: 10))
        #expect(c.isMember(of: 20))
        #expect(c.isMember(of: 30))
        #expect(!c.isMember(of: 40))
        c.egid = 40
        #expect(c.isMember(of: 40))
        #expect(!c.isMember(of: 10))  // the real gid alone does not count
    }

    @Test("constants: NGROUPS_MAX 16, -1 means unchanged")
    func constants() {
        #expect(Cred.maxGroups == 16)
        #expect(Cred.unchanged == UInt32.max)
        #expect(Cred.unchanged == UInt32(bitPattern: -1))
    }

    @Test("a refused change from a dropped uid leaves everything as it was")
    func droppedStaysDropped() throws {
        var c = Cred(uid: 0, gid: 0, groups: [0])
        // Drop root for good: setuid(100) as root.
        #expect(try c.setUids(real: 100, effective: 100, saved: 100, rules: R, e: R, s: R))
        #expect(!c.isRoot)
        for request in [(UInt32(0), UInt32(0), UInt32(0)), (K, 0, K), (0, K, K), (K, K, 0)] {
            #expect(throws: Errno.EPERM) {
                try c.setUids(real: request.0, effective: request.1, saved: request.2,
                              rules: [R, E, S], e: [R, E, S], s: [R, E, S])
            }
        }
        #expect([c.uid, c.euid, c.svuid] == [100, 100, 100])
    }
}
