@preconcurrency import CRump
import Synchronization

/// Character devices that plugins register (`devsw_attach` in
/// rump_faction.h), by major number. The file system reaches a device node's
/// driver through `DeviceSwitch.character(major:)`.
public enum DeviceSwitch {
    struct Entry {
        let name: String
        let ops: UnsafePointer<rumpc_cdevsw>
    }

    /// Majors picked for NODEVMAJOR requests start here, above NetBSD's fixed ones.
    static let firstDynamicMajor: Int32 = 400

    private static let table = Mutex<[Int32: Entry]>([:])

    /// Where the VFS faction makes device nodes: (name, major, minor, mode) ->
    /// errno or 0. Nil without the VFS faction.
    nonisolated(unsafe) public static var makeNode: ((String, Int32, Int32, UInt32) -> Int32)?

    static func attach(name: String, ops: UnsafePointer<rumpc_cdevsw>, major: Int32) throws(Errno) -> Int32 {
        try table.withLock { (t) throws(Errno) -> Int32 in
            if t.values.contains(where: { $0.name == name }) { throw .EEXIST }
            var chosen = major
            if major < 0 {
                chosen = firstDynamicMajor
                while t[chosen] != nil { chosen += 1 }
            } else if t[major] != nil {
                throw .EEXIST
            }
            t[chosen] = Entry(name: name, ops: ops)
            return chosen
        }
    }

    static func detach(ops: UnsafePointer<rumpc_cdevsw>) throws(Errno) {
        try table.withLock { (t) throws(Errno) in
            guard let major = t.first(where: { $0.value.ops == ops })?.key else { throw .ENOENT }
            t[major] = nil
        }
    }

    /// The driver registered under `major`, if any.
    public static func character(major: Int32) -> UnsafePointer<rumpc_cdevsw>? {
        table.withLock { $0[major]?.ops }
    }
}

/// Register a character device (block devices are not supported: a non-NULL
/// bdev is EINVAL). *cmajor NODEVMAJOR picks a free major.
@c(rumpns_devsw_attach)
public func rumpns_devsw_attach(_ name: UnsafePointer<CChar>?, _ bdev: UnsafeRawPointer?,
                                _ bmajor: UnsafeMutablePointer<Int32>?, _ cdev: UnsafePointer<rumpc_cdevsw>?,
                                _ cmajor: UnsafeMutablePointer<Int32>?) -> Int32 {
    guard bdev == nil, let name, let cdev, let cmajor else { return Errno.EINVAL.rawValue }
    do throws(Errno) {
        cmajor.pointee = try DeviceSwitch.attach(name: String(cString: name), ops: cdev, major: cmajor.pointee)
        return 0
    } catch {
        return error.rawValue
    }
}

@c(rumpns_devsw_detach)
public func rumpns_devsw_detach(_ bdev: UnsafeRawPointer?, _ cdev: UnsafePointer<rumpc_cdevsw>?) -> Int32 {
    guard let cdev else { return Errno.EINVAL.rawValue }
    do throws(Errno) {
        try DeviceSwitch.detach(ops: cdev)
        return 0
    } catch {
        return error.rawValue
    }
}

/// Make /dev/<name> for a device: ENOSYS without the VFS faction.
@c(rump_dev_makenode)
public func rump_dev_makenode(_ name: UnsafePointer<CChar>?, _ major: Int32, _ minor: Int32, _ mode: UInt32) -> Int32 {
    guard let name else { return Errno.EFAULT.rawValue }
    guard let make = DeviceSwitch.makeNode else { return Errno.ENOSYS.rawValue }
    return make(String(cString: name), major, minor, mode)
}
