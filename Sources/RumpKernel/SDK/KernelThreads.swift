@preconcurrency import CRump
import Synchronization

/// Kernel threads (`kthread_create`): host threads that run kernel code as
/// lwps of the kernel's own process (pid 0), holding a virtual CPU while they
/// run and giving it up whenever they wait.
enum KernelThreads {
    /// NetBSD's KTHREAD_MUSTJOIN.
    static let mustJoin: Int32 = 0x10

    /// Joinable threads by lwp: the host thread to wait for.
    static let joinable = Mutex<[UnsafeMutableRawPointer: UnsafeMutableRawPointer]>([:])
}

@c(rumpc_kthread_create)
public func rumpc_kthread_create(_ flags: Int32, _ fn: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?,
                                 _ arg: UnsafeMutableRawPointer?, _ newlp: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                                 _ name: UnsafePointer<CChar>?) -> Int32 {
    guard let fn, let kernelProc = proc0 else { return Errno.EINVAL.rawValue }
    let lwp = procTable.withLock { $0.makeLwp(in: kernelProc, implicit: false, held: true) }
    let mustJoin = flags & KernelThreads.mustJoin != 0
    var thread: UnsafeMutableRawPointer?
    let error = rumpc_kthread_spawn(lwp.opaque, fn, arg, mustJoin ? 1 : 0, &thread)
    if error != 0 {
        releaseLwp(at: lwp.opaque)
        return Errno(host: error).rawValue
    }
    if let thread { KernelThreads.joinable.withLock { $0[lwp.opaque] = thread } }
    newlp?.pointee = lwp.opaque
    if let name { Console.message("kthread \(String(cString: name)) started as lwp \(lwp.lid)") }
    return 0
}

/// Wait for a KTHREAD_MUSTJOIN thread to end: EINVAL for any other lwp.
@c(rumpns_kthread_join)
public func rumpns_kthread_join(_ lwp: UnsafeMutableRawPointer?) -> Int32 {
    guard let lwp, let thread = KernelThreads.joinable.withLock({ $0.removeValue(forKey: lwp) }) else {
        return Errno.EINVAL.rawValue
    }
    let error = Scheduler.blocking { rumpc_kthread_wait(thread) }
    return error == 0 ? 0 : Errno(host: error).rawValue
}

/// A kernel thread begins: it runs as `lwp`, on a virtual CPU.
@c(rumpc_kthread_enter)
public func rumpc_kthread_enter(_ lwp: UnsafeMutableRawPointer?) {
    rumpc_set_curlwp(lwp, false)
    Scheduler.enter()
}

/// A kernel thread ends (returned or called kthread_exit): its lwp goes.
@c(rumpc_kthread_leave)
public func rumpc_kthread_leave() {
    Scheduler.leave()
    if let pointer = rumpc_curlwp() {
        releaseLwp(at: pointer)
    }
    rumpc_set_curlwp(nil, false)
}
