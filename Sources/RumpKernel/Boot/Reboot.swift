@preconcurrency import CRump
import Glibc

/// Halting the kernel. A rump kernel cannot reboot: `reboot` halts it and
/// ends the host process, as the reference does.
enum Halt {
    /// RB_DUMP: halt with a core dump (abort) instead of a clean exit.
    static let rbDump: Int32 = 0x100

    static func halt(howto: Int32) -> Never {
        let say = { (s: String) in s.withCString { rumpc_write_stdout($0, strlen($0)) } }
        say("rump kernel halting...\n")
        say("syncing disks... done\n")
        // In-memory file systems have nothing to write back.
        say("unmounting file systems...\n")
        say("unmounting done\n")
        say("halted\n")
        // A remote client that asked for this still gets its answer, and the
        // server's socket file goes.
        rumpc_sp_fini()
        if howto & rbDump != 0 { abort() }
        exit(0)
    }
}

/// `reboot(opt, bootstr)`: root only; halts the kernel and exits the host
/// process (status 0; RB_DUMP aborts).
func sys_reboot(_ l: Lwp, _ uap: sys_reboot_args) throws(Errno) -> SyscallResult {
    guard l.proc.cred.isRoot else { throw .EPERM }
    Halt.halt(howto: uap.opt)
}
