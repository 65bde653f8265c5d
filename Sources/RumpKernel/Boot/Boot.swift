@preconcurrency import CRump
import Glibc
import Synchronization

/// Kernel boot: parameters, the first processes, the system call table.
public enum Boot {
    /// `__NetBSD_Version__` of the kernel interface this library provides.
    public static let netbsdVersion: Int32 = 799_003_400
    /// `kern.osrelease`.
    public static let osRelease = "7.99.34"
    /// The kernel configuration name NetBSD's rump kernels report.
    static let kernelIdent = "RUMP-ROAST"

    /// NetBSD boot flags (`boothowto`): `AB_SILENT` unless set before boot.
    static let abQuiet: Int32 = 0x10000
    static let abVerbose: Int32 = 0x20000
    static let abSilent: Int32 = 0x40000

    private struct State: ~Copyable {
        var booted = false
        var howto = Boot.abSilent
        var sigmodel: Int32 = 3  // RUMP_SIGMODEL_RAISE
        var pendingEtfs: [UnsafeMutableRawPointer] = []
    }

    private static let state = Mutex(State())

    /// Set once boot completes; read without the lock afterwards.
    nonisolated(unsafe) private(set) static var isBooted = false
    nonisolated(unsafe) private(set) static var isVerbose = false
    nonisolated(unsafe) private(set) static var params: BootParams! = nil
    /// Realtime clock at boot (`kern.boottime`).
    nonisolated(unsafe) private(set) static var bootTime = timespec()

    /// Boot the kernel once; later calls return 0 at once.
    static func boot() -> Int32 {
        state.withLock { s -> Int32 in
            if s.booted { return 0 }
            let params: BootParams
            do {
                params = try BootParams()
            } catch {
                Console.warn("rump_init: bad boot parameter \(error)")
                return Errno.EINVAL.rawValue
            }
            Boot.params = params
            isVerbose = params.verbose || s.howto & abVerbose != 0
            clock_gettime(CLOCK_REALTIME, &bootTime)

            announce(params)
            Scheduler.configure(cpus: params.cpus)
            rumpc_kmem_limit = params.memoryLimit ?? 0
            KernelInfo.setHostname(params.hostname)
            makeFirstProcesses(memory: params.memoryLimit ?? KernelInfo.hostMemory)
            Sysctl.setUp()
            SyscallTable.install(provider: .kern)
            Components.attachFaction[.factionVfs] = { VFS.attach() }
            Components.attachFaction[.factionNet] = { NetFaction.attach() }
            do throws(Errno) {
                try Components.boot()
            } catch {
                return error.rawValue
            }
            BootEtfs.run()

            s.booted = true
            isBooted = true
            Console.message("rump kernel booted: \(params.cpus) virtual CPU(s), pid 1 ready")
            return 0
        }
    }

    private static func announce(_ params: BootParams) {
        Console.message("NetBSD \(osRelease) (\(kernelIdent)) rump kernel, librump in Swift")
        if let limit = params.memoryLimit {
            Console.message("total memory = \(limit / 1024) KB")
        } else {
            Console.message("total memory = unlimited (host limit)")
        }
        Console.message("timecounter: Timecounter \"rumpclk\" frequency 1000000000 Hz quality 0")
        for cpu in 0..<params.cpus {
            Console.message("cpu\(cpu) at thinair0: rump virtual cpu")
        }
        if !params.threads { Console.message("kernel threads disabled (RUMP_THREADS=0)") }
    }

    /// pid 0, the kernel's own process, and pid 1, where implicit lwps run.
    private static func makeFirstProcesses(memory: UInt64) {
        let base = ProcState(cred: .root, limits: .initial(memory: memory), comm: "system",
                             setugid: false)
        // Session 0 has no login name, as NetBSD's.
        let session0 = Session(sid: 0, login: [UInt8](repeating: 0, count: maxLoginName))
        let p0 = Proc(pid: 0, parentPid: 0, pgid: 0, session: session0, state: base, files: FileTable())
        var local = base
        local.comm = "rumplocal"
        let p1 = Proc(pid: 1, parentPid: 0, pgid: 0, session: session0, state: local, files: .withConsole())
        procTable.withLock { table in
            table.procs[0] = p0
            table.procs[1] = p1
            table.lastPid = 1
        }
        proc0 = p0
        proc1 = p1
    }

    static var howto: Int32 { state.withLock { $0.howto } }

    static func setHowto(_ value: Int32) {
        state.withLock { $0.howto = value }
    }

    static var sigmodel: Int32 { state.withLock { $0.sigmodel } }

    static func setSigmodel(_ value: Int32) {
        state.withLock { $0.sigmodel = value }
    }
}

// MARK: C entry points

/// Boot the rump kernel in this process. Idempotent: later calls return 0.
@c(rump_init)
public func rump_init() -> Int32 {
    Boot.boot()
}

/// The historic name of `rump_init`.
@c(rump__init)
public func rump__init(_ unused: Int32) -> Int32 {
    Boot.boot()
}

@c(rump_getversion)
public func rump_getversion() -> Int32 { Boot.netbsdVersion }

@c(rump_pub_getversion)
public func rump_pub_getversion() -> Int32 { Boot.netbsdVersion }

/// amd64 kernels use the host's native NetBSD ABI, as the reference reports.
@c(rump_nativeabi_p)
public func rump_nativeabi_p() -> Int32 { 1 }

@c(rump_boot_gethowto)
public func rump_boot_gethowto() -> Int32 { Boot.howto }

@c(rump_boot_sethowto)
public func rump_boot_sethowto(_ howto: Int32) { Boot.setHowto(howto) }

@c(rump_boot_setsigmodel)
public func rump_boot_setsigmodel(_ model: Int32) { Boot.setSigmodel(model) }
