// kqueue's user-visible types and numbers (NetBSD 7's sys/event.h).

/// NetBSD 7's `struct kevent` on amd64 (40 bytes): `uintptr_t ident;
/// uint32_t filter; uint32_t flags; uint32_t fflags; [4 bytes of padding]
/// int64_t data; intptr_t udata;`.
struct NetBSDKevent: BitwiseCopyable {
    var ident: UInt = 0
    var filter: UInt32 = 0
    var flags: UInt32 = 0
    var fflags: UInt32 = 0
    var data: Int64 = 0
    var udata: Int = 0
}

/// Filters, action flags and filter flags (EVFILT_*, EV_*, NOTE_*).
enum Kev {
    static let filterRead: UInt32 = 0
    static let filterWrite: UInt32 = 1
    static let filterAIO: UInt32 = 2
    static let filterVnode: UInt32 = 3
    static let filterProc: UInt32 = 4
    static let filterSignal: UInt32 = 5
    static let filterTimer: UInt32 = 6

    static let add: UInt32 = 0x1
    static let delete: UInt32 = 0x2
    static let enable: UInt32 = 0x4
    static let disable: UInt32 = 0x8
    static let oneshot: UInt32 = 0x10
    static let clear: UInt32 = 0x20
    static let receipt: UInt32 = 0x40
    static let dispatch: UInt32 = 0x80
    /// EV_SYSFLAGS: reserved for the kernel, cleared from every change.
    static let sysflags: UInt32 = 0xF000
    static let error: UInt32 = 0x4000
    static let eof: UInt32 = 0x8000

    static let noteDelete: UInt32 = 0x01
    static let noteWrite: UInt32 = 0x02
    static let noteExtend: UInt32 = 0x04
    static let noteAttrib: UInt32 = 0x08
    static let noteLink: UInt32 = 0x10
    static let noteRename: UInt32 = 0x20
    static let noteRevoke: UInt32 = 0x40
}

/// What a file filter (EVFILT_READ, EVFILT_WRITE) finds when it holds:
/// NetBSD's `kn_data`, and EV_EOF.
public struct KeventState {
    public var data: Int64
    public var eof: Bool

    public init(data: Int64 = 0, eof: Bool = false) {
        self.data = data
        self.eof = eof
    }
}
