@preconcurrency import CRump
import Glibc
import Synchronization

/// Kernel components: init functions that plugins and programs register with
/// `RUMP_COMPONENT(type)` (rump_component.h), run once each, by type, at boot.
///
/// Before and during boot ("cold") components are queued; `rump_component_init`
/// runs and drops the queued ones of a type. After boot a component runs as
/// soon as it is loaded. The three faction types are special: the core attaches
/// the faction's subsystem when its component runs, and only one of each may exist.
enum Components {
    /// enum rump_component_type.
    enum Kind: Int32, CaseIterable, CustomStringConvertible {
        case dev = 0, devAfterMainbus, net, netRoute, netIf, netIfcfg, vfs, kern, kernVfs,
             postinit, syscall, factionDev, factionVfs, factionNet

        /// The C name, for messages.
        var description: String {
            ["RUMP_COMPONENT_DEV", "RUMP_COMPONENT_DEV_AFTERMAINBUS", "RUMP_COMPONENT_NET",
             "RUMP_COMPONENT_NET_ROUTE", "RUMP_COMPONENT_NET_IF", "RUMP_COMPONENT_NET_IFCFG",
             "RUMP_COMPONENT_VFS", "RUMP_COMPONENT_KERN", "RUMP_COMPONENT_KERN_VFS",
             "RUMP_COMPONENT_POSTINIT", "RUMP_COMPONENT_SYSCALL", "RUMP__FACTION_DEV",
             "RUMP__FACTION_VFS", "RUMP__FACTION_NET"][Int(rawValue)]
        }
    }

    struct Entry {
        let component: UnsafePointer<rumpc_component>
        let object: String
        var kind: Kind { Kind(rawValue: component.pointee.rc_type)! }
    }

    struct State: ~Copyable {
        var cold = true
        /// Every component ever accepted, by address (duplicates are ignored).
        var seen: Set<UnsafeRawPointer> = []
        var queued: [Entry] = []
        var counts = [Int](repeating: 0, count: Kind.allCases.count)
        /// The faction types attached so far, and where each came from.
        var factions: [Kind: String] = [:]
        /// Components refused (a second faction of a type): counted so that a
        /// loader can tell its plugin was refused.
        var refused = 0
    }

    static let state = Mutex(State())

    /// The subsystem each faction attaches (set by the subsystems).
    nonisolated(unsafe) static var attachFaction: [Kind: () -> Void] = [:]

    /// Components `load` has been offered (duplicates included), for loaders
    /// that need to know whether an object had any.
    nonisolated(unsafe) static var offered = 0

    /// Accept a component: queue it while cold, run it at once afterwards.
    /// Returns EEXIST for a second component of a faction type, EINVAL for an
    /// unknown type.
    @discardableResult
    static func load(_ component: UnsafePointer<rumpc_component>, object: String? = nil) -> Errno? {
        offered += 1
        guard Kind(rawValue: component.pointee.rc_type) != nil else {
            Console.warn("component \(component) has unknown type \(component.pointee.rc_type)")
            return .EINVAL
        }
        let entry = Entry(component: component,
                          object: object ?? String(cString: rumpc_object_name(component)))
        let runNow = state.withLock { s -> Bool? in
            guard s.seen.insert(UnsafeRawPointer(component)).inserted else { return nil }
            s.counts[Int(entry.kind.rawValue)] += 1
            if s.cold { s.queued.append(entry) }
            return !s.cold
        }
        guard let runNow else { return nil }
        if runNow { return run(entry) }
        return nil
    }

    /// Run one component (after boot, or from `initKind`).
    @discardableResult
    private static func run(_ entry: Entry) -> Errno? {
        let kind = entry.kind
        if [.factionVfs, .factionNet, .factionDev].contains(kind) {
            let clash = state.withLock { s -> String? in
                if let first = s.factions[kind] { return first }
                s.factions[kind] = entry.object
                return nil
            }
            if let clash {
                state.withLock { $0.refused += 1 }
                Console.warn("a second \(kind) component, in \(entry.object), is refused (the first came from \(clash))")
                return .EEXIST
            }
            attachFaction[kind]?()
        }
        entry.component.pointee.rc_init?()
        return nil
    }

    /// Run and drop every queued component of `kind`.
    static func initKind(_ kind: Kind) {
        let entries = state.withLock { s -> [Entry] in
            let mine = s.queued.filter { $0.kind == kind }
            s.queued.removeAll { $0.kind == kind }
            return mine
        }
        for entry in entries { run(entry) }
    }

    static func count(_ kind: Kind) -> Int {
        state.withLock { $0.counts[Int(kind.rawValue)] }
    }

    /// Forget a component that was never run (a plugin being unloaded).
    static func unload(_ component: UnsafePointer<rumpc_component>) {
        state.withLock { s in
            guard s.seen.remove(UnsafeRawPointer(component)) != nil else { return }
            if let i = s.queued.firstIndex(where: { $0.component == component }) {
                s.counts[Int(s.queued[i].kind.rawValue)] -= 1
                s.queued.remove(at: i)
            }
        }
    }

    /// Boot: find the components of every loaded object, refuse a second
    /// component of a faction type, and run them in the reference's order.
    static func boot() throws(Errno) {
        rumpc_linkset_walk("rump_components", nil) { entry, object in
            Components.load(entry.unsafelyUnwrapped.assumingMemoryBound(to: rumpc_component.self),
                            object: object.map { String(cString: $0) })
        }
        Modules.collect(handle: nil)
        let duplicates = state.withLock { s -> [String] in
            [Kind.factionVfs, .factionNet, .factionDev].compactMap { kind in
                let from = s.queued.filter { $0.kind == kind }.map(\.object)
                return from.count > 1 ? "\(kind): \(from.joined(separator: ", "))" : nil
            }
        }
        if !duplicates.isEmpty {
            Console.warn("rump_init: more than one component of a faction type: \(duplicates.joined(separator: "; "))")
            throw .EEXIST
        }
        initKind(.kern)
        if count(.factionVfs) > 0 {
            initKind(.factionVfs)
            Modules.initClass(.vfs)
            initKind(.vfs)
        }
        if count(.factionNet) > 0 {
            initKind(.factionNet)
            for kind in [Kind.net, .netRoute, .netIf, .netIfcfg] { initKind(kind) }
        }
        if count(.factionDev) > 0 {
            initKind(.factionDev)
            initKind(.dev)
            initKind(.devAfterMainbus)
        }
        initKind(.kernVfs)
        state.withLock { $0.cold = false }
        Modules.initClass(.any)
        initKind(.postinit)
        initKind(.syscall)
        Rebinding.run()
    }

    /// Whether boot has finished running components (no longer cold).
    static var isBooted: Bool { state.withLock { !$0.cold } }

    /// Whether a faction is attached.
    static func hasFaction(_ kind: Kind) -> Bool {
        state.withLock { $0.factions[kind] != nil }
    }
}

// MARK: C entry points

@c(rump_component_load)
public func rump_component_load(_ component: UnsafePointer<rumpc_component>?) {
    guard let component else { return }
    Components.load(component)
}

@c(rump_component_unload)
public func rump_component_unload(_ component: UnsafeMutablePointer<rumpc_component>?) {
    guard let component else { return }
    Components.unload(component)
}

@c(rump_component_count)
public func rump_component_count(_ type: Int32) -> Int32 {
    guard let kind = Components.Kind(rawValue: type) else { return 0 }
    return Int32(Components.count(kind))
}

@c(rump_component_init)
public func rump_component_init(_ type: Int32) {
    guard let kind = Components.Kind(rawValue: type) else { return }
    Components.initKind(kind)
}

/// dlopen a plugin and run its components (see rump_component.h).
@c(rump_faction_load)
public func rump_faction_load(_ path: UnsafePointer<CChar>?) -> Int32 {
    guard let path else { return Errno.EFAULT.rawValue }
    let name = String(cString: path)
    guard access(path, F_OK) == 0 else {
        Console.warn("rump_faction_load: \(name): no such file")
        return Errno.ENOENT.rawValue
    }
    let refusedBefore = Components.state.withLock { $0.refused }
    let offeredBefore = Components.offered
    // Components registered by constructors load (and, after boot, run) here.
    guard let handle = dlopen(path, RTLD_NOW | RTLD_GLOBAL) else {
        let why = dlerror().map { String(cString: $0) } ?? "dlopen failed"
        Console.warn("rump_faction_load: \(why)")
        return Errno.ENOEXEC.rawValue
    }
    // Modules first, as at boot: components may use what they set up.
    let modulesBefore = Modules.state.withLock { $0.order.count }
    Modules.collect(handle: handle, source: .filesys)
    let modules = Modules.state.withLock { Array($0.order[modulesBefore...]) }
    if Components.isBooted { Modules.initClass(.any) }
    rumpc_linkset_walk("rump_components", handle) { entry, object in
        Components.load(entry.unsafelyUnwrapped.assumingMemoryBound(to: rumpc_component.self),
                        object: object.map { String(cString: $0) })
    }
    if Components.state.withLock({ $0.refused }) != refusedBefore { return Errno.EEXIST.rawValue }
    Rebinding.run()
    if Components.offered == offeredBefore && modules.isEmpty {
        Console.warn("rump_faction_load: \(name) has no rump component or module")
        return Errno.ENOEXEC.rawValue
    }
    return 0
}
