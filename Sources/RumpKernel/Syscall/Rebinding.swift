@preconcurrency import CRump

/// System call rebinding: plugins supply handlers by name.
///
/// After component init (and after a plugin is loaded), every system call
/// of the spec is offered to the loaded objects: a function
/// `rumpns_sys_<kernel name>` in the kernel convention
/// `int (struct lwp *, const void *args, register_t *retval)`, or else
/// `rumpns_systyped_<kernel name>` with the call's natural C arguments,
/// `int (struct lwp *, <arguments>, register_t *retval)`, replaces or fills
/// the slot. Typed handlers go through libffi, prepared once here.
enum Rebinding {
    struct Found {
        let address: UnsafeRawPointer
        let object: String
    }

    /// Handlers bound so far: slot number → the symbol and its object.
    nonisolated(unsafe) private(set) static var bound: [Int32: (symbol: String, object: String)] = [:]

    static func run() {
        var found: [String: Found] = [:]
        withUnsafeMutablePointer(to: &found) { table in
            rumpc_symbols_walk("rumpns_sys", { name, address, object, ctx in
                guard let name, let address, let ctx else { return }
                let table = ctx.assumingMemoryBound(to: [String: Found].self)
                let symbol = String(cString: name)
                // The first object in load order wins, as the dynamic linker's would.
                if table.pointee[symbol] == nil {
                    table.pointee[symbol] = Found(address: address,
                                                  object: object.map { String(cString: $0) } ?? "?")
                }
            }, table)
        }
        guard !found.isEmpty else { return }
        for spec in syscallSpecs {
            if let f = found["rumpns_sys_" + spec.kernelName] {
                install(spec.number, handler: f, symbol: "rumpns_sys_" + spec.kernelName)
            } else if let f = found["rumpns_systyped_" + spec.kernelName] {
                installTyped(spec, f)
            }
        }
    }

    private static func install(_ number: Int32, handler f: Found, symbol: String) {
        let entry = rumpc_sysent(number).unsafelyUnwrapped
        let fn = unsafeBitCast(f.address, to: rumpc_syscall_fn.self)
        guard unsafeBitCast(entry.pointee.call, to: UnsafeRawPointer?.self) != f.address else { return }
        // A running call may still read the old entry: the new handler goes
        // in first, in one store; an old typed binding is left allocated.
        entry.pointee.call = fn
        entry.pointee.typed = nil
        bound[number] = (symbol, f.object)
    }

    private static func installTyped(_ spec: SyscallSpec, _ f: Found) {
        let symbol = "rumpns_systyped_" + spec.kernelName
        guard bound[spec.number]?.symbol != symbol else { return }
        let prepared = spec.argKinds.withUTF8Buffer { kinds in
            String(decoding: kinds, as: UTF8.self).withCString { rumpc_typed_prepare(f.address, $0) }
        }
        guard let prepared else {
            Console.warn("\(symbol) in \(f.object): cannot prepare a call with arguments \"\(spec.argKinds)\"")
            return
        }
        let entry = rumpc_sysent(spec.number).unsafelyUnwrapped
        entry.pointee.typed = prepared
        entry.pointee.call = nil
        bound[spec.number] = (symbol, f.object)
    }
}

/// Install handlers from a SYSCALL component, as the reference's factions do.
/// A number outside the table is reported and skipped; numbers the spec does
/// not list may be used for new system calls (their argument block is passed
/// as the caller gives it).
@c(rump_syscall_boot_establish)
public func rump_syscall_boot_establish(_ calls: UnsafePointer<RumpOneSyscallC>?, _ count: Int) {
    guard let calls else { return }
    for i in 0..<count {
        let one = calls[i]
        guard rumpc_sysnum_valid(one.ros_num) else {
            Console.warn("rump_syscall_boot_establish: system call number \(one.ros_num) is outside 0..511")
            continue
        }
        // Established handlers are the kernel's own: both tables get them.
        for entry in [rumpc_sysent(one.ros_num)!, rumpc_sysent_native_entry(one.ros_num)!] {
            entry.pointee.call = one.ros_handler
            entry.pointee.typed = nil
        }
    }
}
