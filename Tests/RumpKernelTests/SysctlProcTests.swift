import Testing

@testable import RumpKernel

/// kern.proc2's record and the handler nodes it hangs on. These tests build
/// their records from detached processes and never read the process table.
@Suite("kern.proc2")
struct SysctlProcTests {
    @Test("struct kinfo_proc2 has NetBSD's amd64 size, 680 (0x2a8) bytes")
    func size() {
        #expect(MemoryLayout<KinfoProc2>.size == 680)
        #expect(MemoryLayout<KinfoProc2>.stride == 680)
        #expect(MemoryLayout<KinfoProc2>.alignment == 8)
        #expect(KinfoProc2.netbsdSize == MemoryLayout<KinfoProc2>.size)
    }

    @Test("fields sit at NetBSD's offsets")
    func offsets() {
        let expected: [(PartialKeyPath<KinfoProc2>, Int)] = [
            (\.p_forw, 0), (\.p_ru, 96), (\.p_eflag, 104), (\.p_flag, 112), (\.p_pid, 116),
            (\.p_ppid, 120), (\.p_sid, 124), (\.p__pgid, 128), (\.p_tpgid, 132), (\.p_uid, 136),
            (\.p_rgid, 148), (\.p_groups, 152), (\.p_ngroups, 216), (\.p_jobc, 218), (\.p_tdev, 220),
            (\.p_estcpu, 224), (\.p_schedflags, 252), (\.p_uticks, 256), (\.p_tracep, 280),
            (\.p_traceflag, 288), (\.p_holdcnt, 292), (\.p_siglist, 296), (\.p_sigmask, 312),
            (\.p_sigcatch, 344), (\.p_stat, 360), (\.p_nice, 363), (\.p_xstat, 364), (\.p_acflag, 366),
            (\.p_comm, 368), (\.p_wmesg, 392), (\.p_wchan, 400), (\.p_login, 408), (\.p_vm_rssize, 432),
            (\.p_uvalid, 448), (\.p_ustart_sec, 456), (\.p_ustart_usec, 460), (\.p_ustime_usec, 476),
            (\.p_uru_maxrss, 480), (\.p_uru_nivcsw, 584), (\.p_uctime_sec, 592), (\.p_cpuid, 600),
            (\.p_realflag, 608), (\.p_nlwps, 616), (\.p_nrlwps, 624), (\.p_realstat, 632),
            (\.p_svuid, 640), (\.p_svgid, 644), (\.p_ename, 648), (\.p_vm_vsize, 664), (\.p_vm_msize, 672),
        ]
        for (path, offset) in expected {
            #expect(MemoryLayout<KinfoProc2>.offset(of: path) == offset, "\(path)")
        }
    }

    private func entry(_ lwp: Lwp, sid: Int32 = 0) -> SysctlProc.Entry {
        let p = lwp.proc
        return SysctlProc.Entry(proc: p, pid: p.pid, parentPid: p.parentPid, pgid: p.pgid,
                                session: Session(sid: sid, login: Array("operator".utf8) + [0]),
                                lwps: 1, onThread: false, offThread: true)
    }

    private func string<T>(_ field: T) -> String {
        withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    @Test("a record carries the process's identity")
    func record() {
        var cred = Cred(uid: 1000, gid: 100, groups: [5, 6, 7])
        cred.euid = 1001
        cred.svuid = 1002
        let caller = detachedLwp(pid: 29_001)
        let other = detachedLwp(cred: cred, pid: 29_002)
        let identity = SysctlProc.Identity(cred: cred, comm: "a-very-long-command-name", setugid: true)
        let k = SysctlProc.record(entry(other, sid: 29_002), identity, caller: caller)
        #expect(k.p_pid == 29_002)
        #expect(k.p_ppid == 1)
        #expect(k.p_sid == 29_002)
        #expect(k.p_eflag == 0x2)  // EPROC_SLEADER
        #expect(k.p_uid == 1001 && k.p_ruid == 1000 && k.p_svuid == 1002)
        #expect(k.p_gid == 100 && k.p_rgid == 100 && k.p_svgid == 100)
        #expect(k.p_ngroups == 3)
        #expect(k.p_groups.0.0 == 5 && k.p_groups.0.1 == 6 && k.p_groups.0.2 == 7 && k.p_groups.0.3 == 0)
        // MAXCOMLEN: 16 bytes of the name, then NULs.
        #expect(string(k.p_comm) == "a-very-long-comm")
        #expect(string(k.p_login) == "operator")
        #expect(string(k.p_ename) == "netbsd")
        #expect(k.p_flag == 0x104 && k.p_realflag == 0x104)  // L_INMEM | P_SUGID
        #expect(k.p_stat == 2 && k.p_realstat == 2)  // LSRUN, SACTIVE
        #expect(k.p_nlwps == 1)
        #expect(k.p_tdev == 0xFFFF_FFFF && k.p_tpgid == -1 && k.p_nice == 20)
        #expect(k.p_uvalid == 1)
        #expect(Int(k.p_ustart_sec) == other.proc.startTime.tv_sec)
        #expect(Int(k.p_ustart_usec) == other.proc.startTime.tv_nsec / 1000)
        #expect(k.p_paddr == 0 && k.p_wchan == 0)
    }

    @Test("the caller's process is on a CPU; one held by a thread outside the kernel is stopped")
    func states() {
        let caller = detachedLwp(pid: 29_003)
        let identity = SysctlProc.Identity(cred: .root, comm: "x", setugid: false)
        let own = SysctlProc.record(entry(caller), identity, caller: caller)
        #expect(own.p_stat == 7)  // LSONPROC
        #expect(own.p_nrlwps == 1)
        #expect(own.p_eflag == 0)  // session 0 has no leader
        #expect(own.p_flag == 0x4 && own.p_realflag == 0x4)

        let other = detachedLwp(pid: 29_004)
        let p = other.proc
        let held = SysctlProc.Entry(proc: p, pid: p.pid, parentPid: 1, pgid: 0, session: p.session,
                                    lwps: 1, onThread: true, offThread: false)
        #expect(SysctlProc.record(held, identity, caller: caller).p_stat == 4)  // LSSTOP
        let mixed = SysctlProc.Entry(proc: p, pid: p.pid, parentPid: 1, pgid: 0, session: p.session,
                                     lwps: 2, onThread: true, offThread: true)
        #expect(SysctlProc.record(mixed, identity, caller: caller).p_stat == 2)  // LSRUN ranks higher
    }

    @Test("signal sets: signal n is bit n - 1 of four 32-bit words")
    func sigsets() {
        let s = SysctlProc.sigset(Sig.bit(1) | Sig.bit(33) | Sig.bit(64))
        #expect(s.0 == 1 && s.1 == 0x8000_0001 && s.2 == 0 && s.3 == 0)
    }

    @Test("a name of other than four numbers below kern.proc2, or an unknown op, is EINVAL")
    func badNames() {
        let lwp = detachedLwp()
        for rest: [Int32] in [[], [0], [0, 0, 680], [0, 0, 680, 1, 0], [9, 0, 680, 1], [-1, 0, 680, 1]] {
            var oldlen = 99
            #expect(throws: Errno.EINVAL) { try SysctlProc.proc2(lwp, rest, nil, &oldlen) }
            #expect(oldlen == 99)
        }
    }

    @Test("a handler node takes the rest of the name, however long")
    func handlerNodes() throws {
        let top: Int32 = 4260
        let handler = SysctlHandler { _, rest, _, oldlen in oldlen = rest.count }
        try SysctlTree.addDirectory([], top, "unittest_handlers")
        try SysctlTree.addHandler([top], 1, "node", handler)
        guard case .handler(_, let rest) = try SysctlTree.target(at: [top, 1, 5, -6, 7]) else {
            Issue.record("not a handler")
            return
        }
        #expect(rest == [5, -6, 7])
        guard case .handler(_, let none) = try SysctlTree.target(at: [top, 1]) else {
            Issue.record("not a handler")
            return
        }
        #expect(none.isEmpty)
        #expect(SysctlTree.names(of: [top, 1]) == ["unittest_handlers", "node"])
        // A handler has no value of its own to read as a leaf.
        #expect(throws: Errno.ENOTDIR) { try SysctlTree.leaf(at: [top, 1]) }
        #expect(throws: Errno.EEXIST) { try SysctlTree.addLeaf([top], 2, "node", .int { 1 }) }
        try SysctlTree.remove([top, 1])
        #expect(throws: Errno.ENOENT) { try SysctlTree.target(at: [top, 1, 5]) }
    }
}
