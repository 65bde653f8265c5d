@preconcurrency import CRump
import Glibc

/// Virtual CPUs and the binding of host threads to lwps.
///
/// A host thread runs kernel code only while it holds one of the `RUMP_NCPU`
/// virtual CPUs; the claim and release are the inline C fast paths of
/// rump_core.h (one compare-and-swap and one store per call). A thread that
/// calls in without a dedicated lwp runs as its implicit lwp, made on its first
/// call and freed when the thread exits.
public enum Scheduler {
    /// Set the number of virtual CPUs; boot only.
    static func configure(cpus: Int) {
        rumpc_ncpu = Int32(cpus)
    }

    /// The number of virtual CPUs.
    public static var cpuCount: Int { Int(rumpc_ncpu) }

    /// Make the calling thread's implicit lwp, in the default process. Nil
    /// before boot.
    static func implicitLwp() -> UnsafeMutableRawPointer? {
        guard let initProc = proc1 else { return nil }
        let lwp = procTable.withLock { $0.makeLwp(in: initProc, implicit: true) }
        let pointer = lwp.opaque
        rumpc_thread().pointee.implicit = pointer
        _ = rumpc_thread_exit_hook(freeImplicitLwp, pointer)
        return pointer
    }

    /// The lwp a kernel entry on this thread runs as, making the implicit one
    /// if needed.
    static func runLwp() -> Lwp? {
        guard let pointer = rumpc_runlwp() ?? implicitLwp() else { return nil }
        return Lwp.from(pointer)
    }

    /// Enter the kernel on this thread: bind its lwp to a virtual CPU. Nests.
    static func enter() {
        let thread = rumpc_thread().unsafelyUnwrapped
        thread.pointee.depth += 1
        if thread.pointee.depth == 1 && rumpc_cpu_current() < 0 {
            rumpc_cpu_claim()
        }
    }

    /// Leave the kernel: the outermost `leave` releases the virtual CPU.
    static func leave() {
        let thread = rumpc_thread().unsafelyUnwrapped
        guard thread.pointee.depth > 0 else { return }
        // RUMP_THREADS=0: due callouts run here, still inside (Kern/Callout.swift).
        if thread.pointee.depth == 1 && rumpc_callout_inline_pending()
            && rumpc_callout_inline_due() && rumpc_cpu_current() >= 0 {
            Callouts.runDueInline()
        }
        thread.pointee.depth -= 1
        if thread.pointee.depth == 0 && rumpc_cpu_current() >= 0 {
            rumpc_cpu_release()
        }
    }

    /// Run `body` with this thread's virtual CPU released, for a host-level
    /// wait (a sleep, a blocking read): other threads may use the CPU meanwhile.
    static func blocking<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let held = rumpc_cpu_current() >= 0
        if held { rumpc_cpu_release() }
        defer { if held { rumpc_cpu_claim() } }
        return try body()
    }

    /// How often each virtual CPU was taken (event counters).
    static func scheduleCounts() -> [UInt64] {
        (0..<Int32(cpuCount)).map { rumpc_cpu_schedules($0) }
    }
}

/// Thread-exit destructor: free the exiting thread's implicit lwp.
private let freeImplicitLwp: @convention(c) (UnsafeMutableRawPointer?) -> Void = { pointer in
    releaseLwp(at: pointer)
}

/// Bind this thread's lwp to a virtual CPU, so that kernel functions can be
/// called directly. Pairs with `rump_unschedule`; nests.
@c(rump_schedule)
public func rump_schedule() {
    _ = Scheduler.runLwp()
    Scheduler.enter()
}

/// Release what `rump_schedule` took.
@c(rump_unschedule)
public func rump_unschedule() {
    Scheduler.leave()
}
