/// NetBSD's `struct uio`: a scatter/gather transfer between kernel code and a
/// set of buffers, with an offset and a residual count that `move` advances.
/// The buffers are either kernel memory or a calling process's memory, which
/// `move` reaches through `copyin`/`copyout` (so remote callers work too).
public final class Uio {
    /// Which way data flows: out of the kernel into the buffers (read), or in.
    public enum Direction: Int32 {
        case read = 0
        case write = 1
    }

    /// Whose memory the buffers are in.
    enum Space {
        case kernel
        case user(Lwp)
    }

    /// One buffer: an address in `space` and a length. User addresses are only
    /// numbers here; `copyin`/`copyout` check them.
    struct Segment {
        var base: UnsafeMutableRawPointer?
        var count: Int
    }

    /// The buffers: the first inline (a read or write has one and needs no
    /// array), the others (readv, writev) in `rest`. They are never
    /// rewritten, since the caller may share the array: `consumed` says how
    /// far into buffer `index` the transfer is.
    private var first: Segment
    private var rest: [Segment]
    private var index = 0
    private var consumed = 0
    let space: Space
    /// The file offset the transfer is at.
    public internal(set) var offset: Int64
    /// Bytes still to move.
    public private(set) var residual: Int
    public let direction: Direction

    init(segments: [Segment], offset: Int64, direction: Direction, space: Space) {
        self.first = segments.first ?? Segment(base: nil, count: 0)
        self.rest = segments.count > 1 ? Array(segments.dropFirst()) : []
        self.offset = offset
        self.residual = segments.reduce(0) { $0 + $1.count }
        self.direction = direction
        self.space = space
    }

    /// A transfer over one buffer.
    init(base: UnsafeMutableRawPointer?, count: Int, offset: Int64, direction: Direction, space: Space) {
        self.first = Segment(base: base, count: count)
        self.rest = []
        self.offset = offset
        self.residual = count
        self.direction = direction
        self.space = space
    }

    /// Move up to `count` bytes between `kernel` and the buffers, in the uio's
    /// direction; returns how many moved. A fault leaves the uio at the point
    /// reached and throws EFAULT.
    @discardableResult
    func move(_ kernel: UnsafeMutableRawPointer, count: Int) throws(Errno) -> Int {
        var done = 0
        while done < count && index <= rest.count {
            let segment = index == 0 ? first : rest[index - 1]
            let n = min(segment.count - consumed, count - done)
            if n > 0 {
                try transfer(kernel + done, segment.base.map { $0 + consumed }, n)
                done += n
                residual -= n
                offset += Int64(n)
                consumed += n
            }
            if consumed == segment.count {
                index += 1
                consumed = 0
            }
        }
        return done
    }

    /// Consume the rest of the transfer without moving any bytes.
    func discard() {
        offset += Int64(residual)
        residual = 0
        index = rest.count + 1
        consumed = 0
    }

    /// The `struct uio *` drivers see (valid while the transfer runs).
    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    private func transfer(_ kernel: UnsafeMutableRawPointer, _ buffer: UnsafeMutableRawPointer?, _ n: Int) throws(Errno) {
        switch (space, direction) {
        case (.kernel, .read): buffer.unsafelyUnwrapped.copyMemory(from: kernel, byteCount: n)
        case (.kernel, .write): kernel.copyMemory(from: buffer.unsafelyUnwrapped, byteCount: n)
        case (.user(let l), .read): try copyout(l, from: kernel, to: buffer, count: n)
        case (.user(let l), .write): try copyin(l, from: buffer, into: kernel, count: n)
        }
    }
}

/// Every uio handed out to C, so that a bad pointer is refused, not followed.
private let liveUios = HandleRegistry<Uio>()

/// A one-segment uio over kernel memory `buf`. NULL (and a message) for a bad
/// direction, where the reference kernel panics.
@c(rump_pub_uio_setup)
public func rump_pub_uio_setup(_ buf: UnsafeMutableRawPointer?, _ len: Int, _ off: Int64,
                               _ rw: Int32) -> UnsafeMutableRawPointer? {
    guard let direction = Uio.Direction(rawValue: rw) else {
        Console.warn("rump_pub_uio_setup: bad direction \(rw) (want RUMPUIO_READ or RUMPUIO_WRITE)")
        return nil
    }
    guard len == 0 || buf != nil else {
        Console.warn("rump_pub_uio_setup: NULL buffer of \(len) bytes")
        return nil
    }
    let segment = Uio.Segment(base: buf, count: len)
    return liveUios.insert(Uio(segments: [segment], offset: off, direction: direction, space: .kernel))
}

@c(rump_pub_uio_getresid)
public func rump_pub_uio_getresid(_ uio: UnsafeMutableRawPointer?) -> Int {
    liveUios.find(uio)?.residual ?? 0
}

@c(rump_pub_uio_getoff)
public func rump_pub_uio_getoff(_ uio: UnsafeMutableRawPointer?) -> Int64 {
    liveUios.find(uio)?.offset ?? 0
}

/// Free a uio; returns its residual count.
@c(rump_pub_uio_free)
public func rump_pub_uio_free(_ uio: UnsafeMutableRawPointer?) -> Int {
    guard let u = liveUios.remove(uio) else {
        Console.warn("rump_pub_uio_free: \(String(describing: uio)) is not a live uio")
        return 0
    }
    return u.residual
}

@c(rump_uio_setup)
public func rump_uio_setup(_ buf: UnsafeMutableRawPointer?, _ len: Int, _ off: Int64, _ rw: Int32) -> UnsafeMutableRawPointer? {
    rump_pub_uio_setup(buf, len, off, rw)
}

@c(rump_uio_getresid)
public func rump_uio_getresid(_ uio: UnsafeMutableRawPointer?) -> Int { rump_pub_uio_getresid(uio) }

@c(rump_uio_getoff)
public func rump_uio_getoff(_ uio: UnsafeMutableRawPointer?) -> Int64 { rump_pub_uio_getoff(uio) }

@c(rump_uio_free)
public func rump_uio_free(_ uio: UnsafeMutableRawPointer?) -> Int { rump_pub_uio_free(uio) }
