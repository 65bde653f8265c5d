/// NetBSD's `struct uio`: a scatter/gather transfer between kernel code and a
/// set of buffers, with an offset and a residual count that `move` advances.
public final class Uio {
    /// Which way data flows: out of the kernel into the buffers (read), or in.
    public enum Direction: Int32 {
        case read = 0
        case write = 1
    }

    private var segments: [UnsafeMutableRawBufferPointer]
    private var index = 0
    /// The file offset the transfer is at.
    public private(set) var offset: Int64
    /// Bytes still to move.
    public private(set) var residual: Int
    public let direction: Direction

    public init(segments: [UnsafeMutableRawBufferPointer], offset: Int64, direction: Direction) {
        self.segments = segments
        self.offset = offset
        self.residual = segments.reduce(0) { $0 + $1.count }
        self.direction = direction
    }

    /// Move up to `count` bytes between `kernel` and the buffers, in the uio's
    /// direction; returns how many moved.
    @discardableResult
    public func move(_ kernel: UnsafeMutableRawPointer, count: Int) -> Int {
        var done = 0
        while done < count && index < segments.count {
            let segment = segments[index]
            let n = min(segment.count, count - done)
            if n > 0 {
                switch direction {
                case .read: segment.baseAddress!.copyMemory(from: kernel + done, byteCount: n)
                case .write: (kernel + done).copyMemory(from: segment.baseAddress!, byteCount: n)
                }
            }
            done += n
            segments[index] = UnsafeMutableRawBufferPointer(rebasing: segment[n...])
            if segments[index].isEmpty { index += 1 }
        }
        residual -= done
        offset += Int64(done)
        return done
    }

    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}

/// Every uio handed out to C, so that a bad pointer is refused, not followed.
private let liveUios = HandleRegistry<Uio>()

/// A one-segment uio over `buf`. NULL (and a message) for a bad direction, where
/// the reference kernel panics.
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
    let segment = UnsafeMutableRawBufferPointer(start: buf, count: len)
    return liveUios.insert(Uio(segments: [segment], offset: off, direction: direction))
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
