import Glibc
import Testing

@testable import RumpKernel

/// Boot parameters read through a lookup function instead of the environment.
private func params(_ env: [String: String]) throws(BootParamError) -> BootParams {
    try BootParams(lookup: { env[$0] })
}

/// The error a parameter set gives, if any.
private func failure(_ env: [String: String]) -> BootParamError? {
    do {
        _ = try params(env)
        return nil
    } catch {
        return error
    }
}

/// `rump-<pid, at least 5 digits>.<host name>`, computed independently.
private func expectedHostname() -> String {
    var pid = String(getpid())
    while pid.count < 5 { pid = "0" + pid }
    var buffer = [CChar](repeating: 0, count: 256)
    gethostname(&buffer, 255)
    return "rump-\(pid)." + buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}

@Suite("Boot parameters")
struct BootParamsTests {
    @Test("defaults with an empty environment")
    func defaults() throws {
        let p = try params([:])
        #expect(p.cpus == 2)
        #expect(p.verbose == false)
        #expect(p.threads == true)
        #expect(p.memoryLimit == nil)
        #expect(p.hostname == expectedHostname())
        #expect(p.hostname.wholeMatch(of: /rump-[0-9]{5,}\..+/) != nil)
        #expect(BootParams.maxCPUs == 256)
    }

    @Test("default hostname format", .tags(.hostname))
    func defaultHostname() {
        let name = BootParams.defaultHostname()
        #expect(name == expectedHostname())
        #expect(name.hasPrefix("rump-"))
        // Five-digit zero-padded pid, then a dot.
        let pidPart = name.dropFirst(5).prefix { $0 != "." }
        #expect(pidPart.count >= 5)
        #expect(Int(pidPart) == Int(getpid()))
    }

    @Test("RUMP_HOSTNAME overrides the default", .tags(.hostname))
    func hostnameOverride() throws {
        #expect(try params(["RUMP_HOSTNAME": "testhost.example"]).hostname == "testhost.example")
        #expect(try params(["RUMP_HOSTNAME": "x"]).hostname == "x")
    }

    @Test("RUMP_NCPU numbers", arguments: [
        ("1", 1), ("2", 2), ("4", 4), ("255", 255), ("256", 256),
        ("257", 256), ("100000", 256),
    ])
    func cpuCount(_ text: String, _ expected: Int) throws {
        #expect(try params(["RUMP_NCPU": text]).cpus == expected)
    }

    @Test("RUMP_NCPU=host is the host's online CPU count")
    func cpuHost() throws {
        let online = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #expect(try params(["RUMP_NCPU": "host"]).cpus == max(1, min(256, online)))
    }

    @Test("bad RUMP_NCPU stops the boot, naming the parameter",
          arguments: ["0", "-1", "abc", "", "Host"])
    func cpuBad(_ text: String) throws {
        let error = try #require(failure(["RUMP_NCPU": text]))
        #expect(error.name == "RUMP_NCPU")
        #expect(error.value == text)
        #expect(error.description.hasPrefix("RUMP_NCPU=\"\(text)\": "))
    }

    @Test("RUMP_NCPU=0 says why")
    func cpuZeroReason() throws {
        let error = try #require(failure(["RUMP_NCPU": "0"]))
        #expect(error.description == "RUMP_NCPU=\"0\": a kernel needs at least one CPU")
    }

    @Test("RUMP_VERBOSE", arguments: [("0", false), ("01", false), ("1", true), ("yes", true), ("2", true)])
    func verbose(_ text: String, _ expected: Bool) throws {
        #expect(try params(["RUMP_VERBOSE": text]).verbose == expected)
    }

    /// The reference (rump.c) tests the first character: `if (*buf != '0')
    /// boothowto = AB_VERBOSE;`. An empty value is therefore verbose there,
    /// and the code's own comment says "anything but \"0\"".
    @Test("RUMP_VERBOSE=\"\" is verbose, as in the reference")
    func verboseEmpty() throws {
        let p = try params(["RUMP_VERBOSE": ""])
        #expect(p.verbose == true)
    }

    @Test("RUMP_THREADS", arguments: [("0", false), ("1", true), ("", true), ("yes", true)])
    func threads(_ text: String, _ expected: Bool) throws {
        #expect(try params(["RUMP_THREADS": text]).threads == expected)
    }

    @Test("RUMP_MEMLIMIT byte counts and suffixes", arguments: [
        ("0", 0), ("1024", 1024), ("64k", 65_536), ("64K", 65_536), ("64m", 67_108_864),
        ("64M", 67_108_864), ("2g", 2_147_483_648), ("1G", 1_073_741_824),
        ("18446744073709551615", UInt64.max),
        // The largest value that still fits after the shift: (2^34 - 1) << 30.
        ("17179869183g", 18_446_744_072_635_809_792),
    ] as [(String, UInt64)])
    func memoryLimit(_ text: String, _ expected: UInt64) throws {
        #expect(try params(["RUMP_MEMLIMIT": text]).memoryLimit == expected)
    }

    @Test("bad RUMP_MEMLIMIT stops the boot, naming the parameter", arguments: [
        "12q", "k", "1.5g", "64kb", "g64", "64t",
        "99999999999g",          // 2^36.5 << 30 overflows 64 bits
        "17179869184g",          // exactly 2^64
        "18014398509481984m",    // 2^54 << 20 = 2^74
        "99999999999999999999",  // beyond UInt64 without a suffix
    ])
    func memoryBad(_ text: String) throws {
        let error = try #require(failure(["RUMP_MEMLIMIT": text]))
        #expect(error.name == "RUMP_MEMLIMIT")
        #expect(error.value == text)
        #expect(error.description.hasPrefix("RUMP_MEMLIMIT=\"\(text)\": "))
    }

    @Test("all parameters at once")
    func everything() throws {
        let p = try params([
            "RUMP_NCPU": "3", "RUMP_VERBOSE": "1", "RUMP_THREADS": "0",
            "RUMP_MEMLIMIT": "16m", "RUMP_HOSTNAME": "box",
        ])
        #expect(p.cpus == 3)
        #expect(p.verbose)
        #expect(!p.threads)
        #expect(p.memoryLimit == 16 << 20)
        #expect(p.hostname == "box")
    }

    @Test("the first bad parameter stops the parse; the others are not needed")
    func firstErrorWins() throws {
        let error = try #require(failure(["RUMP_NCPU": "zero", "RUMP_MEMLIMIT": "12q"]))
        #expect(error.name == "RUMP_NCPU")
    }

    @Test("parameters are looked up by their exact names")
    func lookedUpNames() throws {
        var asked: [String] = []
        _ = try BootParams(lookup: { asked.append($0); return nil })
        #expect(Set(asked) == ["RUMP_HOSTNAME", "RUMP_NCPU", "RUMP_VERBOSE", "RUMP_THREADS", "RUMP_MEMLIMIT"])
    }
}

extension Tag {
    @Tag static var hostname: Self
}
