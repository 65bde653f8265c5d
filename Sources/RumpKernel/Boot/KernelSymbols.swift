import Synchronization

/// The kernel symbol table a loader may hand over once
/// (`rump_pub_kernelfsym_load`); kept for module linking.
enum KernelSymbols {
    struct Table: @unchecked Sendable {
        let symtab: UnsafeMutableRawPointer
        let symsize: UInt64
        let strtab: UnsafeMutablePointer<CChar>
        let strsize: UInt64
    }

    static let table = Mutex<Table?>(nil)
}

/// Accept a symbol table once: EBUSY for any second call, EINVAL for NULL.
@c(rump_pub_kernelfsym_load)
public func rump_pub_kernelfsym_load(_ symtab: UnsafeMutableRawPointer?, _ symsize: UInt64,
                                     _ strtab: UnsafeMutablePointer<CChar>?, _ strsize: UInt64) -> Int32 {
    guard let symtab, let strtab else { return Errno.EINVAL.rawValue }
    return KernelSymbols.table.withLock { t -> Int32 in
        if t != nil { return Errno.EBUSY.rawValue }
        t = KernelSymbols.Table(symtab: symtab, symsize: symsize, strtab: strtab, strsize: strsize)
        return 0
    }
}
