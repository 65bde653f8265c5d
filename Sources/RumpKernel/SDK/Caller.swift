@preconcurrency import CRump
import Glibc

// The faction SDK's view of the caller (rump_faction.h): the current lwp and
// process, their credentials, and copies to and from the caller's memory.
// Each works on the lwp the calling thread runs as (its dedicated or implicit
// one), so it is valid inside system call handlers, components and kernel
// threads.

/// The lwp kernel code on this thread runs as.
private func currentLwp() -> Lwp? { Scheduler.runLwp() }

@c(rumpns_curlwp)
public func rumpns_curlwp() -> UnsafeMutableRawPointer? {
    currentLwp()?.opaque
}

@c(rumpns_curproc)
public func rumpns_curproc() -> UnsafeMutableRawPointer? {
    currentLwp().map { Unmanaged.passUnretained($0.proc).toOpaque() }
}

/// The pid of a `struct proc *` from `curproc`.
@c(rumpns_proc_pid)
public func rumpns_proc_pid(_ proc: UnsafeMutableRawPointer?) -> Int32 {
    guard let proc else { return -1 }
    return Unmanaged<Proc>.fromOpaque(proc).takeUnretainedValue().pid
}

@c(rumpns_lwp_lid)
public func rumpns_lwp_lid(_ lwp: UnsafeMutableRawPointer?) -> Int32 {
    guard let lwp else { return -1 }
    return Lwp.from(lwp).lid
}

// MARK: credentials

/// The caller's credentials as a `kauth_cred_t`, valid until the lwp asks again.
@c(rumpns_kauth_cred_get)
public func rumpns_kauth_cred_get() -> UnsafeMutableRawPointer? {
    guard let l = currentLwp() else { return nil }
    return l.credentialHandle()
}

@c(rumpns_kauth_cred_getuid)
public func rumpns_kauth_cred_getuid(_ cred: UnsafeMutableRawPointer?) -> UInt32 { kauthCred(cred)?.uid ?? Cred.unchanged }

@c(rumpns_kauth_cred_geteuid)
public func rumpns_kauth_cred_geteuid(_ cred: UnsafeMutableRawPointer?) -> UInt32 { kauthCred(cred)?.euid ?? Cred.unchanged }

@c(rumpns_kauth_cred_getgid)
public func rumpns_kauth_cred_getgid(_ cred: UnsafeMutableRawPointer?) -> UInt32 { kauthCred(cred)?.gid ?? Cred.unchanged }

@c(rumpns_kauth_cred_getegid)
public func rumpns_kauth_cred_getegid(_ cred: UnsafeMutableRawPointer?) -> UInt32 { kauthCred(cred)?.egid ?? Cred.unchanged }

/// *resultp = 1 if the credentials are in group `gid`; returns 0, or EINVAL
/// for a bad credential.
@c(rumpns_kauth_cred_ismember_gid)
public func rumpns_kauth_cred_ismember_gid(_ cred: UnsafeMutableRawPointer?, _ gid: UInt32,
                                           _ result: UnsafeMutablePointer<Int32>?) -> Int32 {
    guard let c = kauthCred(cred), let result else { return Errno.EINVAL.rawValue }
    result.pointee = c.isMember(of: gid) ? 1 : 0
    return 0
}

/// KAUTH_GENERIC_ISSUSER: 0 for root, EPERM otherwise.
@c(rumpns_kauth_authorize_generic)
public func rumpns_kauth_authorize_generic(_ cred: UnsafeMutableRawPointer?, _ action: Int32,
                                           _ cookie: UnsafeMutableRawPointer?) -> Int32 {
    let isSuser: Int32 = 1
    guard let c = kauthCred(cred) else { return Errno.EINVAL.rawValue }
    guard action == isSuser else { return Errno.EPERM.rawValue }
    return c.isRoot ? 0 : Errno.EPERM.rawValue
}

// MARK: copies

private func withCaller(_ body: (Lwp) throws(Errno) -> Void) -> Int32 {
    guard let l = currentLwp() else { return Errno.ENXIO.rawValue }
    do throws(Errno) {
        try body(l)
        return 0
    } catch {
        return error.rawValue
    }
}

@c(rumpns_copyin)
public func rumpns_copyin(_ uaddr: UnsafeRawPointer?, _ kaddr: UnsafeMutableRawPointer?, _ len: Int) -> Int32 {
    guard let kaddr else { return Errno.EFAULT.rawValue }
    return withCaller { (l) throws(Errno) in try copyin(l, from: uaddr, into: kaddr, count: len) }
}

@c(rumpns_copyout)
public func rumpns_copyout(_ kaddr: UnsafeRawPointer?, _ uaddr: UnsafeMutableRawPointer?, _ len: Int) -> Int32 {
    guard let kaddr else { return Errno.EFAULT.rawValue }
    return withCaller { (l) throws(Errno) in try copyout(l, from: kaddr, to: uaddr, count: len) }
}

/// Copy a string of at most `len` bytes (NUL included) in; *done = bytes copied.
@c(rumpns_copyinstr)
public func rumpns_copyinstr(_ uaddr: UnsafeRawPointer?, _ kaddr: UnsafeMutableRawPointer?, _ len: Int,
                             _ done: UnsafeMutablePointer<Int>?) -> Int32 {
    guard let kaddr else { return Errno.EFAULT.rawValue }
    return withCaller { (l) throws(Errno) in
        let bytes = try copyinstr(l, from: uaddr, maxLength: len) + [0]
        bytes.withUnsafeBytes { kaddr.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        done?.pointee = bytes.count
    }
}

/// Copy a kernel string (NUL included, at most `len` bytes) out.
@c(rumpns_copyoutstr)
public func rumpns_copyoutstr(_ kaddr: UnsafePointer<CChar>?, _ uaddr: UnsafeMutableRawPointer?, _ len: Int,
                              _ done: UnsafeMutablePointer<Int>?) -> Int32 {
    guard let kaddr else { return Errno.EFAULT.rawValue }
    let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(kaddr).assumingMemoryBound(to: UInt8.self),
                                          count: strnlen(kaddr, len)))
    return withCaller { (l) throws(Errno) in
        done?.pointee = min(bytes.count + 1, len)
        try copyoutstr(l, bytes, to: uaddr, capacity: len)
    }
}

/// Move up to n bytes between `buf` and a uio, in the uio's direction.
@c(rumpns_uiomove)
public func rumpns_uiomove(_ buf: UnsafeMutableRawPointer?, _ n: Int, _ uio: UnsafeMutableRawPointer?) -> Int32 {
    guard let buf, let uio else { return Errno.EFAULT.rawValue }
    let u = Unmanaged<Uio>.fromOpaque(uio).takeUnretainedValue()
    do throws(Errno) {
        try u.move(buf, count: n)
        return 0
    } catch {
        return error.rawValue
    }
}

@c(rumpns_uio_resid)
public func rumpns_uio_resid(_ uio: UnsafeMutableRawPointer?) -> Int {
    guard let uio else { return 0 }
    return Unmanaged<Uio>.fromOpaque(uio).takeUnretainedValue().residual
}
