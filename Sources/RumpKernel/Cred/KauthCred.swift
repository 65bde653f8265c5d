import Synchronization

/// A credential object handed to C (`struct kauth_cred *`), reference counted
/// as NetBSD's kauth credentials are.
final class KauthCred: Sendable {
    let cred: Cred
    let references = Atomic<Int>(1)

    init(_ cred: Cred) { self.cred = cred }
}

private let liveCreds = HandleRegistry<KauthCred>()

/// A credential with real, effective and saved ids `uid`/`gid` and a copy of
/// `groups` (at most NGROUPS_MAX of them are kept).
@c(rump_pub_cred_create)
public func rump_pub_cred_create(_ uid: UInt32, _ gid: UInt32, _ ngroups: Int,
                                 _ groups: UnsafeMutablePointer<UInt32>?) -> UnsafeMutableRawPointer? {
    var list: [UInt32] = []
    if let groups, ngroups > 0 {
        list = Array(UnsafeBufferPointer(start: groups, count: min(ngroups, Cred.maxGroups)))
    }
    return liveCreds.insert(KauthCred(Cred(uid: uid, gid: gid, groups: list)))
}

/// Drop a reference; the credential is freed with the last one.
@c(rump_pub_cred_put)
public func rump_pub_cred_put(_ cred: UnsafeMutableRawPointer?) {
    guard let object = liveCreds.find(cred) else {
        Console.warn("rump_pub_cred_put: \(String(describing: cred)) is not a live credential")
        return
    }
    if object.references.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
        _ = liveCreds.remove(cred)
    }
}

@c(rump_cred_create)
public func rump_cred_create(_ uid: UInt32, _ gid: UInt32, _ ngroups: Int,
                             _ groups: UnsafeMutablePointer<UInt32>?) -> UnsafeMutableRawPointer? {
    rump_pub_cred_create(uid, gid, ngroups, groups)
}

@c(rump_cred_put)
public func rump_cred_put(_ cred: UnsafeMutableRawPointer?) { rump_pub_cred_put(cred) }

/// The credential behind a C pointer, for kernel code (the faction SDK).
func kauthCred(_ pointer: UnsafeMutableRawPointer?) -> Cred? {
    liveCreds.find(pointer)?.cred
}

/// A new credential handle holding `cred` (one reference).
func kauthCredHandle(_ cred: Cred) -> UnsafeMutableRawPointer {
    liveCreds.insert(KauthCred(cred))
}
