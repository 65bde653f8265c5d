@testable import RumpKernel

/// An lwp in a process of its own that is not in the process table: enough for
/// kernel code that only reads its caller (sysctl leaves, uio moves) without
/// booting the kernel or touching global state.
func detachedLwp(cred: Cred = .root, pid: Int32 = 29_999) -> Lwp {
    let state = ProcState(cred: cred, limits: .initial(memory: 1 << 30), comm: "unittest",
                          login: "root", setugid: false)
    let proc = Proc(pid: pid, parentPid: 1, pgid: 0, sid: 0, state: state, files: FileTable())
    return Lwp(proc: proc, lid: 1, implicit: false)
}
