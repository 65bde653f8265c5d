@preconcurrency import CRump

/// NetBSD's `struct kinfo_proc2` (sys/sysctl.h), the record `kern.proc2`
/// returns: 680 bytes on amd64, every field at its natural alignment with no
/// padding. NetBSD only ever appends fields, and a caller names the record
/// size it knows, so older and newer callers both work. Field names are
/// NetBSD's; the unit tests check the size and the offsets.
struct KinfoProc2 {
    typealias Bytes8 = (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
    typealias Bytes16 = (Bytes8, Bytes8)
    typealias Bytes24 = (Bytes8, Bytes8, Bytes8)
    /// `ki_sigset_t`: signal n is bit n - 1.
    typealias SigSet = (UInt32, UInt32, UInt32, UInt32)
    /// KI_NGROUPS (16) group ids.
    typealias Groups = (SigSet, SigSet, SigSet, SigSet)

    // Kernel addresses (left 0: a rump kernel's are the host's).
    var p_forw: UInt64
    var p_back: UInt64
    var p_paddr: UInt64
    var p_addr: UInt64
    var p_fd: UInt64
    var p_cwdi: UInt64
    var p_stats: UInt64
    var p_limit: UInt64
    var p_vmspace: UInt64
    var p_sigacts: UInt64
    var p_sess: UInt64
    var p_tsess: UInt64
    var p_ru: UInt64

    var p_eflag: Int32
    var p_exitsig: Int32
    var p_flag: Int32
    var p_pid: Int32
    var p_ppid: Int32
    var p_sid: Int32
    var p__pgid: Int32
    var p_tpgid: Int32
    var p_uid: UInt32
    var p_ruid: UInt32
    var p_gid: UInt32
    var p_rgid: UInt32
    var p_groups: Groups
    var p_ngroups: Int16
    var p_jobc: Int16
    var p_tdev: UInt32

    var p_estcpu: UInt32
    var p_rtime_sec: UInt32
    var p_rtime_usec: UInt32
    var p_cpticks: Int32
    var p_pctcpu: UInt32
    var p_swtime: UInt32
    var p_slptime: UInt32
    var p_schedflags: Int32
    var p_uticks: UInt64
    var p_sticks: UInt64
    var p_iticks: UInt64
    var p_tracep: UInt64
    var p_traceflag: Int32
    var p_holdcnt: Int32

    var p_siglist: SigSet
    var p_sigmask: SigSet
    var p_sigignore: SigSet
    var p_sigcatch: SigSet

    var p_stat: Int8
    var p_priority: UInt8
    var p_usrpri: UInt8
    var p_nice: UInt8
    var p_xstat: UInt16
    var p_acflag: UInt16
    var p_comm: Bytes24
    var p_wmesg: Bytes8
    var p_wchan: UInt64
    var p_login: Bytes24

    var p_vm_rssize: Int32
    var p_vm_tsize: Int32
    var p_vm_dsize: Int32
    var p_vm_ssize: Int32
    var p_uvalid: Int64
    var p_ustart_sec: UInt32
    var p_ustart_usec: UInt32
    var p_uutime_sec: UInt32
    var p_uutime_usec: UInt32
    var p_ustime_sec: UInt32
    var p_ustime_usec: UInt32

    var p_uru_maxrss: UInt64
    var p_uru_ixrss: UInt64
    var p_uru_idrss: UInt64
    var p_uru_isrss: UInt64
    var p_uru_minflt: UInt64
    var p_uru_majflt: UInt64
    var p_uru_nswap: UInt64
    var p_uru_inblock: UInt64
    var p_uru_oublock: UInt64
    var p_uru_msgsnd: UInt64
    var p_uru_msgrcv: UInt64
    var p_uru_nsignals: UInt64
    var p_uru_nvcsw: UInt64
    var p_uru_nivcsw: UInt64

    var p_uctime_sec: UInt32
    var p_uctime_usec: UInt32
    var p_cpuid: UInt64
    var p_realflag: UInt64
    var p_nlwps: UInt64
    var p_nrlwps: UInt64
    var p_realstat: UInt64
    var p_svuid: UInt32
    var p_svgid: UInt32
    var p_ename: Bytes16
    var p_vm_vsize: Int64
    var p_vm_msize: Int64

    /// NetBSD's sizeof(struct kinfo_proc2) on amd64.
    static let netbsdSize = 680

    /// A record of zeros, as NetBSD clears one before filling it.
    static var zero: KinfoProc2 {
        withUnsafeTemporaryAllocation(byteCount: MemoryLayout<KinfoProc2>.size,
                                      alignment: MemoryLayout<KinfoProc2>.alignment) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            return raw.load(as: KinfoProc2.self)
        }
    }
}

/// `kern.proc2` (CTL_KERN 47): the process table as an array of
/// `struct kinfo_proc2`, the way NetBSD's ps(1) reads it. The name goes on
/// with four numbers: which processes (`op`), its argument, the record size
/// the caller knows and the most records it wants.
///
/// As NetBSD's `sysctl_doeproc`: a name of any other length, or an unknown
/// op, is EINVAL. Each record takes `elemsize` bytes of the buffer, of which
/// the first min(elemsize, 680) are written (the rest is left as it was).
/// Records are written while a whole `elemsize` fits and fewer than
/// `elemcount` were written; the reported length is what was written, and
/// ENOMEM if a matching process did not get a record. Without a buffer the
/// length is the records' size plus some slack for processes made before
/// the caller reads. Processes are listed newest first, as NetBSD's
/// `allproc` list, ending with pid 1 and pid 0 (here: by pid, highest first,
/// which is the same order until pids wrap). A new value is ignored.
enum SysctlProc {
    static let kernProc2: Int32 = 47

    /// KERN_PROC_* (sys/sysctl.h).
    enum Op: Int32 {
        case all = 0, pid, pgrp, session, tty, uid, ruid, gid, rgid
    }

    /// KERN_PROC_TTY's argument for "no controlling terminal" (NODEV as an int).
    static let ttyNodev: Int32 = -1

    /// Slack added to a size probe. NetBSD adds five of its kernel-internal
    /// `struct kinfo_proc`, whose size depends on its kernel build; room for
    /// five more records serves the same purpose.
    static let sizeProbeSlop = 5 * KinfoProc2.netbsdSize

    // Values in the record (sys/sysctl.h, sys/proc.h, sys/lwp.h, sys/param.h).
    static let lInMem: Int32 = 0x4  // L_INMEM: a process is never swapped out
    static let pSugid: Int32 = 0x100  // P_SUGID: changed identity
    static let lSystem: Int32 = 0x200  // L_SYSTEM: a kernel lwp
    static let eprocSessionLeader: Int32 = 0x2  // EPROC_SLEADER
    static let sActive: UInt64 = 2  // SACTIVE, the process state of a live process
    static let lsRun: Int8 = 2  // LSRUN
    static let lsStop: Int8 = 4  // LSSTOP
    static let lsOnProc: Int8 = 7  // LSONPROC
    static let noPgid: Int32 = -1  // NO_PGID: no terminal process group
    static let nodev: UInt32 = 0xFFFF_FFFF  // NODEV, truncated as NetBSD stores it
    static let nzero: UInt8 = 20  // NZERO, the nice value every rump process has
    static let maxComLen = 16  // MAXCOMLEN: p_comm holds this much of the name
    static let maxLogName = 16  // MAXLOGNAME: the session's login buffer

    /// What the table says about one process, taken under its lock.
    struct Entry {
        let proc: Proc
        let pid: Int32
        let parentPid: Int32
        let pgid: Int32
        let session: Session
        /// NetBSD's p_nlwps.
        let lwps: Int
        /// Some lwp of the process is a host thread's current lwp.
        let onThread: Bool
        /// Some lwp of the process is no host thread's current lwp.
        let offThread: Bool
    }

    /// What the process's own lock guards.
    struct Identity {
        let cred: Cred
        let comm: String
        let setugid: Bool
    }

    static func proc2(_ l: Lwp, _ rest: [Int32], _ oldp: UnsafeMutableRawPointer?,
                      _ oldlen: inout Int) throws(Errno) {
        guard rest.count == 4, let op = Op(rawValue: rest[0]) else { throw .EINVAL }
        let arg = rest[1]
        // Both are unsigned in NetBSD: a negative size fits no buffer.
        let elemSize = Int(UInt32(bitPattern: rest[2]))
        var elemCount = Int(UInt32(bitPattern: rest[3]))

        var room = oldp == nil ? 0 : oldlen
        var written = 0
        var needed = 0
        for (entry, identity) in processes(op, arg) {
            if room >= elemSize && elemCount > 0 {
                var record = self.record(entry, identity, caller: l)
                let destination = UnsafeMutableRawPointer(
                    bitPattern: UInt(bitPattern: oldp) &+ UInt(written))
                try withUnsafeBytes(of: &record) { (bytes) throws(Errno) in
                    try copyout(l, from: bytes.baseAddress.unsafelyUnwrapped, to: destination,
                                count: min(bytes.count, elemSize))
                }
                written += elemSize
                room -= elemSize
                elemCount -= 1
            }
            needed += elemSize
        }
        if oldp == nil {
            oldlen = needed + sizeProbeSlop
        } else {
            oldlen = written
            if needed > written { throw .ENOMEM }
        }
    }

    /// The processes `op` selects, highest pid first.
    static func processes(_ op: Op, _ arg: Int32) -> [(Entry, Identity)] {
        let entries = procTable.withLock { state -> [Entry] in
            var onThread = Set<ObjectIdentifier>()
            var offThread = Set<ObjectIdentifier>()
            for lwp in state.lwps.values where !lwp.isImplicit {
                if lwp.onThread {
                    onThread.insert(ObjectIdentifier(lwp.proc))
                } else {
                    offThread.insert(ObjectIdentifier(lwp.proc))
                }
            }
            return state.procs.values.map { p in
                let id = ObjectIdentifier(p)
                return Entry(proc: p, pid: p.pid, parentPid: p.parentPid, pgid: p.pgid, session: p.session,
                             lwps: p.lwpCount, onThread: onThread.contains(id), offThread: offThread.contains(id))
            }
        }
        let id = UInt32(bitPattern: arg)
        return entries.sorted { $0.pid > $1.pid }.compactMap { entry -> (Entry, Identity)? in
            let identity = entry.proc.state.withLock {
                Identity(cred: $0.cred, comm: $0.comm, setugid: $0.setugid)
            }
            let match: Bool
            switch op {
            case .all: match = true
            case .pid: match = entry.pid == arg
            case .pgrp: match = entry.pgid == arg
            case .session: match = entry.session.sid == arg
            case .tty: match = arg == ttyNodev  // no process has a controlling terminal
            case .uid: match = identity.cred.euid == id
            case .ruid: match = identity.cred.uid == id
            case .gid: match = identity.cred.egid == id
            case .rgid: match = identity.cred.gid == id
            }
            return match ? (entry, identity) : nil
        }
    }

    /// The record for one process, as the caller `l` sees it.
    static func record(_ e: Entry, _ identity: Identity, caller l: Lwp) -> KinfoProc2 {
        var k = KinfoProc2.zero
        let p = e.proc
        let cred = identity.cred
        let isCaller = l.proc === p
        let isKernel = e.pid == 0

        k.p_pid = e.pid
        k.p_ppid = e.parentPid
        k.p__pgid = e.pgid
        k.p_sid = e.session.sid
        k.p_tpgid = noPgid
        k.p_tdev = nodev
        // Session 0 has no leader, as NetBSD's session0; setsid makes one.
        if e.session.sid == e.pid && !isKernel { k.p_eflag |= eprocSessionLeader }

        k.p_uid = cred.euid
        k.p_ruid = cred.uid
        k.p_svuid = cred.svuid
        k.p_gid = cred.egid
        k.p_rgid = cred.gid
        k.p_svgid = cred.svgid
        k.p_ngroups = Int16(cred.groups.count)
        store(cred.groups.prefix(Cred.maxGroups).flatMap { g in withUnsafeBytes(of: g) { Array($0) } },
              in: &k.p_groups)

        // p_realflag has the process's flags, p_flag also its lwp's: the
        // kernel's process runs kernel lwps (NetBSD's LW_SYSTEM).
        var flags = lInMem
        if identity.setugid { flags |= pSugid }
        k.p_realflag = UInt64(UInt32(bitPattern: flags))
        if isKernel { flags |= lSystem }
        k.p_flag = flags

        // The state of the process's most active lwp (NetBSD ranks
        // LSONPROC, then LSRUN, then LSSTOP), as a rump kernel leaves them:
        // the caller's is on a CPU, and so is pid 0's lwp0 (the context that
        // serves threads entering without an lwp); one switched away from
        // is runnable; one a host thread holds outside the kernel is
        // stopped (rump_unschedule leaves LSSTOP). A process without lwps
        // shows its own state, SACTIVE, which is the same number as LSRUN.
        if isCaller || isKernel {
            k.p_stat = lsOnProc
        } else if e.onThread && !e.offThread {
            k.p_stat = lsStop
        } else {
            k.p_stat = lsRun
        }
        k.p_realstat = sActive
        // NetBSD counts proc0's lwp0 and an lwp made for an entry without
        // one (the caller's implicit lwp) among the process's lwps.
        var lwps = e.lwps
        if isKernel { lwps += 1 }
        if isCaller && l.isImplicit { lwps += 1 }
        k.p_nlwps = UInt64(lwps)
        k.p_nrlwps = isCaller || isKernel ? 1 : 0
        if isCaller { k.p_cpuid = UInt64(max(rumpc_cpu_current(), 0)) }
        k.p_nice = nzero

        // NetBSD reports the lwps' pending signals in p_siglist and adds the
        // process's own pending set to the mask; here all pending signals are
        // the process's.
        let blocked = p.signals.blocked.load(ordering: .relaxed)
        let pending = p.signals.pending.load(ordering: .relaxed)
        k.p_sigmask = sigset(blocked | pending)

        store(identity.comm.utf8.prefix(maxComLen), in: &k.p_comm)
        store("netbsd".utf8, in: &k.p_ename)
        let login = e.session.login.withLock { $0 }
        store(login.prefix(maxLogName).prefix { $0 != 0 }, in: &k.p_login)

        k.p_uvalid = 1
        k.p_ustart_sec = UInt32(truncatingIfNeeded: p.startTime.tv_sec)
        k.p_ustart_usec = UInt32(truncatingIfNeeded: p.startTime.tv_nsec / 1000)
        return k
    }

    /// A `ki_sigset_t` for a 64-bit signal set (signal n is bit n - 1).
    static func sigset(_ bits: UInt64) -> KinfoProc2.SigSet {
        (UInt32(truncatingIfNeeded: bits), UInt32(truncatingIfNeeded: bits >> 32), 0, 0)
    }

    /// Copy `bytes` into the start of a fixed-size field (what does not fit
    /// is dropped; the rest of the field keeps its zeros).
    static func store<T>(_ bytes: some Sequence<UInt8>, in field: inout T) {
        withUnsafeMutableBytes(of: &field) { buffer in
            for (i, b) in zip(buffer.indices, bytes) { buffer[i] = b }
        }
    }
}
