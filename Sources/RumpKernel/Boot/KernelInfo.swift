import Glibc
import Synchronization

/// Kernel-wide identity that sysctl reports and root may change.
enum KernelInfo {
    /// NetBSD's MAXHOSTNAMELEN.
    static let maxHostnameLength = 256

    private static let names = Mutex<(hostname: [UInt8], domainname: [UInt8])>(([], []))

    static var hostname: [UInt8] { names.withLock { $0.hostname } }
    static var domainname: [UInt8] { names.withLock { $0.domainname } }

    static func setHostname(_ name: String) { setHostname(Array(name.utf8.prefix(maxHostnameLength - 1))) }
    static func setHostname(_ bytes: [UInt8]) { names.withLock { $0.hostname = bytes } }
    static func setDomainname(_ bytes: [UInt8]) { names.withLock { $0.domainname = bytes } }

    /// The host's physical memory in bytes.
    static var hostMemory: UInt64 {
        UInt64(sysconf(Int32(_SC_PHYS_PAGES))) &* UInt64(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The host's page size.
    static var pageSize: Int32 { Int32(sysconf(Int32(_SC_PAGESIZE))) }
}
