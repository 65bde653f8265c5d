@preconcurrency import CRump

/// A system call handler in the kernel convention shared with faction plugins:
/// `int (*)(struct lwp *, const void *args, register_t retval[2])`, returning 0
/// or a NetBSD error number.
typealias SyscallHandler = rumpc_syscall_fn

/// Who implements a system call, as in the reference kernel's factions.
enum SyscallProvider: Sendable {
    case kern, vfs, net, module
}

/// How far a system call is implemented.
enum SyscallSupport: Sendable {
    /// Implemented with NetBSD's semantics.
    case full
    /// Implemented, with documented gaps.
    case partial
    /// Not implemented: the call fails with ENOSYS.
    case none
}

/// One line of the syscall spec (`Syscalls/syscalls.spec`), with its handler.
struct SyscallSpec: Sendable {
    let number: Int32
    let name: String
    let kernelName: String
    let provider: SyscallProvider
    let support: SyscallSupport
    /// Bytes of NetBSD's `struct sys_<name>_args` (8 per slot).
    let argSize: UInt32
    /// The C type of each slot, for typed handlers: i int32, u uint32,
    /// q int64, Q uint64, p pointer, _ PAD (see `rumpc_typed_prepare`).
    let argKinds: StaticString
    let handler: SyscallHandler?
}

/// The two return registers of a system call (`retval[0]`, `retval[1]`).
struct SyscallResult: ExpressibleByIntegerLiteral {
    var first: Int
    var second: Int

    @inline(__always) init(_ first: Int, _ second: Int = 0) {
        self.first = first
        self.second = second
    }

    @inline(__always) init<T: BinaryInteger>(_ value: T) {
        self.init(Int(truncatingIfNeeded: value))
    }

    @inline(__always) init(integerLiteral value: Int) {
        self.init(value)
    }
}

/// Runs a typed handler in the C handler convention: the one place where a thrown
/// `Errno` becomes the C return value.
@inline(__always)
func invoke(
    _ lwp: UnsafeMutableRawPointer?,
    _ retval: UnsafeMutablePointer<Int>?,
    _ body: (Lwp) throws(Errno) -> SyscallResult
) -> Int32 {
    do {
        let result = try body(Lwp.from(lwp.unsafelyUnwrapped))
        let rv = retval.unsafelyUnwrapped
        rv[0] = result.first
        rv[1] = result.second
        return 0
    } catch {
        return error.rawValue
    }
}

/// The system call entry point behind every `rump_sys_*` stub.
///
/// Finds the handler in the C-side table, runs it as the calling thread's lwp
/// (its dedicated one, else its implicit one in the default process) on a
/// virtual CPU, and returns 0 or a NetBSD error number. Unknown numbers and
/// calls no loaded component implements give ENOSYS; a missing argument block
/// gives EFAULT. `dlen` is not needed locally: the table knows each size.
@c(rump_syscall)
public func rump_syscall(
    _ num: Int32, _ data: UnsafeMutableRawPointer?, _ dlen: Int,
    _ retval: UnsafeMutablePointer<Int>?
) -> Int32 {
    guard rumpc_sysnum_valid(num) else { return Errno.ENOSYS.rawValue }
    let entry = rumpc_sysent_current(num).unsafelyUnwrapped
    guard rumpc_sysent_installed(entry) else { return Errno.ENOSYS.rawValue }
    if data == nil && entry.pointee.argsize != 0 { return Errno.EFAULT.rawValue }

    guard let lwp = rumpc_runlwp() ?? Scheduler.implicitLwp() else {
        return Errno.ENXIO.rawValue
    }
    let nested = rumpc_cpu_current() >= 0
    if !nested { rumpc_cpu_claim() }
    let error: Int32
    if let retval {
        error = rumpc_sysent_invoke(entry, lwp, data, retval)
    } else {
        var scratch = (0, 0)
        error = withUnsafeMutableBytes(of: &scratch) {
            rumpc_sysent_invoke(entry, lwp, data, $0.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: Int.self))
        }
    }
    if !nested {
        // RUMP_THREADS=0: due callouts run here (Kern/Callout.swift).
        if rumpc_callout_inline_pending() && rumpc_callout_inline_due() { Callouts.runDueInline() }
        rumpc_cpu_release()
    }
    return error
}

/// The system call table: installs handlers from the spec into C storage.
enum SyscallTable {
    /// Record every call's argument size, and install the handlers of
    /// `provider` (in the native table too: rebinding leaves that one alone).
    static func install(provider: SyscallProvider) {
        for spec in syscallSpecs {
            for entry in [rumpc_sysent(spec.number), rumpc_sysent_native_entry(spec.number)] {
                entry!.pointee.argsize = spec.argSize
                if spec.provider == provider, let handler = spec.handler {
                    entry!.pointee.call = handler
                }
            }
        }
    }

    /// Install (or with nil, remove) a handler at a slot.
    static func setHandler(_ number: Int32, _ handler: SyscallHandler?) {
        rumpc_sysent(number).unsafelyUnwrapped.pointee.call = handler
    }

    /// The spec line for a number, if the spec knows it.
    static func spec(_ number: Int32) -> SyscallSpec? {
        syscallSpecs.first { $0.number == number }
    }

    /// Whether a handler is installed at `number` now.
    static func isInstalled(_ number: Int32) -> Bool {
        rumpc_sysnum_valid(number) && rumpc_sysent(number).unsafelyUnwrapped.pointee.call != nil
    }
}
