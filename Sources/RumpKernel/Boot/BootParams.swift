import Glibc

/// The boot parameters a rump kernel reads from the environment, parsed and
/// checked before anything is set up. A malformed value stops the boot with
/// EINVAL and a message naming it (the reference kernel panics instead).
struct BootParams: Equatable {
    /// Virtual CPUs (`RUMP_NCPU`: a number or `host`; default 2).
    var cpus = 2
    /// Boot messages on stderr (`RUMP_VERBOSE`: on unless it starts with "0",
    /// as the reference reads it).
    var verbose = false
    /// Kernel threads allowed (`RUMP_THREADS`: "0" turns them off).
    var threads = true
    /// Memory limit in bytes (`RUMP_MEMLIMIT`, suffix k/m/g); nil: the host's.
    var memoryLimit: UInt64?
    /// The host name (`RUMP_HOSTNAME`; default `rump-<pid>.<host name>`).
    var hostname: String

    /// The most virtual CPUs a kernel has (larger requests are clamped).
    static let maxCPUs = 256

    /// Read the parameters through `lookup` (the environment by default).
    init(lookup: (String) -> String? = BootParams.environment) throws(BootParamError) {
        hostname = lookup("RUMP_HOSTNAME") ?? BootParams.defaultHostname()
        if let text = lookup("RUMP_NCPU") {
            cpus = try BootParams.parseCPUs(text)
        }
        if let text = lookup("RUMP_VERBOSE") {
            verbose = text.first != "0"
        }
        if let text = lookup("RUMP_THREADS") {
            threads = text != "0"
        }
        if let text = lookup("RUMP_MEMLIMIT") {
            memoryLimit = try BootParams.parseMemory(text)
        }
    }

    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    static func parseCPUs(_ text: String) throws(BootParamError) -> Int {
        if text == "host" {
            return max(1, min(maxCPUs, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        }
        guard let n = Int(text) else {
            throw BootParamError(name: "RUMP_NCPU", value: text, reason: "not a number or \"host\"")
        }
        guard n >= 1 else {
            throw BootParamError(name: "RUMP_NCPU", value: text, reason: "a kernel needs at least one CPU")
        }
        return min(n, maxCPUs)
    }

    /// Bytes, with an optional k, m or g suffix (either case).
    static func parseMemory(_ text: String) throws(BootParamError) -> UInt64 {
        var digits = Substring(text)
        var shift: UInt64 = 0
        switch digits.last {
        case "k", "K": shift = 10
        case "m", "M": shift = 20
        case "g", "G": shift = 30
        default: break
        }
        if shift != 0 { digits = digits.dropLast() }
        guard let n = UInt64(digits), n.leadingZeroBitCount >= Int(shift) else {
            throw BootParamError(name: "RUMP_MEMLIMIT", value: text,
                                 reason: "want a byte count with an optional k, m or g suffix")
        }
        return n << shift
    }

    /// `rump-<5-digit host pid>.<host name>`, as the reference names its kernel.
    static func defaultHostname() -> String {
        var pid = String(getpid())
        if pid.count < 5 { pid = String(repeating: "0", count: 5 - pid.count) + pid }
        var host = [CChar](repeating: 0, count: 256)
        guard gethostname(&host, host.count - 1) == 0 else { return "rump-" + pid }
        let name = host.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return "rump-\(pid).\(name)"
    }
}

/// A boot parameter that could not be used.
struct BootParamError: Error, Equatable, CustomStringConvertible {
    let name: String
    let value: String
    let reason: String

    var description: String { "\(name)=\"\(value)\": \(reason)" }
}
