import Glibc

/// The console device behind descriptors 0, 1 and 2 of the first process: a
/// write-only character device whose output goes to the host's stdout through
/// stdio, so that it interleaves with the program's own printf output.
final class ConsoleOps: FileOps {
    static let shared = ConsoleOps()

    func read(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno) {
        throw .EBADF
    }

    func write(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno) {
        try withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 16) { (buffer) throws(Errno) in
            let base = buffer.baseAddress.unsafelyUnwrapped
            while uio.residual > 0 {
                let n = try uio.move(base, count: min(buffer.count, uio.residual))
                fwrite(base, 1, n, stdout)
            }
        }
        fflush(stdout)
    }

    /// The console takes no ioctl, not even FIONBIO: F_SETFL O_NONBLOCK on it
    /// fails with ENOTTY, as the reference's does.
    func ioctl(_ file: File, _ l: Lwp, _ command: UInt, _ data: UnsafeMutableRawPointer?) throws(Errno) {
        throw .ENOTTY
    }

    func stat(_ file: File, _ l: Lwp) throws(Errno) -> NetBSDStat {
        var st = NetBSDStat()
        st.mode = NetBSDStat.characterDevice | 0o600
        st.nlink = 1
        st.blksize = 4096
        return st
    }
}

extension FileTable {
    /// A table whose descriptors 0, 1 and 2 are the console.
    static func withConsole() -> FileTable {
        let console = File(access: .writeOnly, flags: [], ops: ConsoleOps.shared)
        return FileTable([Slot(file: console, closeOnExec: false),
                          Slot(file: console, closeOnExec: false),
                          Slot(file: console, closeOnExec: false)])
    }
}
