import Glibc

/// SIGPIPE for a write that found no reader (NetBSD's dofilewrite posts it
/// unless the file has O_NOSIGPIPE), delivered as the boot-time signal model
/// says, like the reference's rumpsig handlers:
/// - RAISE (the default) and the compat value 2: raised in the host process;
/// - PANIC: SIGPIPE is one of the two signals it lets pass (with SIGSYS);
/// - IGNORE: nothing;
/// - RECORD: marked pending in the process.
/// Through the signal subsystem's delivery (Signal/SignalDelivery.swift),
/// so a SIGPIPE the process blocks under RAISE waits pending.
func postSigpipe(_ l: Lwp) {
    SignalDelivery.post(l.proc, Sig.pipe)
}
