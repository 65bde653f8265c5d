/// Sysctl nodes added by plugins (`sysctl_createv` in rump_faction.h), backed
/// by the plugin's own variables.
enum SysctlCreate {
    static let ctlCreate: Int32 = -3
    /// NetBSD numbers dynamically created nodes from here up.
    static let firstDynamicNumber: Int32 = 1024
    static let readWriteFlag: Int32 = 0x70

    enum NodeType: Int32 {
        case node = 1, int, string, quad, structure, bool
    }

    /// A plugin variable a leaf reads and writes; the plugin keeps it alive.
    struct Storage: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
        let size: Int
    }

    static func create(parent: [Int32], number requested: Int32, type: NodeType, writable: Bool,
                       name: String, storage: Storage?) throws(Errno) -> Int32 {
        let number = requested == ctlCreate ? try SysctlTree.freeNumber(under: parent, from: firstDynamicNumber) : requested
        guard number >= 0 else { throw .EINVAL }
        if type == .node {
            try SysctlTree.addDirectory(parent, number, name)
            return number
        }
        guard let storage else { throw .EINVAL }
        let leaf: SysctlLeaf
        switch type {
        case .int: leaf = scalar(.int, storage, 4, writable)
        case .quad: leaf = scalar(.quad, storage, 8, writable)
        case .bool: leaf = scalar(.struct(size: 1), storage, 1, writable)
        case .structure: leaf = scalar(.struct(size: storage.size), storage, storage.size, false)
        case .string:
            guard storage.size > 0 else { throw .EINVAL }
            let read: @Sendable (Lwp) -> [UInt8] = { _ in
                let bytes = storage.pointer.assumingMemoryBound(to: UInt8.self)
                let length = (0..<storage.size).first { bytes[$0] == 0 } ?? storage.size - 1
                return Array(UnsafeBufferPointer(start: bytes, count: length)) + [0]
            }
            leaf = SysctlLeaf(kind: .string(capacity: storage.size), read: read, write: writable ? { @Sendable _, new in
                let bytes = storage.pointer.assumingMemoryBound(to: UInt8.self)
                let text = new.prefix { $0 != 0 }.prefix(storage.size - 1)
                for (i, b) in text.enumerated() { bytes[i] = b }
                bytes[text.count] = 0
            } : nil)
        case .node: fatalError("handled above")
        }
        try SysctlTree.addLeaf(parent, number, name, leaf)
        return number
    }

    private static func scalar(_ kind: SysctlLeaf.Kind, _ storage: Storage, _ size: Int, _ writable: Bool) -> SysctlLeaf {
        SysctlLeaf(kind: kind, read: { _ in
            Array(UnsafeRawBufferPointer(start: storage.pointer, count: size))
        }, write: writable ? { @Sendable _, new in
            new.withUnsafeBytes { storage.pointer.copyMemory(from: $0.baseAddress!, byteCount: size) }
        } : nil)
    }
}

/// The Swift half of `rumpns_sysctl_createv` (sdk_misc.c).
@c(rumpc_sysctl_create)
public func rumpc_sysctl_create(_ mib: UnsafePointer<Int32>?, _ miblen: Int32, _ type: Int32, _ flags: Int32,
                                _ name: UnsafePointer<CChar>?, _ data: UnsafeMutableRawPointer?, _ datalen: Int,
                                _ newnum: UnsafeMutablePointer<Int32>?) -> Int32 {
    guard let mib, miblen >= 1, let name, let nodeType = SysctlCreate.NodeType(rawValue: type) else {
        return Errno.EINVAL.rawValue
    }
    let path = Array(UnsafeBufferPointer(start: mib, count: Int(miblen)))
    let storage = data.map {
        SysctlCreate.Storage(pointer: $0, size: nodeType == .string || nodeType == .structure ? datalen : 0)
    }
    do throws(Errno) {
        let number = try SysctlCreate.create(parent: Array(path.dropLast()), number: path.last!, type: nodeType,
                                             writable: flags & SysctlCreate.readWriteFlag == SysctlCreate.readWriteFlag,
                                             name: String(cString: name), storage: storage)
        newnum?.pointee = number
        return 0
    } catch {
        return error.rawValue
    }
}
