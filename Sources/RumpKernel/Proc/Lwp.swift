/// A light-weight process: the kernel context a host thread runs as.
///
/// C code sees an lwp as an opaque `struct lwp *`, which is the object's address
/// (`opaque`). The process table owns every lwp; a thread's TLS only borrows it.
public final class Lwp {
    /// The process this lwp belongs to.
    public let proc: Proc
    /// The lwp id within its process (1 for a process's first lwp).
    public internal(set) var lid: Int32
    /// An implicit lwp serves one host thread that runs without a dedicated lwp;
    /// it lives in the default process until that thread exits.
    let isImplicit: Bool
    /// Whether a host thread has this lwp as its curlwp (process table lock).
    var onThread = false
    /// The descriptor the system call in progress does its I/O through
    /// (-1: none): a sleep in it ends with EBADF once that descriptor is
    /// closed (`File.wait`). Only this lwp's thread touches it.
    var ioFd: Int32 = -1
    /// The signal mask pollts/pselect sleep with in place of the process's
    /// (nil: none). Only this lwp's thread touches it.
    var sleepMask: UInt64?

    init(proc: Proc, lid: Int32, implicit: Bool) {
        self.proc = proc
        self.lid = lid
        self.isImplicit = implicit
    }

    /// The credential handle `kauth_cred_get` last gave out for this lwp.
    private var credHandle: UnsafeMutableRawPointer?

    /// A `kauth_cred_t` for the process's credentials now; the previous one is
    /// released (as NetBSD's lwp credential cache is refreshed).
    func credentialHandle() -> UnsafeMutableRawPointer? {
        if let old = credHandle { rump_pub_cred_put(old) }
        let c = proc.cred
        credHandle = kauthCredHandle(c)
        return credHandle
    }

    deinit {
        if let old = credHandle { rump_pub_cred_put(old) }
    }

    /// The `struct lwp *` C code sees.
    @inline(__always)
    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// The lwp behind a `struct lwp *` handed to a handler; the caller guarantees
    /// it is live (the syscall path holds it for the duration of the call).
    @inline(__always)
    static func from(_ pointer: UnsafeMutableRawPointer) -> Lwp {
        Unmanaged<Lwp>.fromOpaque(pointer).takeUnretainedValue()
    }
}
