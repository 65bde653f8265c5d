@preconcurrency import CRump
import Synchronization

/// Host files in the rump name space (etfs). The VFS faction provides them; in
/// a kernel without it every call gives ENOSYS, as in the reference.
public enum Etfs {
    /// What the VFS faction installs: register(key, hostpath, type, begin, size)
    /// and remove(key), each returning 0 or a NetBSD errno.
    public struct Provider: Sendable {
        public let register: @Sendable (String, String, Int32, UInt64, UInt64) -> Int32
        public let remove: @Sendable (String) -> Int32
    }

    static let provider = Mutex<Provider?>(nil)

    static func register(_ key: UnsafePointer<CChar>?, _ hostpath: UnsafePointer<CChar>?, _ type: Int32,
                         _ begin: UInt64, _ size: UInt64) -> Int32 {
        guard let p = provider.withLock({ $0 }) else { return Errno.ENOSYS.rawValue }
        guard let key, let hostpath else { return Errno.EFAULT.rawValue }
        return p.register(String(cString: key), String(cString: hostpath), type, begin, size)
    }
}

/// RUMP_ETFS_SIZE_ENDOFF: the mapping runs to the end of the host file.
let etfsSizeEndOff = UInt64.max

@c(rump_pub_etfs_register)
public func rump_pub_etfs_register(_ key: UnsafePointer<CChar>?, _ hostpath: UnsafePointer<CChar>?,
                                   _ type: Int32) -> Int32 {
    Etfs.register(key, hostpath, type, 0, etfsSizeEndOff)
}

@c(rump_pub_etfs_register_withsize)
public func rump_pub_etfs_register_withsize(_ key: UnsafePointer<CChar>?, _ hostpath: UnsafePointer<CChar>?,
                                            _ type: Int32, _ begin: UInt64, _ size: UInt64) -> Int32 {
    Etfs.register(key, hostpath, type, begin, size)
}

@c(rump_pub_etfs_remove)
public func rump_pub_etfs_remove(_ key: UnsafePointer<CChar>?) -> Int32 {
    guard let p = Etfs.provider.withLock({ $0 }) else { return Errno.ENOSYS.rawValue }
    guard let key else { return Errno.EFAULT.rawValue }
    return p.remove(String(cString: key))
}

// The kernel-side names of the same calls, which the reference exports too.

@c(rump_etfs_register)
public func rump_etfs_register(_ key: UnsafePointer<CChar>?, _ hostpath: UnsafePointer<CChar>?,
                               _ type: Int32) -> Int32 {
    rump_pub_etfs_register(key, hostpath, type)
}

@c(rump_etfs_register_withsize)
public func rump_etfs_register_withsize(_ key: UnsafePointer<CChar>?, _ hostpath: UnsafePointer<CChar>?,
                                        _ type: Int32, _ begin: UInt64, _ size: UInt64) -> Int32 {
    rump_pub_etfs_register_withsize(key, hostpath, type, begin, size)
}

@c(rump_etfs_remove)
public func rump_etfs_remove(_ key: UnsafePointer<CChar>?) -> Int32 {
    rump_pub_etfs_remove(key)
}

/// Mappings queued before boot with `rump_boot_etfs_register`; the caller keeps
/// each structure alive and serialises calls, as the reference requires.
enum BootEtfs {
    nonisolated(unsafe) static var queue: [UnsafeMutablePointer<rumpc_boot_etfs>] = []

    /// Make the queued mappings (boot only); each gets its status.
    static func run() {
        for eb in queue {
            let e = eb.pointee
            eb.pointee.eb_status = Etfs.register(e.eb_key, e.eb_hostpath, e.eb_type, e.eb_begin, e.eb_size)
        }
        queue = []
    }
}

/// Queue a mapping to be made at boot. `eb_status` is -1 until boot sets it
/// (0 or an errno: ENOSYS without the VFS faction).
@c(rump_boot_etfs_register)
public func rump_boot_etfs_register(_ eb: UnsafeMutablePointer<rumpc_boot_etfs>?) {
    guard let eb else { return }
    eb.pointee.eb_status = -1
    BootEtfs.queue.append(eb)
}
