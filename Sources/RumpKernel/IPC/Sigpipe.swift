import Glibc

/// SIGPIPE for a write that found no reader (NetBSD's dofilewrite posts it
/// unless the file has O_NOSIGPIPE), delivered as the boot-time signal model
/// says, like the reference's rumpsig handlers:
/// - RAISE (the default) and the compat value 2: raised in the host process;
/// - PANIC: SIGPIPE is one of the two signals it lets pass (with SIGSYS);
/// - IGNORE: nothing;
/// - RECORD: would mark it pending in the process; until processes keep
///   pending signals it is dropped.
///
/// NOTE: when the signal subsystem lands, route this through its psignal.
func postSigpipe(_ l: Lwp) {
    switch Boot.sigmodel {
    case SignalModel.raise, SignalModel.hostCompat:
        raise(SIGPIPE)
    default:
        break
    }
}

/// `enum rump_sigmodel` values.
private enum SignalModel {
    static let panic: Int32 = 0
    static let ignore: Int32 = 1
    static let hostCompat: Int32 = 2
    static let raise: Int32 = 3
    static let record: Int32 = 4
}
