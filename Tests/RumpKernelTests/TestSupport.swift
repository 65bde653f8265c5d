@testable import RumpKernel

/// An lwp in a process of its own that is not in the process table: enough for
/// kernel code that only reads its caller (sysctl leaves, uio moves) without
/// booting the kernel or touching global state.
func detachedLwp(cred: Cred = .root, pid: Int32 = 29_999) -> Lwp {
    let state = ProcState(cred: cred, limits: .initial(memory: 1 << 30), comm: "unittest", setugid: false)
    let session = Session(sid: 0, login: [UInt8](repeating: 0, count: maxLoginName))
    let proc = Proc(pid: pid, parentPid: 1, pgid: 0, session: session, state: state, files: FileTable())
    return Lwp(proc: proc, lid: 1, implicit: false)
}
