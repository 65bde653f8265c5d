/// A FIFO (named pipe): a vnode made by mkfifo whose opens share one pipe.
/// I/O, poll and ioctl are the pipe's; fstat reports the vnode, as NetBSD's
/// fifofs does.
final class FifoFile: FileOps {
    let vnode: Vnode
    let pipe: Pipe

    init(_ vnode: Vnode, _ pipe: Pipe) {
        self.vnode = vnode
        self.pipe = pipe
    }

    /// Open the FIFO at `vnode` (its pipe is made at the first open).
    /// A signal for `l` ends a wait for the other side with EINTR.
    static func open(_ vnode: Vnode, access: File.Access, flags: File.Flags, _ l: Lwp) throws(Errno) -> File {
        let pipe = vnode.lock.write { () -> Pipe in
            if let p = vnode.fifo { return p }
            let p = Pipe(uid: vnode.uid, gid: vnode.gid, fifo: true)
            vnode.fifo = p
            return p
        }
        // Waits for the other side release the virtual CPU themselves.
        try pipe.openFifo(access: access, nonblocking: flags.contains(.nonblock), l)
        return File(access: access, flags: flags, ops: FifoFile(vnode, pipe))
    }

    func read(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno) { try pipe.read(file, l, uio) }
    func write(_ file: File, _ l: Lwp, _ uio: Uio) throws(Errno) { try pipe.write(file, l, uio) }
    func poll(_ file: File, _ events: Int32, _ waiter: PollWaiter?) -> Int32 { pipe.poll(file, events, waiter) }
    func ioctl(_ file: File, _ l: Lwp, _ command: UInt, _ data: UnsafeMutableRawPointer?) throws(Errno) {
        try pipe.ioctl(file, l, command, data)
    }
    func pathconf(_ file: File, _ name: Int32) throws(Errno) -> Int { try pipe.pathconf(file, name) }
    func stat(_ file: File, _ l: Lwp) throws(Errno) -> NetBSDStat { vnode.lock.read { vnode.stat() } }
    func restart(_ file: File) { pipe.restart(file) }
    func close(_ file: File) { pipe.close(file) }
}
