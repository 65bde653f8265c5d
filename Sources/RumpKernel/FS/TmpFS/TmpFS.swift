/// tmpfs: an in-memory file system mounted with NetBSD's `struct tmpfs_args`
/// (fs/tmpfs/tmpfs_args.h, 40 bytes on amd64):
///     int ta_version (1); ino_t ta_nodes_max @8; off_t ta_size_max @16;
///     uid_t ta_root_uid @24; gid_t ta_root_gid @28; mode_t ta_root_mode @32.
/// It shares the in-memory node layer with rumpfs; it lists "." and "..".
enum TmpFS {
    static let argsVersion: Int32 = 1
    static let argsSize = 40

    static let type = FileSystemType(name: "tmpfs", listsDots: true) { l, data, length throws(Errno) in
        guard let data, length >= argsSize else { throw .EINVAL }
        let raw = try copyin(l, from: data, count: argsSize, as: UInt8.self)
        func load<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> T {
            raw.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: T.self) }
        }
        guard load(0, Int32.self) == argsVersion else { throw .EINVAL }
        var args = MountArgs()
        args.nodesMax = load(8, UInt64.self)
        args.sizeMax = load(16, Int64.self)
        args.rootUid = load(24, UInt32.self)
        args.rootGid = load(28, UInt32.self)
        args.rootMode = load(32, UInt32.self) & 0o7777
        return args
    }
}
