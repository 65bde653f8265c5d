/// A process's resource limits (`getrlimit`/`setrlimit`), NetBSD's twelve.
struct ResourceLimits: Sendable {
    /// NetBSD's `struct rlimit`: soft and hard limit.
    struct Limit: Equatable, Sendable {
        var current: UInt64
        var maximum: UInt64
    }

    /// RLIM_INFINITY: all bits but the sign bit.
    static let infinity = UInt64(Int64.max)
    /// RLIM_NLIMITS.
    static let count = 12

    /// NetBSD's resource numbers.
    enum Resource: Int32, CaseIterable {
        case cpu = 0, fsize, data, stack, core, rss, memlock, nproc, nofile, sbsize, addressSpace, nthr
    }

    private(set) var limits: [Limit]

    /// The limits a rump kernel gives its first process, for a kernel built
    /// with MAXUSERS 32: `maxfiles` 1772 and `nofile` (OPEN_MAX) 128
    /// descriptors, `maxproc` 532 and `maxuprc` (CHILD_MAX) 160 processes,
    /// amd64's default stack size, locked memory a third of the kernel's
    /// memory; data, resident set and address space unlimited (a rump kernel
    /// has no user address space of its own).
    static func initial(memory: UInt64) -> ResourceLimits {
        var l = ResourceLimits(limits: Array(repeating: Limit(current: infinity, maximum: infinity), count: count))
        l.limits[Int(Resource.nofile.rawValue)] = Limit(current: 128, maximum: 1772)
        l.limits[Int(Resource.nproc.rawValue)] = Limit(current: 160, maximum: 532)
        l.limits[Int(Resource.stack.rawValue)] = Limit(current: 4 << 20, maximum: 128 << 20)
        l.limits[Int(Resource.memlock.rawValue)] = Limit(current: memory / 3, maximum: memory)
        return l
    }

    subscript(_ resource: Resource) -> Limit { limits[Int(resource.rawValue)] }

    /// NetBSD's `dosetrlimit`: the soft limit may not exceed the hard one, and
    /// only root may raise a hard limit. Values above RLIM_INFINITY mean it.
    mutating func set(_ resource: Resource, _ new: Limit, isRoot: Bool) throws(Errno) {
        var new = Limit(current: min(new.current, Self.infinity), maximum: min(new.maximum, Self.infinity))
        guard new.current <= new.maximum else { throw .EINVAL }
        let old = self[resource]
        if new.maximum > old.maximum && !isRoot { throw .EPERM }
        if resource == .nofile || resource == .nproc {
            // Never above the system-wide maximum the initial hard limit records.
            let cap = ResourceLimits.initial(memory: 0)[resource].maximum
            new.maximum = min(new.maximum, max(cap, old.maximum))
            new.current = min(new.current, new.maximum)
        }
        limits[Int(resource.rawValue)] = new
    }
}
