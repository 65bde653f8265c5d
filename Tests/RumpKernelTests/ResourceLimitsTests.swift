import Testing

@testable import RumpKernel

private typealias Limit = ResourceLimits.Limit
private let inf = ResourceLimits.infinity
private let memory: UInt64 = 3 << 30  // 3 GiB kernel memory

@Suite("Resource limits")
struct ResourceLimitsTests {
    @Test("RLIM_INFINITY and RLIM_NLIMITS")
    func constants() {
        #expect(ResourceLimits.infinity == 0x7fff_ffff_ffff_ffff)
        #expect(ResourceLimits.infinity == UInt64(Int64.max))
        #expect(ResourceLimits.count == 12)
        #expect(ResourceLimits.Resource.allCases.count == 12)
    }

    @Test("NetBSD resource numbers", arguments: [
        (ResourceLimits.Resource.cpu, 0), (.fsize, 1), (.data, 2), (.stack, 3), (.core, 4),
        (.rss, 5), (.memlock, 6), (.nproc, 7), (.nofile, 8), (.sbsize, 9), (.addressSpace, 10),
        (.nthr, 11),
    ] as [(ResourceLimits.Resource, Int32)])
    func resourceNumbers(_ resource: ResourceLimits.Resource, _ number: Int32) {
        #expect(resource.rawValue == number)
        #expect(ResourceLimits.Resource(rawValue: number) == resource)
    }

    @Test("no resource 12 or -1")
    func resourceOutOfRange() {
        #expect(ResourceLimits.Resource(rawValue: 12) == nil)
        #expect(ResourceLimits.Resource(rawValue: -1) == nil)
    }

    @Test("initial limits of the first process", arguments: [
        (ResourceLimits.Resource.nofile, 128, 1772),
        (.nproc, 160, 532),
        (.stack, 4 << 20, 128 << 20),
        // A rump kernel has no user address space of its own: data, resident
        // set and address space are unlimited.
        (.data, inf, inf),
        (.rss, inf, inf),
        (.memlock, memory / 3, memory),
        (.cpu, inf, inf),
        (.fsize, inf, inf),
        (.core, inf, inf),
        (.sbsize, inf, inf),
        (.addressSpace, inf, inf),
        (.nthr, inf, inf),
    ] as [(ResourceLimits.Resource, UInt64, UInt64)])
    func initial(_ resource: ResourceLimits.Resource, _ current: UInt64, _ maximum: UInt64) {
        let limits = ResourceLimits.initial(memory: memory)
        #expect(limits[resource] == Limit(current: current, maximum: maximum))
    }

    @Test("the limits array has one entry per resource")
    func storage() {
        #expect(ResourceLimits.initial(memory: memory).limits.count == 12)
    }

    @Test("soft above hard is EINVAL, for root too", arguments: [true, false])
    func softAboveHard(isRoot: Bool) {
        var limits = ResourceLimits.initial(memory: memory)
        let before = limits[.cpu]
        #expect(throws: Errno.EINVAL) {
            try limits.set(.cpu, Limit(current: 100, maximum: 99), isRoot: isRoot)
        }
        #expect(limits[.cpu] == before)
        #expect(throws: Errno.EINVAL) {
            try limits.set(.nofile, Limit(current: 2000, maximum: 1772), isRoot: isRoot)
        }
        #expect(limits[.nofile] == Limit(current: 128, maximum: 1772))
    }

    @Test("lowering limits is allowed without privilege")
    func lowerUnprivileged() throws {
        var limits = ResourceLimits.initial(memory: memory)
        try limits.set(.nofile, Limit(current: 64, maximum: 1000), isRoot: false)
        #expect(limits[.nofile] == Limit(current: 64, maximum: 1000))
        try limits.set(.cpu, Limit(current: 10, maximum: 20), isRoot: false)
        #expect(limits[.cpu] == Limit(current: 10, maximum: 20))
    }

    @Test("raising the soft limit up to the hard one needs no privilege")
    func raiseSoftUnprivileged() throws {
        var limits = ResourceLimits.initial(memory: memory)
        try limits.set(.nofile, Limit(current: 1772, maximum: 1772), isRoot: false)
        #expect(limits[.nofile] == Limit(current: 1772, maximum: 1772))
    }

    @Test("raising a hard limit is EPERM without privilege")
    func raiseHardUnprivileged() throws {
        var limits = ResourceLimits.initial(memory: memory)
        try limits.set(.cpu, Limit(current: 10, maximum: 20), isRoot: false)
        #expect(throws: Errno.EPERM) {
            try limits.set(.cpu, Limit(current: 10, maximum: 21), isRoot: false)
        }
        #expect(limits[.cpu] == Limit(current: 10, maximum: 20))
        #expect(throws: Errno.EPERM) {
            try limits.set(.stack, Limit(current: 4 << 20, maximum: (128 << 20) + 1), isRoot: false)
        }
        #expect(limits[.stack] == Limit(current: 4 << 20, maximum: 128 << 20))
    }

    @Test("root may raise a hard limit")
    func raiseHardRoot() throws {
        var limits = ResourceLimits.initial(memory: memory)
        try limits.set(.cpu, Limit(current: 10, maximum: 20), isRoot: true)
        try limits.set(.cpu, Limit(current: 30, maximum: 40), isRoot: true)
        #expect(limits[.cpu] == Limit(current: 30, maximum: 40))
        try limits.set(.stack, Limit(current: 8 << 20, maximum: 256 << 20), isRoot: true)
        #expect(limits[.stack] == Limit(current: 8 << 20, maximum: 256 << 20))
    }

    @Test("values above RLIM_INFINITY mean RLIM_INFINITY")
    func clampToInfinity() throws {
        var limits = ResourceLimits.initial(memory: memory)
        try limits.set(.core, Limit(current: UInt64.max, maximum: UInt64.max), isRoot: true)
        #expect(limits[.core] == Limit(current: inf, maximum: inf))
        // The soft limit above infinity with an infinite hard limit is not soft > hard.
        try limits.set(.fsize, Limit(current: inf + 1, maximum: inf), isRoot: false)
        #expect(limits[.fsize] == Limit(current: inf, maximum: inf))
    }

    @Test("setting the same values again is allowed without privilege")
    func sameValues() throws {
        var limits = ResourceLimits.initial(memory: memory)
        try limits.set(.nproc, Limit(current: 160, maximum: 532), isRoot: false)
        #expect(limits[.nproc] == Limit(current: 160, maximum: 532))
    }

    @Test("NOFILE and NPROC never rise above maxfiles and maxproc", arguments: [
        (ResourceLimits.Resource.nofile, 1772), (.nproc, 532),
    ] as [(ResourceLimits.Resource, UInt64)])
    func systemCaps(_ resource: ResourceLimits.Resource, _ cap: UInt64) throws {
        var limits = ResourceLimits.initial(memory: memory)
        try limits.set(resource, Limit(current: 5000, maximum: inf), isRoot: true)
        #expect(limits[resource] == Limit(current: cap, maximum: cap))
        try limits.set(resource, Limit(current: 10, maximum: 1_000_000), isRoot: true)
        #expect(limits[resource] == Limit(current: 10, maximum: cap))
    }

    @Test("a change to one resource leaves the others alone")
    func independence() throws {
        var limits = ResourceLimits.initial(memory: memory)
        let before = limits
        try limits.set(.nofile, Limit(current: 7, maximum: 9), isRoot: false)
        for resource in ResourceLimits.Resource.allCases where resource != .nofile {
            #expect(limits[resource] == before[resource], "\(resource)")
        }
    }
}
