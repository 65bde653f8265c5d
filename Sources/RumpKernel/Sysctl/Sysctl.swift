import Glibc

/// The kernel's own sysctl nodes: identification (`kern.*`) and hardware
/// (`hw.*`), with NetBSD's numbers.
enum Sysctl {
    static let ctlKern: Int32 = 1
    static let ctlVm: Int32 = 2
    static let ctlVfs: Int32 = 3
    static let ctlNet: Int32 = 4
    static let ctlDebug: Int32 = 5
    static let ctlHw: Int32 = 6
    static let ctlMachdep: Int32 = 7
    static let ctlUser: Int32 = 8
    static let ctlProc: Int32 = 10
    static let ctlSecurity: Int32 = 13

    /// Build the tree at boot.
    static func setUp() {
        do {
            for (number, name) in [(ctlKern, "kern"), (ctlVm, "vm"), (ctlVfs, "vfs"), (ctlNet, "net"),
                                   (ctlDebug, "debug"), (ctlHw, "hw"), (ctlMachdep, "machdep"),
                                   (ctlUser, "user"), (ctlProc, "proc"), (ctlSecurity, "security")] {
                try SysctlTree.addDirectory([], number, name)
            }
            try addKern()
            try addHw()
        } catch {
            fatalError("sysctl: cannot build the kernel's tree: \(error)")
        }
    }

    private static func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

    private static func addKern() throws(Errno) {
        let k = [ctlKern]
        let version = "NetBSD \(Boot.osRelease) (\(Boot.kernelIdent)) librump in Swift\n"
        try SysctlTree.addLeaf(k, 1, "ostype", .string { utf8("NetBSD") })
        try SysctlTree.addLeaf(k, 2, "osrelease", .string { utf8(Boot.osRelease) })
        try SysctlTree.addLeaf(k, 3, "osrevision", .int { Boot.netbsdVersion })
        try SysctlTree.addLeaf(k, 4, "version", .string { utf8(version) })
        try SysctlTree.addLeaf(k, 6, "maxproc", .int { 532 })
        try SysctlTree.addLeaf(k, 7, "maxfiles", .int { 1772 })
        try SysctlTree.addLeaf(k, 8, "argmax", .int { 262_144 })
        try SysctlTree.addLeaf(k, 10, "hostname", .string(
            capacity: KernelInfo.maxHostnameLength, get: { KernelInfo.hostname },
            set: { KernelInfo.setHostname($0) }))
        try SysctlTree.addLeaf(k, 18, "ngroups", .int { Int32(Cred.maxGroups) })
        try SysctlTree.addLeaf(k, 19, "job_control", .int { 1 })
        try SysctlTree.addLeaf(k, 20, "saved_ids", .int { 1 })
        try SysctlTree.addLeaf(k, 22, "domainname", .string(
            capacity: KernelInfo.maxHostnameLength, get: { KernelInfo.domainname },
            set: { KernelInfo.setDomainname($0) }))
        try SysctlTree.addLeaf(k, 38, "iov_max", .int { 1024 })
        try SysctlTree.addLeaf(k, 44, "login_name_max", .int { 17 })
        try SysctlTree.addHandler(k, SysctlProc.kernProc2, "proc2", SysctlHandler {
            l, rest, oldp, oldlen throws(Errno) in try SysctlProc.proc2(l, rest, oldp, &oldlen)
        })
        try SysctlTree.addLeaf(k, 83, "boottime", .structure(size: 16) {
            // NetBSD's struct timespec: int64 seconds, long nanoseconds.
            let t = Boot.bootTime
            return withUnsafeBytes(of: (Int64(t.tv_sec), Int64(t.tv_nsec))) { Array($0) }
        })
    }

    private static func addHw() throws(Errno) {
        let h = [ctlHw]
        try SysctlTree.addLeaf(h, 1, "machine", .string { utf8("amd64") })
        try SysctlTree.addLeaf(h, 2, "model", .string { utf8("rump virtual cpu") })
        try SysctlTree.addLeaf(h, 3, "ncpu", .int { Int32(Scheduler.cpuCount) })
        try SysctlTree.addLeaf(h, 4, "byteorder", .int { 1234 })
        try SysctlTree.addLeaf(h, 7, "pagesize", .int { KernelInfo.pageSize })
        try SysctlTree.addLeaf(h, 10, "machine_arch", .string { utf8("x86_64") })
        try SysctlTree.addLeaf(h, 13, "physmem64", .quad {
            Int64(Boot.params.memoryLimit ?? KernelInfo.hostMemory)
        })
    }
}
