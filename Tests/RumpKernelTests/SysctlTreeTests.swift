import Synchronization
import Testing

@testable import RumpKernel

/// Each test owns a top-level number from 4242 on, far from the kernel's own
/// tree (1-13), so that tests run in parallel with each other and with a boot.
private enum Top {
    static let lookups: Int32 = 4242
    static let errors: Int32 = 4243
    static let adding: Int32 = 4244
    static let removing: Int32 = 4245
    static let encodings: Int32 = 4246
    static let writable: Int32 = 4247
    static let names: Int32 = 4248
    static let nonEmpty: Int32 = 4249
    static let sameName: Int32 = 4250
}

private final class Store: @unchecked Sendable {
    let value = Mutex<[UInt8]>(Array("initial".utf8))
}

@Suite("Sysctl tree")
struct SysctlTreeTests {
    let lwp = detachedLwp()

    @Test("a leaf is found by its full MIB")
    func lookup() throws {
        try SysctlTree.addDirectory([], Top.lookups, "unittest_lookups")
        try SysctlTree.addDirectory([Top.lookups], 1, "sub")
        try SysctlTree.addLeaf([Top.lookups, 1], 7, "answer", .int { 42 })
        let leaf = try SysctlTree.leaf(at: [Top.lookups, 1, 7])
        #expect(leaf.kind == .int)
        #expect(leaf.read(lwp) == [42, 0, 0, 0])
        #expect(leaf.write == nil)
    }

    @Test("NetBSD errors for bad names")
    func errors() throws {
        try SysctlTree.addDirectory([], Top.errors, "unittest_errors")
        try SysctlTree.addDirectory([Top.errors], 2, "dir")
        try SysctlTree.addLeaf([Top.errors], 3, "leaf", .int { 1 })
        // Unknown numbers, at the top and further down: ENOENT.
        #expect(throws: Errno.ENOENT) { try SysctlTree.leaf(at: [987_654]) }
        #expect(throws: Errno.ENOENT) { try SysctlTree.leaf(at: [Top.errors, 99]) }
        #expect(throws: Errno.ENOENT) { try SysctlTree.leaf(at: [Top.errors, 2, 5]) }
        // A name that goes on below a leaf: ENOTDIR.
        #expect(throws: Errno.ENOTDIR) { try SysctlTree.leaf(at: [Top.errors, 3, 1]) }
        #expect(throws: Errno.ENOTDIR) { try SysctlTree.leaf(at: [Top.errors, 3, 1, 1]) }
        // A name that stops at a directory: EINVAL, as NetBSD's sysctl_lookup
        // ("you can't look up a node").
        #expect(throws: Errno.EINVAL) { try SysctlTree.leaf(at: [Top.errors]) }
        #expect(throws: Errno.EINVAL) { try SysctlTree.leaf(at: [Top.errors, 2]) }
        // The leaf itself is fine.
        #expect(try SysctlTree.leaf(at: [Top.errors, 3]).read(lwp) == [1, 0, 0, 0])
    }

    @Test("adding: EEXIST for a taken number, ENOENT under a missing parent")
    func adding() throws {
        let top = Top.adding
        try SysctlTree.addDirectory([], top, "unittest_adding")
        // The same directory twice is harmless.
        try SysctlTree.addDirectory([], top, "unittest_adding")
        // Another directory at the number: EEXIST.
        #expect(throws: Errno.EEXIST) { try SysctlTree.addDirectory([], top, "other_name") }
        try SysctlTree.addLeaf([top], 1, "leaf", .int { 1 })
        // A leaf over a leaf, a directory over a leaf, a leaf over a directory.
        #expect(throws: Errno.EEXIST) { try SysctlTree.addLeaf([top], 1, "leaf", .int { 2 }) }
        #expect(throws: Errno.EEXIST) { try SysctlTree.addDirectory([top], 1, "leaf") }
        try SysctlTree.addDirectory([top], 2, "dir")
        #expect(throws: Errno.EEXIST) { try SysctlTree.addLeaf([top], 2, "dir", .int { 3 }) }
        // Missing parents.
        #expect(throws: Errno.ENOENT) { try SysctlTree.addDirectory([top, 77], 1, "orphan") }
        #expect(throws: Errno.ENOENT) { try SysctlTree.addLeaf([top, 77], 1, "orphan", .int { 0 }) }
        // Under a leaf: there is no directory with that path.
        #expect(throws: Errno.ENOENT) { try SysctlTree.addLeaf([top, 1], 1, "below_leaf", .int { 0 }) }
        // The first leaf is untouched.
        #expect(try SysctlTree.leaf(at: [top, 1]).read(lwp) == [1, 0, 0, 0])
    }

    /// NetBSD's sysctl_create refuses a node whose *name* is taken in the
    /// directory as well as one whose number is: EEXIST either way.
    @Test("a name already used in the directory is EEXIST")
    func duplicateName() throws {
        let top = Top.sameName
        try SysctlTree.addDirectory([], top, "unittest_samename")
        try SysctlTree.addLeaf([top], 1, "twin", .int { 1 })
        try SysctlTree.addDirectory([top], 3, "dir")
        #expect(throws: Errno.EEXIST) { try SysctlTree.addLeaf([top], 2, "twin", .int { 2 }) }
        #expect(throws: Errno.EEXIST) { try SysctlTree.addDirectory([top], 4, "dir") }
    }

    @Test("removing leaves and empty directories")
    func removing() throws {
        let top = Top.removing
        try SysctlTree.addDirectory([], top, "unittest_removing")
        try SysctlTree.addDirectory([top], 1, "dir")
        try SysctlTree.addLeaf([top, 1], 1, "leaf", .int { 5 })

        try SysctlTree.remove([top, 1, 1])
        #expect(throws: Errno.ENOENT) { try SysctlTree.leaf(at: [top, 1, 1]) }
        #expect(throws: Errno.ENOENT) { try SysctlTree.remove([top, 1, 1]) }

        try SysctlTree.remove([top, 1])
        #expect(throws: Errno.ENOENT) { try SysctlTree.leaf(at: [top, 1]) }
        // The directory's children went with it: nothing can be added below.
        #expect(throws: Errno.ENOENT) { try SysctlTree.addLeaf([top, 1], 1, "leaf", .int { 5 }) }
        // The number is free again, for anything.
        try SysctlTree.addLeaf([top], 1, "reused", .int { 6 })
        #expect(try SysctlTree.leaf(at: [top, 1]).read(lwp) == [6, 0, 0, 0])

        #expect(throws: Errno.ENOENT) { try SysctlTree.remove([top, 55]) }
        #expect(throws: Errno.ENOENT) { try SysctlTree.remove([top, 55, 1]) }
        #expect(throws: Errno.EINVAL) { try SysctlTree.remove([]) }
    }

    @Test("a directory with entries is ENOTEMPTY")
    func nonEmpty() throws {
        let top = Top.nonEmpty
        try SysctlTree.addDirectory([], top, "unittest_nonempty")
        try SysctlTree.addDirectory([top], 1, "dir")
        try SysctlTree.addDirectory([top, 1], 2, "subdir")
        #expect(throws: Errno.ENOTEMPTY) { try SysctlTree.remove([top, 1]) }
        #expect(throws: Errno.ENOTEMPTY) { try SysctlTree.remove([top]) }
        // Still there.
        #expect(throws: Errno.EINVAL) { try SysctlTree.leaf(at: [top, 1, 2]) }
        try SysctlTree.remove([top, 1, 2])
        try SysctlTree.remove([top, 1])
        try SysctlTree.remove([top])
        #expect(throws: Errno.ENOENT) { try SysctlTree.leaf(at: [top]) }
    }

    @Test("leaf encodings: int is 4 little-endian bytes, quad 8, strings end with NUL")
    func encodings() throws {
        let top = Top.encodings
        try SysctlTree.addDirectory([], top, "unittest_encodings")
        try SysctlTree.addLeaf([top], 1, "int", .int { 0x0102_0304 })
        try SysctlTree.addLeaf([top], 2, "negative", .int { -2 })
        try SysctlTree.addLeaf([top], 3, "quad", .quad { 0x0102_0304_0506_0708 })
        try SysctlTree.addLeaf([top], 4, "string", .string { Array("NetBSD".utf8) })
        try SysctlTree.addLeaf([top], 5, "empty", .string { [] })
        try SysctlTree.addLeaf([top], 6, "struct", .structure(size: 3) { [9, 8, 7] })

        let int = try SysctlTree.leaf(at: [top, 1])
        #expect(int.read(lwp) == [4, 3, 2, 1])
        #expect(try SysctlTree.leaf(at: [top, 2]).read(lwp) == [0xfe, 0xff, 0xff, 0xff])

        let quad = try SysctlTree.leaf(at: [top, 3])
        #expect(quad.kind == .quad)
        #expect(quad.read(lwp) == [8, 7, 6, 5, 4, 3, 2, 1])

        let string = try SysctlTree.leaf(at: [top, 4])
        #expect(string.kind == .string(capacity: 0))
        #expect(string.read(lwp) == [78, 101, 116, 66, 83, 68, 0])
        #expect(string.read(lwp).count == 7)
        #expect(string.write == nil)

        #expect(try SysctlTree.leaf(at: [top, 5]).read(lwp) == [0])

        let structure = try SysctlTree.leaf(at: [top, 6])
        #expect(structure.kind == .struct(size: 3))
        #expect(structure.read(lwp) == [9, 8, 7])
    }

    @Test("a writable string leaf stores up to the first NUL")
    func writableString() throws {
        let top = Top.writable
        let store = Store()
        try SysctlTree.addDirectory([], top, "unittest_writable")
        try SysctlTree.addLeaf([top], 1, "name", .string(
            capacity: 16, get: { store.value.withLock { $0 } }, set: { v in store.value.withLock { $0 = v } }))
        let leaf = try SysctlTree.leaf(at: [top, 1])
        #expect(leaf.kind == .string(capacity: 16))
        #expect(leaf.read(lwp) == Array("initial".utf8) + [0])

        let write = try #require(leaf.write)
        try write(lwp, Array("abc".utf8) + [0, 120, 121])
        #expect(store.value.withLock { $0 } == Array("abc".utf8))
        #expect(leaf.read(lwp) == [97, 98, 99, 0])
        try write(lwp, Array("xyz".utf8))
        #expect(leaf.read(lwp) == [120, 121, 122, 0])
        try write(lwp, [])
        #expect(leaf.read(lwp) == [0])
    }

    @Test("names of a MIB's components")
    func names() throws {
        let top = Top.names
        try SysctlTree.addDirectory([], top, "unittest_names")
        try SysctlTree.addDirectory([top], 3, "middle")
        try SysctlTree.addLeaf([top, 3], 4, "end", .int { 0 })
        #expect(SysctlTree.names(of: [top]) == ["unittest_names"])
        #expect(SysctlTree.names(of: [top, 3, 4]) == ["unittest_names", "middle", "end"])
        #expect(SysctlTree.names(of: [top, 9]) == nil)
        #expect(SysctlTree.names(of: [top, 3, 4, 5]) == nil)
        #expect(SysctlTree.names(of: []) == [])
    }

    @Test("the kernel's top-level numbers are NetBSD's")
    func topLevelNumbers() {
        #expect(Sysctl.ctlKern == 1)
        #expect(Sysctl.ctlVm == 2)
        #expect(Sysctl.ctlVfs == 3)
        #expect(Sysctl.ctlNet == 4)
        #expect(Sysctl.ctlDebug == 5)
        #expect(Sysctl.ctlHw == 6)
        #expect(Sysctl.ctlMachdep == 7)
        #expect(Sysctl.ctlUser == 8)
        #expect(Sysctl.ctlProc == 10)
        #expect(Sysctl.ctlSecurity == 13)
        #expect(sysctlMaxName == 12)
    }
}
