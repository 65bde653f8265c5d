import Testing

@testable import RumpKernel

/// Buffers that stay put for the length of a test.
private final class Buffers {
    var storage: [UnsafeMutableRawBufferPointer] = []

    /// A buffer of `count` bytes filled with `fill`.
    func make(_ count: Int, fill: UInt8 = 0) -> UnsafeMutableRawBufferPointer {
        let b = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        b.initializeMemory(as: UInt8.self, repeating: fill)
        let slice = UnsafeMutableRawBufferPointer(rebasing: b[0..<count])
        storage.append(b)
        return slice
    }

    func make(_ bytes: [UInt8]) -> UnsafeMutableRawBufferPointer {
        let b = make(bytes.count)
        b.copyBytes(from: bytes)
        return b
    }

    deinit { storage.forEach { $0.deallocate() } }
}

private func segment(_ b: UnsafeMutableRawBufferPointer) -> Uio.Segment {
    Uio.Segment(base: b.baseAddress, count: b.count)
}

private func bytes(_ b: UnsafeMutableRawBufferPointer) -> [UInt8] { Array(b) }

private let abc = Array("ABCDEFGHIJ".utf8)

/// Serialized: the C handle tests check that freed handles are dead, which a
/// handle made meanwhile by a parallel test at a reused address would upset.
@Suite("uio", .serialized)
struct UioTests {
    @Test("RUMPUIO_READ is 0, RUMPUIO_WRITE 1")
    func directions() {
        #expect(Uio.Direction.read.rawValue == 0)
        #expect(Uio.Direction.write.rawValue == 1)
        #expect(Uio.Direction(rawValue: 2) == nil)
    }

    @Test("a new uio's residual is the sum of its segments")
    func residualAtStart() {
        let m = Buffers()
        let uio = Uio(segments: [segment(m.make(3)), segment(m.make(0)), segment(m.make(5))],
                      offset: 1000, direction: .read, space: .kernel)
        #expect(uio.residual == 8)
        #expect(uio.offset == 1000)
        #expect(uio.direction == .read)
    }

    @Test("read: kernel data is scattered over the segments in order")
    func scatter() throws {
        let m = Buffers()
        let a = m.make(3), b = m.make(2), c = m.make(5)
        let uio = Uio(segments: [segment(a), segment(b), segment(c)], offset: 0, direction: .read, space: .kernel)
        var source = abc
        let moved = try source.withUnsafeMutableBytes { k -> Int in
            try uio.move(k.baseAddress!, count: 10)
        }
        #expect(moved == 10)
        #expect(bytes(a) == Array("ABC".utf8))
        #expect(bytes(b) == Array("DE".utf8))
        #expect(bytes(c) == Array("FGHIJ".utf8))
        #expect(uio.residual == 0)
        #expect(uio.offset == 10)
    }

    @Test("write: the segments are gathered into kernel memory in order")
    func gather() throws {
        let m = Buffers()
        let a = m.make(Array("12".utf8)), b = m.make(Array("345".utf8)), c = m.make(Array("6".utf8))
        let uio = Uio(segments: [segment(a), segment(b), segment(c)], offset: 50, direction: .write, space: .kernel)
        var kernel = [UInt8](repeating: 0, count: 8)
        let moved = try kernel.withUnsafeMutableBytes { k -> Int in
            try uio.move(k.baseAddress!, count: 8)
        }
        #expect(moved == 6)
        #expect(kernel == Array("123456".utf8) + [0, 0])
        #expect(uio.residual == 0)
        #expect(uio.offset == 56)
        // The buffers were only read.
        #expect(bytes(a) == Array("12".utf8))
    }

    @Test("partial moves keep residual and offset, and resume mid-segment")
    func partialMoves() throws {
        let m = Buffers()
        let a = m.make(4), b = m.make(4)
        let uio = Uio(segments: [segment(a), segment(b)], offset: 100, direction: .read, space: .kernel)
        var source = abc
        try source.withUnsafeMutableBytes { (k) throws in
            #expect(try uio.move(k.baseAddress!, count: 3) == 3)
            #expect(uio.residual == 5)
            #expect(uio.offset == 103)
            // Crosses from the first segment into the second.
            #expect(try uio.move(k.baseAddress! + 3, count: 2) == 2)
            #expect(uio.residual == 3)
            #expect(uio.offset == 105)
            #expect(try uio.move(k.baseAddress! + 5, count: 1) == 1)
            #expect(uio.residual == 2)
            #expect(uio.offset == 106)
        }
        #expect(bytes(a) == Array("ABCD".utf8))
        #expect(bytes(b) == Array("EF".utf8) + [0, 0])
    }

    @Test("a move larger than the buffers moves what fits")
    func oversizedMove() throws {
        let m = Buffers()
        let a = m.make(2), b = m.make(3)
        let uio = Uio(segments: [segment(a), segment(b)], offset: 7, direction: .read, space: .kernel)
        var source = [UInt8](repeating: 0x5a, count: 64)
        try source.withUnsafeMutableBytes { (k) throws in
            #expect(try uio.move(k.baseAddress!, count: 64) == 5)
            #expect(uio.residual == 0)
            #expect(uio.offset == 12)
            // Exhausted: nothing more moves.
            #expect(try uio.move(k.baseAddress!, count: 64) == 0)
            #expect(uio.residual == 0)
            #expect(uio.offset == 12)
        }
        #expect(bytes(a) == [0x5a, 0x5a])
        #expect(bytes(b) == [0x5a, 0x5a, 0x5a])
    }

    @Test("zero-length segments are skipped, wherever they are")
    func zeroLengthSegments() throws {
        let m = Buffers()
        let a = m.make(2), b = m.make(2)
        let empty = Uio.Segment(base: nil, count: 0)
        let uio = Uio(segments: [empty, segment(a), empty, empty, segment(b), empty],
                      offset: 0, direction: .read, space: .kernel)
        #expect(uio.residual == 4)
        var source = abc
        let moved = try source.withUnsafeMutableBytes { k -> Int in
            try uio.move(k.baseAddress!, count: 10)
        }
        #expect(moved == 4)
        #expect(bytes(a) == Array("AB".utf8))
        #expect(bytes(b) == Array("CD".utf8))
        #expect(uio.residual == 0)
    }

    @Test("only zero-length segments: nothing to move")
    func allEmpty() throws {
        let uio = Uio(segments: [.init(base: nil, count: 0), .init(base: nil, count: 0)],
                      offset: 3, direction: .write, space: .kernel)
        #expect(uio.residual == 0)
        var kernel = [UInt8](repeating: 1, count: 4)
        let moved = try kernel.withUnsafeMutableBytes { k -> Int in
            try uio.move(k.baseAddress!, count: 4)
        }
        #expect(moved == 0)
        #expect(kernel == [1, 1, 1, 1])
        #expect(uio.offset == 3)
    }

    @Test("no segments at all")
    func noSegments() throws {
        let uio = Uio(segments: [], offset: 0, direction: .read, space: .kernel)
        var k = [UInt8](repeating: 0, count: 1)
        #expect(try k.withUnsafeMutableBytes { p -> Int in try uio.move(p.baseAddress!, count: 1) } == 0)
        #expect(uio.residual == 0)
    }

    @Test("a zero-byte move changes nothing")
    func zeroMove() throws {
        let m = Buffers()
        let a = m.make(4)
        let uio = Uio(segments: [segment(a)], offset: 9, direction: .read, space: .kernel)
        var source = abc
        let moved = try source.withUnsafeMutableBytes { k -> Int in
            try uio.move(k.baseAddress!, count: 0)
        }
        #expect(moved == 0)
        #expect(uio.residual == 4)
        #expect(uio.offset == 9)
        #expect(bytes(a) == [0, 0, 0, 0])
    }

    @Test("the offset may start anywhere, including negative")
    func offsets() throws {
        let m = Buffers()
        let uio = Uio(segments: [segment(m.make(4))], offset: -2, direction: .read, space: .kernel)
        var source = abc
        _ = try source.withUnsafeMutableBytes { k -> Int in try uio.move(k.baseAddress!, count: 4) }
        #expect(uio.offset == 2)
    }

    @Test("user-space uio: a NULL user buffer faults with EFAULT, nothing moves")
    func userFault() {
        let uio = Uio(segments: [Uio.Segment(base: nil, count: 4)], offset: 0, direction: .read,
                      space: .user(detachedLwp()))
        var source = abc
        _ = source.withUnsafeMutableBytes { k in
            #expect(throws: Errno.EFAULT) { try uio.move(k.baseAddress!, count: 4) }
        }
        #expect(uio.residual == 4)
        #expect(uio.offset == 0)
    }

    @Test("user-space uio over valid memory moves like a kernel one")
    func userSpace() throws {
        let m = Buffers()
        let a = m.make(3), b = m.make(3)
        let uio = Uio(segments: [segment(a), segment(b)], offset: 0, direction: .read,
                      space: .user(detachedLwp()))
        var source = abc
        let moved = try source.withUnsafeMutableBytes { k -> Int in
            try uio.move(k.baseAddress!, count: 6)
        }
        #expect(moved == 6)
        #expect(bytes(a) + bytes(b) == Array("ABCDEF".utf8))
        #expect(uio.residual == 0)
    }

    // MARK: C entry points

    @Test("rump_pub_uio_setup / getresid / getoff / free")
    func cInterface() throws {
        let m = Buffers()
        let buffer = m.make(16)
        let handle = try #require(rump_pub_uio_setup(buffer.baseAddress, 16, 4096, 0))
        #expect(rump_pub_uio_getresid(handle) == 16)
        #expect(rump_pub_uio_getoff(handle) == 4096)
        #expect(rump_uio_getresid(handle) == 16)
        #expect(rump_uio_getoff(handle) == 4096)

        // Move 5 bytes through the object behind the handle.
        let uio = Unmanaged<Uio>.fromOpaque(handle).takeUnretainedValue()
        var source = abc
        _ = try source.withUnsafeMutableBytes { k -> Int in try uio.move(k.baseAddress!, count: 5) }
        #expect(rump_pub_uio_getresid(handle) == 11)
        #expect(rump_pub_uio_getoff(handle) == 4101)
        #expect(Array(buffer.prefix(5)) == Array("ABCDE".utf8))

        #expect(rump_pub_uio_free(handle) == 11)
    }

    @Test("rump_uio_setup: a write uio; free returns the untouched residual")
    func cInterfaceWrite() throws {
        let m = Buffers()
        let buffer = m.make(Array("hello".utf8))
        let handle = try #require(rump_uio_setup(buffer.baseAddress, 5, -1, 1))
        #expect(rump_uio_getresid(handle) == 5)
        #expect(rump_uio_getoff(handle) == -1)
        #expect(rump_uio_free(handle) == 5)
    }

    @Test("a zero-length uio over NULL is fine")
    func cZeroLength() throws {
        let handle = try #require(rump_pub_uio_setup(nil, 0, 0, 0))
        #expect(rump_pub_uio_getresid(handle) == 0)
        #expect(rump_pub_uio_free(handle) == 0)
    }

    @Test("bad input to the C interface is refused, not followed")
    func cBadInput() throws {
        let m = Buffers()
        let buffer = m.make(8)
        // Bad direction, NULL buffer with a length: NULL handle.
        #expect(rump_pub_uio_setup(buffer.baseAddress, 8, 0, 2) == nil)
        #expect(rump_pub_uio_setup(buffer.baseAddress, 8, 0, -1) == nil)
        #expect(rump_pub_uio_setup(nil, 8, 0, 0) == nil)
        // NULL handles read as empty.
        #expect(rump_pub_uio_getresid(nil) == 0)
        #expect(rump_pub_uio_getoff(nil) == 0)
        #expect(rump_pub_uio_free(nil) == 0)
        // A handle that was freed is no longer live.
        let handle = try #require(rump_pub_uio_setup(buffer.baseAddress, 8, 77, 0))
        #expect(rump_pub_uio_free(handle) == 8)
        #expect(rump_pub_uio_getresid(handle) == 0)
        #expect(rump_pub_uio_getoff(handle) == 0)
        // A pointer that was never a uio.
        #expect(rump_pub_uio_getresid(buffer.baseAddress) == 0)
    }
}
