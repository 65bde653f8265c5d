@preconcurrency import CRump
import Glibc
import Synchronization

/// Kernel modules (NetBSD's `struct modinfo`, declared with `MODULE()` in
/// rump_faction.h): found in loaded objects' `link_set_modules`, initialised by
/// class at boot after the modules they require, and loaded or unloaded later
/// with `modctl` or `rump_pub_module_init/fini`.
enum Modules {
    /// modclass_t.
    enum Class: Int32 {
        case any = 0, misc, vfs, driver, exec, secmodel, bufq
    }

    /// modcmd_t.
    static let cmdInit: Int32 = 0
    static let cmdFini: Int32 = 1

    /// modsrc_t: linked in (found at boot) or loaded from a file later.
    enum Source: Int32 {
        case kernel = 0, boot = 1, filesys = 2
    }

    final class Module {
        let info: UnsafePointer<rumpc_modinfo>
        let name: String
        let required: [String]
        let source: Source
        var loaded = false

        init(_ info: UnsafePointer<rumpc_modinfo>, source: Source) {
            self.info = info
            self.name = String(cString: info.pointee.mi_name)
            self.required = info.pointee.mi_required.map {
                String(cString: $0).split(separator: ",").map { String($0.filter { $0 != " " }) }
                    .filter { !$0.isEmpty }
            } ?? []
            self.source = source
        }

        var moduleClass: Class { Class(rawValue: info.pointee.mi_class) ?? .misc }
    }

    /// Known modules by name, in registration order.
    struct State: ~Copyable {
        var byName: [String: Module] = [:]
        var order: [String] = []
    }

    static let state = Mutex(State())

    /// Register a module; the first of a name wins (EEXIST for a different
    /// modinfo under a taken name).
    @discardableResult
    static func register(_ info: UnsafePointer<rumpc_modinfo>, source: Source) -> Errno? {
        guard info.pointee.mi_name != nil, info.pointee.mi_modcmd != nil else { return .EINVAL }
        let module = Module(info, source: source)
        return state.withLock { s -> Errno? in
            if let existing = s.byName[module.name] {
                return existing.info == info ? nil : .EEXIST
            }
            s.byName[module.name] = module
            s.order.append(module.name)
            return nil
        }
    }

    /// Register the modules in one object's (or every object's) link set.
    static func collect(handle: UnsafeMutableRawPointer?, source: Source = .kernel) {
        CollectSource.current = source
        rumpc_linkset_walk("modules", handle) { entry, _ in
            Modules.register(entry.unsafelyUnwrapped.assumingMemoryBound(to: rumpc_modinfo.self),
                             source: CollectSource.current)
        }
    }

    /// Initialise every registered, unloaded module of a class (any: all).
    /// A module whose init fails stays unloaded; the kernel goes on.
    static func initClass(_ cls: Class) {
        let names = state.withLock { s in
            s.order.filter { name in
                guard let m = s.byName[name], !m.loaded else { return false }
                return cls == .any || m.moduleClass == cls
            }
        }
        for name in names {
            do throws(Errno) {
                try load(name)
            } catch .EEXIST {
                // Loaded meanwhile as another's requirement.
            } catch {
                Console.warn("module \(name) did not initialise: error \(error.rawValue)")
            }
        }
    }

    /// Load a registered module and, first, the modules it requires.
    static func load(_ name: String, chain: [String] = []) throws(Errno) {
        guard !chain.contains(name) else {
            Console.warn("module \(name): circular requirement \((chain + [name]).joined(separator: " -> "))")
            throw .EDEADLK
        }
        guard let module = state.withLock({ $0.byName[name] }) else { throw .ENOENT }
        if module.loaded { throw .EEXIST }
        for dependency in module.required {
            do throws(Errno) {
                try load(dependency, chain: chain + [name])
            } catch .EEXIST {
                continue
            } catch .ENOENT {
                Console.warn("module \(name) requires \(dependency), which is not present")
                throw .ENOENT
            }
        }
        let error = module.info.pointee.mi_modcmd(cmdInit, nil)
        guard error == 0 else {
            Console.warn("module \(name): init failed with error \(error)")
            throw Errno(error)
        }
        state.withLock { _ in module.loaded = true }
        Console.message("module \(name) loaded")
    }

    /// Unload a module: ENOENT if not loaded, EBUSY while a loaded module
    /// requires it or its fini refuses.
    static func unload(_ name: String) throws(Errno) {
        let module = try state.withLock { (s) throws(Errno) -> Module in
            guard let m = s.byName[name], m.loaded else { throw .ENOENT }
            if s.byName.values.contains(where: { $0.loaded && $0.required.contains(name) }) { throw .EBUSY }
            return m
        }
        let error = module.info.pointee.mi_modcmd(cmdFini, nil)
        guard error == 0 else { throw Errno(error) }
        state.withLock { _ in module.loaded = false }
    }

    /// Loaded modules that require `name`.
    static func dependents(of name: String) -> Int {
        state.withLock { s in s.byName.values.filter { $0.loaded && $0.required.contains(name) }.count }
    }
}

/// The C walker's callback cannot capture: the source it records.
private enum CollectSource {
    nonisolated(unsafe) static var current: Modules.Source = .kernel
}

/// Register modules (e.g. from a dlopened object's link set) and load them.
/// Returns 0 or the first error (EEXIST for one already loaded).
@c(rump_pub_module_init)
public func rump_pub_module_init(_ mip: UnsafePointer<UnsafePointer<rumpc_modinfo>?>?, _ count: Int) -> Int32 {
    guard let mip else { return Errno.EFAULT.rawValue }
    var first: Int32 = 0
    for i in 0..<count {
        guard let info = mip[i] else { continue }
        var error = Modules.register(info, source: .filesys)
        if error == nil {
            do throws(Errno) {
                try Modules.load(String(cString: info.pointee.mi_name))
            } catch let e {
                error = e
            }
        }
        if let error, first == 0 { first = error.rawValue }
    }
    return first
}

/// `rump_pub_module_init`'s kernel-side name.
@c(rump_module_init)
public func rump_module_init(_ mip: UnsafePointer<UnsafePointer<rumpc_modinfo>?>?, _ count: Int) -> Int32 {
    rump_pub_module_init(mip, count)
}

/// Unload a module: ENOENT if not loaded, EBUSY if required or refused.
@c(rump_pub_module_fini)
public func rump_pub_module_fini(_ info: UnsafePointer<rumpc_modinfo>?) -> Int32 {
    guard let info, let name = info.pointee.mi_name else { return Errno.EINVAL.rawValue }
    do throws(Errno) {
        try Modules.unload(String(cString: name))
        return 0
    } catch {
        return error.rawValue
    }
}

/// `rump_pub_module_fini`'s kernel-side name.
@c(rump_module_fini)
public func rump_module_fini(_ info: UnsafePointer<rumpc_modinfo>?) -> Int32 {
    rump_pub_module_fini(info)
}
