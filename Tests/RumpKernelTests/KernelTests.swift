@preconcurrency import CRump
import Glibc
import Testing

@testable import RumpKernel

// Everything that boots the kernel or changes kernel-global state lives in this
// one serialized suite; the other suites run in parallel with it in the same
// process and never touch the process table, the syscall path or curlwp.

/// rump.h rfork flags.
private let RUMP_RFFDG: Int32 = 0x01
private let RUMP_RFCFDG: Int32 = 0x02

/// NetBSD system call numbers used here.
private enum SYS {
    static let read: Int32 = 3
    static let open: Int32 = 5
    static let close: Int32 = 6
    static let link: Int32 = 9
    static let getpid: Int32 = 20
    static let setuid: Int32 = 23
    static let getuid: Int32 = 24
    static let geteuid: Int32 = 25
    static let getppid: Int32 = 39
    static let fcntl: Int32 = 92
    static let getrlimit: Int32 = 194
    static let setrlimit: Int32 = 195
    static let sysctl: Int32 = 202
    static let getpgid: Int32 = 207
    static let issetugid: Int32 = 305
    static let lwpSelf: Int32 = 311
}

private struct SyscallReturn {
    var error: Int32
    var rv0: Int
    var rv1: Int
}

/// `rump_syscall` with an argument block of 8-byte slots (none: NULL).
@discardableResult
private func syscall(_ number: Int32, _ slots: [Int] = []) -> SyscallReturn {
    var args = slots
    var rv = [-7, -7]
    let error = args.withUnsafeMutableBytes { a in
        rv.withUnsafeMutableBufferPointer { r in
            rump_syscall(number, slots.isEmpty ? nil : a.baseAddress, a.count, r.baseAddress)
        }
    }
    return SyscallReturn(error: error, rv0: rv[0], rv1: rv[1])
}

private func address(_ p: UnsafeRawPointer?) -> Int { Int(bitPattern: p) }

/// Run `body` with the address of `value`, valid for the length of the call.
private func withAddress<T, R>(of value: inout T, _ body: (Int) -> R) -> R {
    withUnsafeMutableBytes(of: &value) { body(address($0.baseAddress)) }
}

/// `__sysctl(mib, oldp[room], &oldlen, newp, newlen)`; returns the error, the
/// bytes copied out and the reported length. `room: nil` passes oldp NULL,
/// `oldlenp: false` passes oldlenp NULL, `newlen` defaults to the new value's size.
private func sysctl(_ mib: [Int32], room: Int?, oldlenp: Bool = true, new: [UInt8]? = nil, newlen: Int? = nil)
    -> (error: Int32, bytes: [UInt8], length: Int)
{
    var name = mib
    var old = [UInt8](repeating: 0xee, count: max(room ?? 0, 1))
    var length = room ?? 0
    var newBytes = new ?? []
    let error = name.withUnsafeMutableBytes { n in
        old.withUnsafeMutableBytes { o in
            withUnsafeMutablePointer(to: &length) { l in
                newBytes.withUnsafeMutableBytes { w in
                    syscall(SYS.sysctl, [
                        address(n.baseAddress), mib.count,
                        room == nil ? 0 : address(o.baseAddress), oldlenp ? address(l) : 0,
                        new == nil ? 0 : address(w.baseAddress), newlen ?? (new?.count ?? 0),
                    ]).error
                }
            }
        }
    }
    let copied = room == nil ? [] : Array(old.prefix(min(room!, length)))
    return (error, copied, length)
}

private func cstring(_ s: String) -> [UInt8] { Array(s.utf8) + [0] }

private func le32(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

private func procExists(_ pid: Int) -> Bool {
    procTable.withLock { $0.procs[Int32(pid)] != nil }
}

/// Give up whatever lwp the thread runs as, so no test leaks one to the next.
private func dropCurrentLwp() {
    if rump_pub_lwproc_curlwp() != nil { rump_pub_lwproc_releaselwp() }
}

/// What a host thread started by `onAnotherThread` runs, and its result.
private final class ThreadBox {
    let body: () -> Any
    var result: Any?
    init(_ body: @escaping () -> Any) { self.body = body }
}

/// Run `body` on a fresh host thread and wait for its result.
private func onAnotherThread<T>(_ body: @escaping () -> T) -> T {
    let box = ThreadBox { body() }
    var thread = pthread_t()
    let context = Unmanaged.passRetained(box).toOpaque()
    let rc = pthread_create(&thread, nil, { context in
        let box = Unmanaged<ThreadBox>.fromOpaque(context!).takeRetainedValue()
        box.result = box.body()
        return nil
    }, context)
    precondition(rc == 0, "pthread_create: \(rc)")
    pthread_join(thread, nil)
    return box.result as! T
}

/// A tiny file kind that counts how often its files were finally closed.
final class CountingOps: FileOps {
    var closes = 0
    func read(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno) { throw .EIO }
    func write(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno) { throw .EIO }
    func stat(_ file: File, _ l: Lwp) throws(Errno) -> NetBSDStat { NetBSDStat() }
    func close(_ file: File) { closes += 1 }
}

@Suite("Kernel", .serialized)
struct KernelTests {
    init() {
        _ = rump_init()
    }

    // MARK: Boot

    @Test("rump_init boots once; a second call returns 0")
    func boot() {
        #expect(rump_init() == 0)
        #expect(rump_init() == 0)
        #expect(rump__init(0) == 0)
        #expect(Boot.isBooted)
    }

    @Test("version and ABI")
    func version() {
        #expect(rump_getversion() == 799_003_400)
        #expect(rump_pub_getversion() == 799_003_400)
        #expect(rump_nativeabi_p() == 1)
        #expect(Boot.osRelease == "7.99.34")
    }

    @Test("boot made pid 0 and pid 1 as root, with the initial limits")
    func firstProcesses() throws {
        let (p0, p1) = procTable.withLock { ($0.procs[0], $0.procs[1]) }
        let zero = try #require(p0)
        let one = try #require(p1)
        #expect(zero.pid == 0)
        #expect(one.pid == 1)
        #expect(one.parentPid == 0)
        #expect(zero.state.withLock { $0.comm } == "system")
        #expect(one.state.withLock { $0.comm } == "rumplocal")
        #expect(one.cred == .root)
        #expect(one.state.withLock { $0.limits[.nofile] } == .init(current: 128, maximum: 1772))
        #expect(one.state.withLock { $0.limits[.nproc] } == .init(current: 160, maximum: 532))
        #expect(Scheduler.cpuCount == Boot.params.cpus)
    }

    // MARK: System calls through rump_syscall

    @Test("getpid (20) without an lwp: pid 1, ppid 0, in the implicit context")
    func getpidImplicit() {
        #expect(rump_pub_lwproc_curlwp() == nil)
        let r = syscall(SYS.getpid)
        #expect(r.error == 0)
        #expect(r.rv0 == 1)
        #expect(r.rv1 == 0)
        #expect(syscall(SYS.getppid).rv0 == 0)
        let uid = syscall(SYS.getuid)
        #expect(uid.error == 0 && uid.rv0 == 0 && uid.rv1 == 0)
        // The implicit lwp does not become curlwp.
        #expect(rump_pub_lwproc_curlwp() == nil)
    }

    @Test("a NULL retval is allowed; dlen is not needed")
    func nullRetval() {
        #expect(rump_syscall(SYS.getpid, nil, 0, nil) == 0)
        var rv = [0, 0]
        #expect(rump_syscall(SYS.getpid, nil, 999, &rv) == 0)
        #expect(rv == [1, 0])
    }

    // 0 (syscall), 1 (exit), 2 (fork) and 511 have no entry in the spec.
    @Test("out-of-range and unimplemented numbers give ENOSYS (78)",
          arguments: [512, 513, 100_000, -1, Int32.min, Int32.max, 0, 1, 2, 511] as [Int32])
    func enosys(_ number: Int32) {
        var args = [Int](repeating: 0, count: 8)
        var rv = [0, 0]
        #expect(rump_syscall(number, &args, 64, &rv) == 78)
        #expect(rump_syscall(number, nil, 0, nil) == 78)
    }

    @Test("a NULL argument block gives EFAULT (14)",
          arguments: [SYS.close, SYS.setuid, SYS.getpgid, SYS.getrlimit, SYS.sysctl, SYS.read])
    func nullArguments(_ number: Int32) {
        var rv = [0, 0]
        #expect(rump_syscall(number, nil, 0, &rv) == 14)
    }

    @Test("bad user pointers give EFAULT (14)", arguments: [
        0,                       // NULL
        0x10,                    // first page
        0x0000_8000_0000_0000,   // kernel half
        -16,                     // wraps
    ])
    func badPointers(_ pointer: Int) {
        #expect(syscall(SYS.getrlimit, [8, pointer]).error == 14)
    }

    @Test("getrlimit (194) of pid 1: NOFILE 128/1772; a bad resource is EINVAL")
    func getrlimit() {
        var limit: (UInt64, UInt64) = (0, 0)
        let error = withAddress(of: &limit) { syscall(SYS.getrlimit, [8, $0]).error }
        #expect(error == 0)
        #expect(limit.0 == 128 && limit.1 == 1772)
        #expect(withAddress(of: &limit) { syscall(SYS.getrlimit, [12, $0]).error } == 22)
        #expect(withAddress(of: &limit) { syscall(SYS.getrlimit, [-1, $0]).error } == 22)
    }

    // MARK: Processes and lwps

    @Test("rfork makes a new process; getpid then returns its pid, ppid 1")
    func rforkGetpid() throws {
        defer { dropCurrentLwp() }
        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        let lwp = try #require(rump_pub_lwproc_curlwp())
        let r = syscall(SYS.getpid)
        #expect(r.error == 0)
        #expect(r.rv0 > 1)
        #expect(r.rv1 == 1)
        #expect(Lwp.from(lwp).proc.pid == Int32(r.rv0))
        #expect(syscall(SYS.getppid).rv0 == 1)
        #expect(syscall(SYS.lwpSelf).rv0 == 1)
        #expect(procExists(r.rv0))
        // The child inherits root's credentials.
        #expect(syscall(SYS.getuid).rv0 == 0)
    }

    @Test("pids are handed out in increasing order, not reused at once")
    func pidOrder() throws {
        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        let first = syscall(SYS.getpid).rv0
        rump_pub_lwproc_releaselwp()
        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        let second = syscall(SYS.getpid).rv0
        rump_pub_lwproc_releaselwp()
        #expect(second == first + 1)
        #expect(rump_pub_lwproc_curlwp() == nil)
    }

    @Test("releasing the last lwp frees the process")
    func releaseFreesProcess() throws {
        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        let pid = syscall(SYS.getpid).rv0
        #expect(procExists(pid))
        rump_pub_lwproc_releaselwp()
        #expect(rump_pub_lwproc_curlwp() == nil)
        #expect(!procExists(pid))
        // A released process cannot get new lwps: ESRCH (3).
        #expect(rump_pub_lwproc_newlwp(Int32(pid)) == 3)
        #expect(rump_pub_lwproc_curlwp() == nil)
        // Back in the implicit context.
        #expect(syscall(SYS.getpid).rv0 == 1)
    }

    @Test("bad rfork flags are EINVAL (22) and change nothing", arguments: [3, 4, 0x10, -1] as [Int32])
    func rforkBadFlags(_ flags: Int32) {
        #expect(rump_pub_lwproc_rfork(flags) == 22)
        #expect(rump_pub_lwproc_curlwp() == nil)
    }

    @Test("rfork flags: share (0), copy (RFFDG) or clear (RFCFDG) the descriptor table")
    func rforkDescriptorTables() throws {
        defer { dropCurrentLwp() }
        let parentFiles = try #require(proc1).files

        #expect(rump_pub_lwproc_rfork(0) == 0)
        let shared = Lwp.from(try #require(rump_pub_lwproc_curlwp())).proc.files
        #expect(shared === parentFiles)
        rump_pub_lwproc_releaselwp()
        // Releasing a sharer does not close the parent's descriptors.
        #expect(parentFiles.openCount == 3)

        #expect(rump_pub_lwproc_rfork(RUMP_RFFDG) == 0)
        let copied = Lwp.from(try #require(rump_pub_lwproc_curlwp())).proc.files
        #expect(copied !== parentFiles)
        #expect(copied.highest == 2)
        #expect(try copied.get(1) === parentFiles.get(1))
        // Closing in the copy leaves the parent's table alone.
        #expect(syscall(SYS.close, [1]).error == 0)
        #expect(copied.openCount == 2)
        #expect(parentFiles.openCount == 3)
        rump_pub_lwproc_releaselwp()

        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        let fresh = Lwp.from(try #require(rump_pub_lwproc_curlwp())).proc.files
        #expect(fresh.highest == -1)
        #expect(syscall(SYS.close, [0]).error == 9)
        rump_pub_lwproc_releaselwp()
        #expect(parentFiles.openCount == 3)
    }

    @Test("a grandchild's parent is its rforking process; orphans go to pid 1")
    func reparenting() throws {
        defer { dropCurrentLwp() }
        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        let lwpA = try #require(rump_pub_lwproc_curlwp())
        let pidA = syscall(SYS.getpid).rv0
        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        let lwpB = try #require(rump_pub_lwproc_curlwp())
        let b = syscall(SYS.getpid)
        #expect(b.rv1 == pidA)

        rump_pub_lwproc_switch(lwpA)
        #expect(syscall(SYS.getpid).rv0 == pidA)
        rump_pub_lwproc_releaselwp()
        #expect(!procExists(pidA))

        rump_pub_lwproc_switch(lwpB)
        let orphan = syscall(SYS.getpid)
        #expect(orphan.rv0 == b.rv0)
        #expect(orphan.rv1 == 1)
        rump_pub_lwproc_releaselwp()
        #expect(!procExists(b.rv0))
    }

    @Test("switch to the implicit context and back")
    func switching() throws {
        defer { dropCurrentLwp() }
        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        let lwp = try #require(rump_pub_lwproc_curlwp())
        let pid = syscall(SYS.getpid).rv0
        rump_pub_lwproc_switch(nil)
        #expect(rump_pub_lwproc_curlwp() == nil)
        #expect(syscall(SYS.getpid).rv0 == 1)
        rump_pub_lwproc_switch(lwp)
        #expect(rump_pub_lwproc_curlwp() == lwp)
        #expect(syscall(SYS.getpid).rv0 == pid)
        #expect(rump_lwproc_curlwp() == lwp)
    }

    @Test("newlwp adds an lwp to a live process; ESRCH for unknown pids")
    func newlwp() throws {
        #expect(rump_pub_lwproc_newlwp(1) == 0)
        #expect(rump_pub_lwproc_curlwp() != nil)
        let r = syscall(SYS.getpid)
        #expect(r.rv0 == 1 && r.rv1 == 0)
        rump_pub_lwproc_releaselwp()
        // pid 1 outlives its dedicated lwps.
        #expect(procExists(1))

        #expect(rump_pub_lwproc_newlwp(0) == 0)
        #expect(syscall(SYS.getpid).rv0 == 0)
        rump_pub_lwproc_releaselwp()
        #expect(procExists(0))

        #expect(rump_pub_lwproc_newlwp(29_999) == 3)
        #expect(rump_pub_lwproc_newlwp(-1) == 3)
        #expect(rump_pub_lwproc_curlwp() == nil)
    }

    @Test("lwp ids count up within a process")
    func lwpIds() throws {
        defer { dropCurrentLwp() }
        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        let first = try #require(rump_pub_lwproc_curlwp())
        let pid = Int32(syscall(SYS.getpid).rv0)
        #expect(syscall(SYS.lwpSelf).rv0 == 1)
        #expect(rump_pub_lwproc_newlwp(pid) == 0)
        #expect(syscall(SYS.lwpSelf).rv0 == 2)
        #expect(syscall(SYS.getpid).rv0 == Int(pid))
        rump_pub_lwproc_releaselwp()
        // One lwp left: the process lives on.
        #expect(procExists(Int(pid)))
        rump_pub_lwproc_switch(first)
        rump_pub_lwproc_releaselwp()
        #expect(!procExists(Int(pid)))
    }

    @Test("rump_pub_allbetsareoff_setid moves the process to a new pid and lwp id")
    func allBetsAreOff() throws {
        defer { dropCurrentLwp() }
        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        let old = syscall(SYS.getpid).rv0
        rump_pub_allbetsareoff_setid(23_456, 7)
        #expect(syscall(SYS.getpid).rv0 == 23_456)
        #expect(syscall(SYS.lwpSelf).rv0 == 7)
        #expect(procExists(23_456))
        #expect(!procExists(old))
        // Pids that name another process, and 0 and 1, are refused: EEXIST (17).
        rumpc_errno_set(0)
        rump_pub_allbetsareoff_setid(1, 1)
        #expect(rumpc_errno_get() == 17)
        #expect(syscall(SYS.getpid).rv0 == 23_456)
        rump_pub_lwproc_releaselwp()
        #expect(!procExists(23_456))
    }

    @Test("setsid makes a session leader, which may not do it again (EPERM 1)")
    func sessions() throws {
        defer { dropCurrentLwp() }
        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        let pid = syscall(SYS.getpid).rv0
        let setsid = syscall(147)
        #expect(setsid.error == 0 && setsid.rv0 == pid)
        #expect(syscall(81).rv0 == pid)            // getpgrp
        #expect(syscall(286, [0]).rv0 == pid)      // getsid(0)
        #expect(syscall(SYS.getpgid, [0]).rv0 == pid)
        #expect(syscall(147).error == 1)
        #expect(syscall(SYS.getpgid, [29_999]).error == 3)  // ESRCH
    }

    @Test("misuse: releasing with no lwp sets errno EINVAL (22), crashes nothing")
    func releaseWithoutLwp() {
        #expect(rump_pub_lwproc_curlwp() == nil)
        rumpc_errno_set(0)
        rump_pub_lwproc_releaselwp()
        #expect(rumpc_errno_get() == 22)
        #expect(rump_pub_lwproc_curlwp() == nil)
        #expect(syscall(SYS.getpid).rv0 == 1)
    }

    @Test("misuse: switching to a released lwp or a non-lwp sets errno EINVAL (22)")
    func switchToDeadLwp() throws {
        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        let dead = try #require(rump_pub_lwproc_curlwp())
        rump_pub_lwproc_releaselwp()
        rumpc_errno_set(0)
        rump_pub_lwproc_switch(dead)
        #expect(rumpc_errno_get() == 22)
        #expect(rump_pub_lwproc_curlwp() == nil)

        var notAnLwp = 0
        rumpc_errno_set(0)
        withUnsafeMutablePointer(to: &notAnLwp) { rump_pub_lwproc_switch(UnsafeMutableRawPointer($0)) }
        #expect(rumpc_errno_get() == 22)
        #expect(rump_pub_lwproc_curlwp() == nil)
    }

    @Test("misuse: switching to an lwp that runs on another thread sets errno EBUSY (16)")
    func switchToBusyLwp() throws {
        defer { dropCurrentLwp() }
        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        let mine = try #require(rump_pub_lwproc_curlwp())
        let result = onAnotherThread { () -> (Int32, Bool) in
            rumpc_errno_set(0)
            rump_pub_lwproc_switch(mine)
            return (rumpc_errno_get(), rump_pub_lwproc_curlwp() == nil)
        }
        #expect(result.0 == 16)
        #expect(result.1)
        // Still ours.
        #expect(rump_pub_lwproc_curlwp() == mine)
    }

    // MARK: Credentials through the syscall path

    @Test("a process that dropped root cannot take it back (EPERM 1)")
    func droppedRoot() throws {
        defer { dropCurrentLwp() }
        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        #expect(syscall(SYS.issetugid).rv0 == 0)
        #expect(syscall(SYS.setuid, [100]).error == 0)
        let ids = syscall(SYS.getuid)
        #expect(ids.rv0 == 100 && ids.rv1 == 100)
        #expect(syscall(SYS.geteuid).rv0 == 100)
        #expect(syscall(SYS.issetugid).rv0 == 1)
        #expect(syscall(SYS.setuid, [0]).error == 1)
        #expect(syscall(SYS.setuid, [100]).error == 0)
        // Raising a hard limit is for root only.
        var limit: (UInt64, UInt64) = (128, 5000)
        #expect(withAddress(of: &limit) { syscall(SYS.setrlimit, [8, $0]).error } == 1)
        limit = (64, 1000)
        #expect(withAddress(of: &limit) { syscall(SYS.setrlimit, [8, $0]).error } == 0)
        limit = (0, 0)
        #expect(withAddress(of: &limit) { syscall(SYS.getrlimit, [8, $0]).error } == 0)
        #expect(limit.0 == 64 && limit.1 == 1000)
        rump_pub_lwproc_releaselwp()
        // The parent is still root.
        #expect(syscall(SYS.getuid).rv0 == 0)
    }

    // MARK: Descriptors of pid 1

    @Test("pid 1 has descriptors 0-2 on the write-only console")
    func consoleDescriptors() throws {
        let files = try #require(proc1).files
        #expect(files.highest == 2)
        #expect(files.openCount == 3)
        for fd: Int32 in 0...2 {
            let file = try files.get(fd)
            #expect(file.access == .writeOnly)
            #expect(try !files.closeOnExec(fd))
        }
        #expect(throws: Errno.EBADF) { try files.get(3) }
        // Through the syscall path: F_MAXFD (11) is 2, F_GETFL (3) is O_WRONLY.
        #expect(syscall(SYS.fcntl, [0, 11, 0]).rv0 == 2)
        let getfl = syscall(SYS.fcntl, [1, 3, 0])
        #expect(getfl.error == 0 && getfl.rv0 == 1)
        // Reading a write-only descriptor is EBADF; closing a closed one too.
        var byte: UInt8 = 0
        #expect(withAddress(of: &byte) { syscall(SYS.read, [0, $0, 1]).error } == 9)
        #expect(syscall(SYS.close, [7]).error == 9)
        #expect(syscall(SYS.fcntl, [7, 3, 0]).error == 9)
    }

    // MARK: sysctl through the syscall path

    @Test("kern and hw nodes read with NetBSD values", arguments: [
        ([1, 1], cstring("NetBSD")),
        ([1, 2], cstring("7.99.34")),
        ([1, 3], le32(799_003_400)),
        ([1, 6], le32(532)),
        ([1, 7], le32(1772)),
        ([1, 18], le32(16)),
        ([6, 1], cstring("amd64")),
        ([6, 4], le32(1234)),
        ([6, 10], cstring("x86_64")),
    ] as [([Int32], [UInt8])])
    func sysctlValues(_ mib: [Int32], _ expected: [UInt8]) {
        let r = sysctl(mib, room: 256)
        #expect(r.error == 0)
        #expect(r.length == expected.count)
        #expect(r.bytes == expected)
    }

    @Test("hw.ncpu, hw.pagesize and kern.hostname describe this kernel")
    func sysctlKernelState() {
        #expect(sysctl([6, 3], room: 4).bytes == le32(Int32(Scheduler.cpuCount)))
        #expect(sysctl([6, 7], room: 4).bytes == le32(Int32(sysconf(Int32(_SC_PAGESIZE)))))
        let hostname = sysctl([1, 10], room: 256)
        #expect(hostname.error == 0)
        #expect(hostname.bytes == cstring(Boot.params.hostname))
        // kern.boottime: NetBSD's struct timespec, 16 bytes, taken at boot.
        let boottime = sysctl([1, 83], room: 16)
        #expect(boottime.error == 0 && boottime.length == 16)
        let seconds = boottime.bytes.prefix(8).reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
        let nanoseconds = boottime.bytes.suffix(8).reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
        #expect(seconds == Int64(Boot.bootTime.tv_sec))
        #expect((0..<1_000_000_000).contains(nanoseconds))
        #expect(seconds <= Int64(time(nil)) && seconds > Int64(time(nil)) - 3600)
        // hw.physmem64: 8 bytes, the memory limit or the host's memory.
        let physmem = sysctl([6, 13], room: 8)
        #expect(physmem.length == 8)
        let expected = UInt64(Boot.params.memoryLimit ?? KernelInfo.hostMemory)
        #expect(physmem.bytes == withUnsafeBytes(of: expected.littleEndian) { Array($0) })
    }

    @Test("sysctl sizes: a NULL buffer asks, a short one gets what fits and ENOMEM (12)")
    func sysctlSizes() {
        let ask = sysctl([1, 1], room: nil)
        #expect(ask.error == 0)
        #expect(ask.length == 7)
        let short = sysctl([1, 1], room: 3)
        #expect(short.error == 12)
        #expect(short.length == 7)
        #expect(short.bytes == Array("Net".utf8))
    }

    @Test("sysctl name errors", arguments: [
        ([1, 9999], 2),          // ENOENT: unknown number
        ([4242_4242], 2),        // ENOENT at the top
        ([1, 1, 5], 20),         // ENOTDIR: below a leaf
        ([], 22),                // EINVAL: no name
        ([Int32](repeating: 1, count: 13), 22),  // EINVAL: beyond CTL_MAXNAME
        ([1, -7], 45),           // EOPNOTSUPP: an unknown meta operation
        ([-100], 45),
    ] as [([Int32], Int32)])
    func sysctlErrors(_ mib: [Int32], _ error: Int32) {
        #expect(sysctl(mib, room: 64).error == error)
    }

    /// NetBSD's sysctl_dispatch sends a name that stops at a node without a
    /// handler to sysctl_lookup, which refuses it: "you can't look up a node"
    /// (EINVAL). kern and hw have no handler in NetBSD.
    @Test("reading a directory node (kern, hw) is EINVAL (22), as sysctl_lookup says",
          arguments: [[1], [6], [3]] as [[Int32]])
    func sysctlReadDirectory(_ mib: [Int32]) {
        #expect(sysctl(mib, room: 64).error == 22)
    }

    /// sysctl_lookup: `if (newlen == 0) newp = NULL;` — a zero-length new
    /// value is no write at all.
    @Test("a new value of length 0 is no write: no EPERM, nothing changes")
    func sysctlZeroLengthWrite() {
        let before = sysctl([1, 10], room: 256).bytes
        let readOnly = sysctl([1, 1], room: 64, new: Array("Linux".utf8), newlen: 0)
        let hostname = sysctl([1, 10], room: nil, new: Array("zzz".utf8), newlen: 0)
        let after = sysctl([1, 10], room: 256).bytes
        // Put the host name back whatever happened.
        _ = sysctl([1, 10], room: nil, new: Array(before.dropLast()))
        #expect(readOnly.bytes == cstring("NetBSD"))
        #expect(readOnly.error == 0)
        #expect(hostname.error == 0)
        #expect(after == before)
    }

    /// sysctl_lookup for strings: a value that fills the whole buffer must end
    /// with its NUL ("did they NUL terminate it, or do we have space left").
    @Test("a host name of exactly MAXHOSTNAMELEN bytes without a NUL is EINVAL (22)")
    func sysctlHostnameFull() {
        let before = sysctl([1, 10], room: 512).bytes
        defer { _ = sysctl([1, 10], room: nil, new: Array(before.dropLast())) }
        // 255 bytes leave room for the NUL: fine.
        let a255 = [UInt8](repeating: 97, count: 255)
        #expect(sysctl([1, 10], room: nil, new: a255).error == 0)
        #expect(sysctl([1, 10], room: 512).bytes == a255 + [0])
        // 256 bytes ending in a NUL: fine, 255 characters.
        let b255 = [UInt8](repeating: 98, count: 255)
        #expect(sysctl([1, 10], room: nil, new: b255 + [0]).error == 0)
        #expect(sysctl([1, 10], room: 512).bytes == b255 + [0])
        // 256 bytes and no NUL: EINVAL, and the old name stays.
        #expect(sysctl([1, 10], room: nil, new: [UInt8](repeating: 99, count: 256)).error == 22)
        #expect(sysctl([1, 10], room: 512).bytes == b255 + [0])
    }

    /// sys___sysctl: oldlen is 0 when oldlenp is NULL, and "if the only problem
    /// is that we weren't given enough space, that's an ENOMEM error".
    @Test("oldp without oldlenp is ENOMEM (12), as in NetBSD")
    func sysctlOldWithoutLength() {
        let r = sysctl([1, 1], room: 16, oldlenp: false)
        #expect(r.error == 12)
    }

    @Test("sysctl with a NULL name is EFAULT (14)")
    func sysctlNullName() {
        var length = 0
        #expect(withAddress(of: &length) { syscall(SYS.sysctl, [0, 2, 0, $0, 0, 0]).error } == 14)
    }

    @Test("root may set kern.hostname; read-only nodes and others' writes are EPERM")
    func sysctlWrite() throws {
        let original = Array(Boot.params.hostname.utf8)
        defer { _ = sysctl([1, 10], room: nil, new: original) }

        #expect(sysctl([1, 10], room: nil, new: Array("unit-test-host".utf8)).error == 0)
        #expect(sysctl([1, 10], room: 64).bytes == cstring("unit-test-host"))
        // A value with its NUL is stored up to the NUL.
        #expect(sysctl([1, 10], room: nil, new: cstring("other")).error == 0)
        #expect(sysctl([1, 10], room: 64).bytes == cstring("other"))
        // Longer than MAXHOSTNAMELEN (256): EINVAL.
        #expect(sysctl([1, 10], room: nil, new: [UInt8](repeating: 65, count: 300)).error == 22)
        // kern.ostype is read-only.
        #expect(sysctl([1, 1], room: nil, new: Array("Linux".utf8)).error == 1)
        #expect(sysctl([1, 1], room: 64).bytes == cstring("NetBSD"))

        // A non-root process may not set the host name.
        #expect(rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
        defer { dropCurrentLwp() }
        #expect(syscall(SYS.setuid, [1000]).error == 0)
        #expect(sysctl([1, 10], room: nil, new: Array("evil".utf8)).error == 1)
        #expect(sysctl([1, 10], room: 64).bytes == cstring("other"))
    }

    // MARK: Scheduling

    @Test("rump_schedule binds a virtual CPU; rump_unschedule gives it back; nesting")
    func schedule() {
        #expect(rumpc_cpu_current() == -1)
        rump_schedule()
        let cpu = rumpc_cpu_current()
        #expect(cpu >= 0 && Int(cpu) < Scheduler.cpuCount)
        rump_schedule()
        #expect(rumpc_cpu_current() == cpu)
        // A system call inside a scheduled section does not release the CPU.
        #expect(syscall(SYS.getpid).rv0 == 1)
        #expect(rumpc_cpu_current() == cpu)
        rump_unschedule()
        #expect(rumpc_cpu_current() == cpu)
        rump_unschedule()
        #expect(rumpc_cpu_current() == -1)
        // An unbalanced unschedule is harmless.
        rump_unschedule()
        #expect(rumpc_cpu_current() == -1)
    }

    // MARK: FileTable

    @Test("FileTable: lowest free descriptor, close, highest")
    func fileTableAllocate() throws {
        let ops = CountingOps()
        let table = FileTable()
        #expect(table.highest == -1)
        for expected: Int32 in 0...3 {
            #expect(try table.allocate(File(access: .readWrite, flags: [], ops: ops), limit: 10) == expected)
        }
        #expect(table.highest == 3)
        #expect(table.openCount == 4)
        try table.close(1)
        #expect(ops.closes == 1)
        #expect(throws: Errno.EBADF) { try table.get(1) }
        #expect(throws: Errno.EBADF) { try table.close(1) }
        #expect(throws: Errno.EBADF) { try table.close(-1) }
        #expect(throws: Errno.EBADF) { try table.close(99) }
        // The hole is the lowest free descriptor.
        #expect(try table.allocate(File(access: .readOnly, flags: [], ops: ops), limit: 10) == 1)
        #expect(try table.get(1).access == .readOnly)
        try table.close(3)
        #expect(table.highest == 2)
        #expect(table.openCount == 3)
    }

    @Test("FileTable: a minimum descriptor leaves holes that later fill")
    func fileTableMinimum() throws {
        let ops = CountingOps()
        let table = FileTable()
        #expect(try table.allocate(File(access: .readWrite, flags: [], ops: ops), minimum: 5, limit: 10) == 5)
        #expect(table.highest == 5)
        #expect(table.openCount == 1)
        #expect(throws: Errno.EBADF) { try table.get(4) }
        #expect(try table.allocate(File(access: .readWrite, flags: [], ops: ops), limit: 10) == 0)
        #expect(try table.allocate(File(access: .readWrite, flags: [], ops: ops), minimum: 5, limit: 10) == 6)
        #expect(try table.allocate(File(access: .readWrite, flags: [], ops: ops), minimum: -3, limit: 10) == 1)
    }

    @Test("FileTable: EMFILE at the descriptor limit")
    func fileTableLimit() throws {
        let ops = CountingOps()
        let table = FileTable()
        for _ in 0..<3 { _ = try table.allocate(File(access: .readWrite, flags: [], ops: ops), limit: 3) }
        #expect(throws: Errno.EMFILE) {
            try table.allocate(File(access: .readWrite, flags: [], ops: ops), limit: 3)
        }
        #expect(throws: Errno.EMFILE) {
            try table.allocate(File(access: .readWrite, flags: [], ops: ops), minimum: 7, limit: 5)
        }
        #expect(throws: Errno.EMFILE) {
            try FileTable().allocate(File(access: .readWrite, flags: [], ops: ops), limit: 0)
        }
        // The refused files were never installed, and were released.
        #expect(ops.closes == 3)
        #expect(table.openCount == 3)
        // A freed descriptor below the limit is usable again.
        try table.close(0)
        #expect(try table.allocate(File(access: .readWrite, flags: [], ops: ops), limit: 3) == 0)
    }

    @Test("FileTable: closeFrom closes everything at and above a descriptor")
    func fileTableCloseFrom() throws {
        let ops = CountingOps()
        let table = FileTable()
        for _ in 0..<6 { _ = try table.allocate(File(access: .readWrite, flags: [], ops: ops), limit: 10) }
        table.closeFrom(3)
        #expect(table.highest == 2)
        #expect(table.openCount == 3)
        #expect(ops.closes == 3)
        table.closeFrom(100)
        #expect(table.openCount == 3)
        #expect(try table.allocate(File(access: .readWrite, flags: [], ops: ops), limit: 10) == 3)
        table.closeFrom(-5)
        #expect(table.highest == -1)
        #expect(table.openCount == 0)
        #expect(ops.closes == 7)
    }

    @Test("FileTable: a file shared by two descriptors closes with the last one")
    func fileTableSharedFile() throws {
        let ops = CountingOps()
        let table = FileTable()
        do {
            let file = File(access: .readWrite, flags: [], ops: ops)
            #expect(try table.allocate(file, limit: 10) == 0)
            #expect(try table.allocate(file, limit: 10) == 1)
        }
        #expect(try table.get(0) === table.get(1))
        try table.close(0)
        #expect(ops.closes == 0)
        try table.close(1)
        #expect(ops.closes == 1)
    }

    @Test("FileTable: copy shares files, not descriptors")
    func fileTableCopy() throws {
        let ops = CountingOps()
        let table = FileTable()
        _ = try table.allocate(File(access: .readWrite, flags: [], ops: ops), limit: 10)
        _ = try table.allocate(File(access: .readWrite, flags: [], ops: ops), limit: 10, closeOnExec: true)
        let copy = table.copy()
        #expect(try copy.get(0) === table.get(0))
        #expect(try copy.closeOnExec(1))
        try copy.close(0)
        #expect(ops.closes == 0)  // still open in the original
        #expect(try table.get(0).access == .readWrite)
        try table.close(0)
        #expect(ops.closes == 1)
    }

    @Test("FileTable: close-on-exec bits and install")
    func fileTableCloseOnExecAndInstall() throws {
        let ops = CountingOps()
        let table = FileTable()
        #expect(try table.allocate(File(access: .readWrite, flags: [], ops: ops), limit: 10, closeOnExec: true) == 0)
        #expect(try table.closeOnExec(0))
        try table.setCloseOnExec(0, false)
        #expect(try !table.closeOnExec(0))
        #expect(throws: Errno.EBADF) { try table.closeOnExec(4) }
        #expect(throws: Errno.EBADF) { try table.setCloseOnExec(4, true) }
        // install replaces (and releases) what was at the descriptor.
        table.install(File(access: .writeOnly, flags: [.append], ops: ops), at: 0, closeOnExec: true)
        #expect(ops.closes == 1)
        #expect(try table.get(0).access == .writeOnly)
        #expect(try table.get(0).flags == [.append])
        #expect(try table.closeOnExec(0))
        table.install(File(access: .readOnly, flags: [], ops: ops), at: 4, closeOnExec: false)
        #expect(table.highest == 4)
        #expect(table.openCount == 2)
        table.closeAll()
        #expect(ops.closes == 3)
    }

    @Test("the console table: three descriptors on one write-only character device")
    func consoleTable() throws {
        let table = FileTable.withConsole()
        #expect(table.highest == 2)
        #expect(table.openCount == 3)
        #expect(try table.get(0) === table.get(2))
        let stat = try table.get(1).ops.stat(table.get(1), detachedLwp())
        #expect(stat.mode == 0o020600)
        #expect(stat.mode & NetBSDStat.typeMask == NetBSDStat.characterDevice)
        #expect(MemoryLayout<NetBSDStat>.size == 152)
    }
}
