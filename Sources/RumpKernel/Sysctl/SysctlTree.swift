import Synchronization

/// A sysctl leaf: how to read it, and (if writable) how to write it.
struct SysctlLeaf: Sendable {
    /// The value's type, which decides what a write may carry.
    enum Kind: Sendable, Equatable {
        case int
        case quad
        /// A NUL-terminated string in a buffer of `capacity` bytes.
        case string(capacity: Int)
        case `struct`(size: Int)
    }

    let kind: Kind
    let read: @Sendable (Lwp) -> [UInt8]
    let write: (@Sendable (Lwp, [UInt8]) throws(Errno) -> Void)?
}

/// A node that serves every name below it itself, as NetBSD's nodes with a
/// helper function do (`kern.proc2` takes four more numbers). The handler
/// gets the rest of the name, the caller's old buffer and its size, copies
/// out what it answers, and sets `oldlen` to the length it reports; the
/// system call reports that length even when the handler then throws.
struct SysctlHandler: Sendable {
    let call: @Sendable (_ l: Lwp, _ rest: [Int32], _ oldp: UnsafeMutableRawPointer?,
                         _ oldlen: inout Int) throws(Errno) -> Void
}

/// What a MIB names: a leaf, or a handler node and the rest of the name.
enum SysctlTarget {
    case leaf(SysctlLeaf)
    case handler(SysctlHandler, rest: [Int32])
}

/// The sysctl name space: directories of numbered, named entries.
///
/// Entries are added at boot and by factions; a lookup takes the tree lock only
/// to find its leaf, and runs the leaf outside it.
enum SysctlTree {
    enum Entry: Sendable {
        case directory(name: String)
        case leaf(name: String, SysctlLeaf)
        case handler(name: String, SysctlHandler)

        var name: String {
            switch self {
            case .directory(let name), .leaf(let name, _), .handler(let name, _): return name
            }
        }
    }

    /// Children of each directory, by the directory's MIB path.
    private static let tree = Mutex<[[Int32]: [Int32: Entry]]>([[]: [:]])

    /// Add a directory under `parent`. EEXIST if the number is taken by a
    /// different entry; adding the same directory twice is harmless.
    static func addDirectory(_ parent: [Int32], _ number: Int32, _ name: String) throws(Errno) {
        try tree.withLock { (t) throws(Errno) in
            guard t[parent] != nil else { throw .ENOENT }
            if let existing = t[parent]?[number] {
                guard case .directory(let n) = existing, n == name else { throw .EEXIST }
                return
            }
            if t[parent]!.values.contains(where: { $0.name == name }) { throw .EEXIST }
            t[parent]?[number] = .directory(name: name)
            t[parent + [number]] = [:]
        }
    }

    /// Add a leaf under directory `parent`.
    static func addLeaf(_ parent: [Int32], _ number: Int32, _ name: String, _ leaf: SysctlLeaf) throws(Errno) {
        try add(parent, number, .leaf(name: name, leaf))
    }

    /// Add a handler node under directory `parent`.
    static func addHandler(_ parent: [Int32], _ number: Int32, _ name: String,
                           _ handler: SysctlHandler) throws(Errno) {
        try add(parent, number, .handler(name: name, handler))
    }

    private static func add(_ parent: [Int32], _ number: Int32, _ entry: Entry) throws(Errno) {
        try tree.withLock { (t) throws(Errno) in
            guard t[parent] != nil else { throw .ENOENT }
            guard t[parent]?[number] == nil else { throw .EEXIST }
            if t[parent]!.values.contains(where: { $0.name == entry.name }) { throw .EEXIST }
            t[parent]?[number] = entry
        }
    }

    /// The lowest number at or above `from` that no entry under `parent` uses.
    static func freeNumber(under parent: [Int32], from: Int32) throws(Errno) -> Int32 {
        try tree.withLock { (t) throws(Errno) -> Int32 in
            guard let children = t[parent] else { throw .ENOENT }
            var n = from
            while children[n] != nil { n += 1 }
            return n
        }
    }

    /// Remove a leaf or an empty directory.
    static func remove(_ path: [Int32]) throws(Errno) {
        guard let number = path.last else { throw .EINVAL }
        let parent = Array(path.dropLast())
        try tree.withLock { (t) throws(Errno) in
            guard t[parent]?[number] != nil else { throw .ENOENT }
            if let children = t[path] {
                guard children.isEmpty else { throw .ENOTEMPTY }
                t[path] = nil
            }
            t[parent]?[number] = nil
        }
    }

    /// Find the leaf a MIB names, with NetBSD's errors: ENOENT for an unknown
    /// number, ENOTDIR for a name that goes on below a leaf, EINVAL for a name
    /// that stops at a directory (the code's answer; sysctl(3) says EISDIR).
    /// A handler node takes the rest of the name, however long.
    static func target(at name: [Int32]) throws(Errno) -> SysctlTarget {
        try tree.withLock { (t) throws(Errno) -> SysctlTarget in
            var path: [Int32] = []
            for (i, number) in name.enumerated() {
                guard let children = t[path] else { throw .ENOTDIR }
                guard let entry = children[number] else { throw .ENOENT }
                switch entry {
                case .directory:
                    path.append(number)
                case .leaf(_, let leaf):
                    if i != name.count - 1 { throw .ENOTDIR }
                    return .leaf(leaf)
                case .handler(_, let handler):
                    return .handler(handler, rest: Array(name[(i + 1)...]))
                }
            }
            throw .EINVAL
        }
    }

    /// The leaf a MIB names (ENOTDIR for a handler node, which has no value
    /// of its own to read).
    static func leaf(at name: [Int32]) throws(Errno) -> SysctlLeaf {
        guard case .leaf(let leaf) = try target(at: name) else { throw .ENOTDIR }
        return leaf
    }

    /// The name of each component of a MIB, for messages and tests.
    static func names(of name: [Int32]) -> [String]? {
        tree.withLock { t -> [String]? in
            var path: [Int32] = []
            var names: [String] = []
            for number in name {
                guard let entry = t[path]?[number] else { return nil }
                switch entry {
                case .directory(let n), .leaf(let n, _), .handler(let n, _): names.append(n)
                }
                path.append(number)
            }
            return names
        }
    }
}

extension SysctlLeaf {
    /// A read-only string.
    static func string(_ value: @escaping @Sendable () -> [UInt8]) -> SysctlLeaf {
        SysctlLeaf(kind: .string(capacity: 0), read: { _ in value() + [0] }, write: nil)
    }

    /// A string root may set, of at most `capacity` bytes with its NUL.
    static func string(capacity: Int, get: @escaping @Sendable () -> [UInt8],
                       set: @escaping @Sendable ([UInt8]) -> Void) -> SysctlLeaf {
        SysctlLeaf(kind: .string(capacity: capacity), read: { _ in get() + [0] }) { _, bytes in
            // The stored string ends at the first NUL, if the caller sent one.
            set(Array(bytes.prefix { $0 != 0 }))
        }
    }

    /// A read-only 32-bit integer.
    static func int(_ value: @escaping @Sendable () -> Int32) -> SysctlLeaf {
        SysctlLeaf(kind: .int, read: { _ in withUnsafeBytes(of: value()) { Array($0) } }, write: nil)
    }

    /// A read-only 64-bit integer.
    static func quad(_ value: @escaping @Sendable () -> Int64) -> SysctlLeaf {
        SysctlLeaf(kind: .quad, read: { _ in withUnsafeBytes(of: value()) { Array($0) } }, write: nil)
    }

    /// A read-only structure, given as its bytes.
    static func structure(size: Int, _ value: @escaping @Sendable () -> [UInt8]) -> SysctlLeaf {
        SysctlLeaf(kind: .struct(size: size), read: { _ in value() }, write: nil)
    }
}
