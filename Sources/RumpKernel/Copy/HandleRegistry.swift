import Synchronization

/// Swift objects handed to C as opaque pointers (`struct uio *`,
/// `struct kauth_cred *`): the registry owns them, so a pointer C passes back is
/// used only if it is one we handed out and have not freed.
final class HandleRegistry<Object: AnyObject>: Sendable {
    private let objects = Mutex<[UnsafeMutableRawPointer: Object]>([:])

    init() {}

    /// Take ownership of `object`; returns its C pointer.
    func insert(_ object: Object) -> UnsafeMutableRawPointer {
        let pointer = Unmanaged.passUnretained(object).toOpaque()
        objects.withLock { $0[pointer] = object }
        return pointer
    }

    func find(_ pointer: UnsafeMutableRawPointer?) -> Object? {
        guard let pointer else { return nil }
        return objects.withLock { $0[pointer] }
    }

    /// Give up ownership; the object is freed once nobody else holds it.
    func remove(_ pointer: UnsafeMutableRawPointer?) -> Object? {
        guard let pointer else { return nil }
        return objects.withLock { $0.removeValue(forKey: pointer) }
    }
}
