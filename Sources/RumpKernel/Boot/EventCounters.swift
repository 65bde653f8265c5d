@preconcurrency import CRump

/// Kernel event counters, printed by `rump_printevcnts` as NetBSD's
/// `vmstat -e` does: group, name, count.
enum EventCounters {
    struct Counter: Equatable {
        let group: String
        let name: String
        let count: UInt64
    }

    static func snapshot() -> [Counter] {
        var list: [Counter] = []
        for (cpu, n) in Scheduler.scheduleCounts().enumerated() {
            list.append(Counter(group: "cpu\(cpu)", name: "schedules", count: n))
        }
        let (forks, lwps, procs) = procTable.withLock { ($0.forks, $0.lwpsMade, UInt64($0.procs.count)) }
        list.append(Counter(group: "proc", name: "forks", count: forks))
        list.append(Counter(group: "proc", name: "lwps created", count: lwps))
        list.append(Counter(group: "proc", name: "processes", count: procs))
        return list
    }
}

/// Print every counter to stderr as the reference does: `group / name: count`.
@c(rump_printevcnts)
public func rump_printevcnts() {
    var text = ""
    for c in EventCounters.snapshot() {
        text += "\(c.group) / \(c.name): \(c.count)\n"
    }
    text.withUTF8 { rumpc_write_stderr($0.baseAddress, $0.count) }
}
