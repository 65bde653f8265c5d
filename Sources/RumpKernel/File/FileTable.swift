import Synchronization

/// A descriptor table (NetBSD's `filedesc`): descriptor numbers to open files,
/// with each descriptor's close-on-exec bit. Processes made by rfork share it,
/// copy it or start with an empty one, as the rfork flags say.
public final class FileTable {
    struct Slot {
        let file: File
        var closeOnExec: Bool
    }

    private let slots: Mutex<[Slot?]>
    /// Processes using this table (process table lock); the last one to end
    /// closes every descriptor.
    var users = 1

    init(_ slots: [Slot?] = []) {
        self.slots = Mutex(slots)
    }

    /// A table with the same files under the same numbers (fork's copy).
    func copy() -> FileTable {
        FileTable(slots.withLock { $0 })
    }

    /// The open file at `fd`: EBADF if none.
    func get(_ fd: Int32) throws(Errno) -> File {
        try slots.withLock { (s) throws(Errno) -> File in
            guard fd >= 0, Int(fd) < s.count, let slot = s[Int(fd)] else { throw .EBADF }
            return slot.file
        }
    }

    /// Install `file` at the lowest free descriptor at or above `minimum`, below
    /// `limit` (RLIMIT_NOFILE): EMFILE if there is none.
    func allocate(_ file: File, minimum: Int32 = 0, limit: Int, closeOnExec: Bool = false) throws(Errno) -> Int32 {
        try slots.withLock { (s) throws(Errno) -> Int32 in
            var fd = Int(max(minimum, 0))
            while fd < s.count && s[fd] != nil { fd += 1 }
            guard fd < limit else { throw .EMFILE }
            if fd >= s.count { s.append(contentsOf: repeatElement(nil, count: fd - s.count + 1)) }
            s[fd] = Slot(file: file, closeOnExec: closeOnExec)
            return Int32(fd)
        }
    }

    /// Put `file` at exactly `fd`, replacing (closing) what was there.
    func install(_ file: File, at fd: Int32, closeOnExec: Bool) {
        // The replaced file is released after the lock is dropped: its last
        // reference may run its close.
        let previous = slots.withLock { s -> File? in
            let i = Int(fd)
            if i >= s.count { s.append(contentsOf: repeatElement(nil, count: i - s.count + 1)) }
            let previous = s[i]?.file
            s[i] = Slot(file: file, closeOnExec: closeOnExec)
            return previous
        }
        if let previous, previous !== file { FileTable.restart(previous) }
    }

    /// A descriptor for `file` went away: restart its sleepers (NetBSD's
    /// fo_restart), outside the table's lock.
    static func restart(_ file: File) {
        file.restarts.add(1, ordering: .releasing)
        file.ops.restart(file)
    }

    /// Close `fd`: EBADF if it is not open.
    func close(_ fd: Int32) throws(Errno) {
        let file = try slots.withLock { (s) throws(Errno) -> File in
            guard fd >= 0, Int(fd) < s.count, let slot = s[Int(fd)] else { throw .EBADF }
            s[Int(fd)] = nil
            return slot.file
        }
        FileTable.restart(file)
    }

    /// Close every descriptor at or above `fd` (F_CLOSEM).
    func closeFrom(_ fd: Int32) {
        let closed = slots.withLock { s -> [Slot?] in
            let start = Int(max(fd, 0))
            guard start < s.count else { return [] }
            let closed = Array(s[start...])
            s.removeSubrange(start...)
            return closed
        }
        for slot in closed { if let slot { FileTable.restart(slot.file) } }
    }

    /// Close everything (the last process using the table ended).
    func closeAll() { closeFrom(0) }

    /// Close the descriptors marked close-on-exec (a remote client exec'd).
    func closeOnExecAll() {
        let closed = slots.withLock { s -> [File] in
            var closed: [File] = []
            for i in s.indices where s[i]?.closeOnExec == true {
                closed.append(s[i]!.file)
                s[i] = nil
            }
            return closed
        }
        for file in closed { FileTable.restart(file) }
    }

    func closeOnExec(_ fd: Int32) throws(Errno) -> Bool {
        try slots.withLock { (s) throws(Errno) -> Bool in
            guard fd >= 0, Int(fd) < s.count, let slot = s[Int(fd)] else { throw .EBADF }
            return slot.closeOnExec
        }
    }

    func setCloseOnExec(_ fd: Int32, _ on: Bool) throws(Errno) {
        try slots.withLock { (s) throws(Errno) in
            guard fd >= 0, Int(fd) < s.count, s[Int(fd)] != nil else { throw .EBADF }
            s[Int(fd)]?.closeOnExec = on
        }
    }

    /// The highest open descriptor, or -1 (F_MAXFD).
    var highest: Int32 {
        slots.withLock { s in Int32(s.lastIndex { $0 != nil } ?? -1) }
    }

    /// How many descriptors are open.
    var openCount: Int {
        slots.withLock { s in s.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }
    }
}
