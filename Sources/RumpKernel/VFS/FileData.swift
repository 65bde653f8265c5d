import Glibc
import Synchronization

/// Full data pages freed by files, kept (up to 64 MiB) for the next file so
/// that a write into fresh memory does not pay the host's page faults again.
enum PagePool {
    private static let pages = Mutex<[UnsafeMutableRawPointer]>([])
    static let limit = 1024

    @inline(__always)
    static func get() -> UnsafeMutableRawPointer {
        if let p = pages.withLock({ $0.popLast() }) { return p }
        return malloc(FileData.pageSize)!
    }

    static func put(_ p: UnsafeMutableRawPointer) {
        let kept = pages.withLock { list -> Bool in
            guard list.count < limit else { return false }
            list.append(p)
            return true
        }
        if !kept { free(p) }
    }
}

/// One zeroed page, the source of every hole's bytes.
private let zeroPage: UnsafeMutableRawPointer = calloc(FileData.pageSize, 1)!

/// The contents of an in-memory regular file: 64 KiB pages allocated on first
/// write (holes have none and read as zeros). The first page starts small and
/// doubles, so small files stay small; files grow in place, never copied.
/// The owning vnode's lock serialises access; the vnode keeps the size.
final class FileData {
    static let pageShift = 16
    static let pageSize = 1 << pageShift
    static let pageMask = pageSize - 1

    private var pages: [UnsafeMutableRawPointer?] = []
    /// Capacity of page 0 (pages after it are always full size).
    private var firstCapacity = 0

    var allocatedBytes: Int {
        var n = 0
        for (i, p) in pages.enumerated() where p != nil { n += i == 0 ? firstCapacity : FileData.pageSize }
        return n
    }

    deinit {
        for (i, p) in pages.enumerated() {
            guard let p else { continue }
            release(i, p)
        }
    }

    private func release(_ index: Int, _ p: UnsafeMutableRawPointer) {
        if capacity(index) == FileData.pageSize { PagePool.put(p) } else { free(p) }
    }

    @inline(__always)
    private func capacity(_ index: Int) -> Int {
        index == 0 ? firstCapacity : FileData.pageSize
    }

    /// Move bytes [offset, min(offset + uio.residual, size)) out to the uio.
    func read(_ uio: Uio, size: Int64) throws(Errno) {
        var offset = uio.offset
        guard offset >= 0 else { throw .EINVAL }
        while uio.residual > 0 && offset < size {
            let index = Int(offset >> Int64(FileData.pageShift))
            let inPage = Int(offset) & FileData.pageMask
            let n = Int(min(Int64(FileData.pageSize - inPage), size - offset, Int64(uio.residual)))
            var done = 0
            if index < pages.count, let page = pages[index], inPage < capacity(index) {
                let avail = min(n, capacity(index) - inPage)
                done = try uio.move(page + inPage, count: avail)
                if done < avail { return }
            }
            if done < n {
                let m = try uio.move(zeroPage, count: n - done)
                done += m
            }
            offset += Int64(done)
        }
    }

    /// The page `index`, able to hold bytes [0, end), allocated or grown;
    /// bytes outside [from, end) of a new page are zeroed.
    private func page(_ index: Int, from: Int, end: Int) -> UnsafeMutableRawPointer {
        if index >= pages.count {
            pages.append(contentsOf: repeatElement(nil, count: index - pages.count + 1))
        }
        if index == 0 {
            if let p = pages[0], end <= firstCapacity { return p }
            var cap = max(firstCapacity * 2, 256)
            while cap < end { cap *= 2 }
            cap = min(cap, FileData.pageSize)
            let p = realloc(pages[0], cap)!
            (p + firstCapacity).initializeMemory(as: UInt8.self, repeating: 0, count: cap - firstCapacity)
            pages[0] = p
            firstCapacity = cap
            return p
        }
        if let p = pages[index] { return p }
        let p = PagePool.get()
        if from > 0 { p.initializeMemory(as: UInt8.self, repeating: 0, count: from) }
        if end < FileData.pageSize {
            (p + end).initializeMemory(as: UInt8.self, repeating: 0, count: FileData.pageSize - end)
        }
        pages[index] = p
        return p
    }

    /// Move the uio's bytes in at its offset; `size` grows as data lands, so a
    /// fault part way keeps what was written.
    func write(_ uio: Uio, size: inout Int64) throws(Errno) {
        while uio.residual > 0 {
            let offset = uio.offset
            let index = Int(offset >> Int64(FileData.pageShift))
            let inPage = Int(offset) & FileData.pageMask
            let n = min(FileData.pageSize - inPage, uio.residual)
            let p = page(index, from: inPage, end: inPage + n)
            let done = try uio.move(p + inPage, count: n)
            let end = offset + Int64(done)
            if end > size { size = end }
            if done < n { return }
        }
    }

    /// Change the size: pages past the end are freed and the tail of the last
    /// page zeroed, so that growing again reads zeros.
    func truncate(from oldSize: Int64, to newSize: Int64) {
        guard newSize < oldSize else { return }
        let keep = Int((newSize + Int64(FileData.pageMask)) >> Int64(FileData.pageShift))
        if keep < pages.count {
            for i in keep..<pages.count {
                if let p = pages[i] { release(i, p) }
                pages[i] = nil
            }
            pages.removeSubrange(keep...)
            if keep == 0 { firstCapacity = 0 }
        }
        let inPage = Int(newSize) & FileData.pageMask
        let index = Int(newSize >> Int64(FileData.pageShift))
        if inPage > 0, index < pages.count, let p = pages[index], inPage < capacity(index) {
            (p + inPage).initializeMemory(as: UInt8.self, repeating: 0, count: capacity(index) - inPage)
        }
    }
}

/// Directory entries: a hash index from name to slot and the slots in
/// creation order (a removed entry leaves a hole until compaction), so that
/// lookup is O(1) and a directory offset (slot number) stays meaningful.
final class Directory {
    struct Entry {
        let name: [UInt8]
        let vnode: Vnode
        /// What getdents reports, kept here so that listing a directory
        /// reads only this array, not every vnode.
        let ino: UInt64
        let direntType: UInt8

        init(name: [UInt8], vnode: Vnode) {
            self.name = name
            self.vnode = vnode
            self.ino = vnode.ino
            self.direntType = vnode.type.direntType
        }
    }

    private(set) var slots: [Entry?] = []
    private var index: [ArraySlice<UInt8>: Int] = [:]
    private(set) var count = 0

    /// getdents' view of the live entries, made at the first listing after a
    /// change: the NetBSD `struct dirent` records back to back, and for each
    /// record its slot and where it starts. Listing then copies bytes.
    struct Listing {
        var records: [UInt8] = []
        var slotOf: [Int] = []
        var start: [Int] = []
    }

    /// Made under the name space's read lock by whichever lister comes first;
    /// dropped by changes, which hold the write lock.
    private let listing = Mutex<Listing?>(nil)

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    func lookup(_ name: ArraySlice<UInt8>) -> Vnode? {
        guard let i = index[name] else { return nil }
        return slots[i].unsafelyUnwrapped.vnode
    }

    func insert(_ name: [UInt8], _ vnode: Vnode) {
        listing.withLock { $0 = nil }
        index[name[...]] = slots.count
        slots.append(Entry(name: name, vnode: vnode))
        count += 1
    }

    @discardableResult
    func remove(_ name: ArraySlice<UInt8>) -> Vnode? {
        guard let i = index.removeValue(forKey: name) else { return nil }
        listing.withLock { $0 = nil }
        let v = slots[i]?.vnode
        slots[i] = nil
        count -= 1
        if count == 0 {
            slots.removeAll(keepingCapacity: true)
        } else if slots.count > 1024 && count * 2 < slots.count {
            compact()
        } else {
            while let last = slots.last, last == nil { slots.removeLast() }
        }
        return v
    }

    private func compact() {
        slots = slots.filter { $0 != nil }
        index.removeAll(keepingCapacity: true)
        for (i, e) in slots.enumerated() { index[e.unsafelyUnwrapped.name[...]] = i }
    }

    /// Copy the records of the entries from slot `slot` on into `buffer`, as
    /// many as fit whole; returns the bytes copied and the next slot.
    func list(from slot: Int, into buffer: UnsafeMutableRawBufferPointer) -> (bytes: Int, next: Int) {
        listing.withLock { cached -> (bytes: Int, next: Int) in
            if cached == nil { cached = makeListing() }
            let l = cached.unsafelyUnwrapped
            // The first record at or after `slot` (slots ascend).
            var lo = 0, hi = l.slotOf.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if l.slotOf[mid] < slot { lo = mid + 1 } else { hi = mid }
            }
            guard lo < l.slotOf.count else { return (0, slots.count) }
            // The records that fit whole.
            let begin = l.start[lo]
            var end = lo
            while end < l.slotOf.count {
                let next = end + 1 < l.start.count ? l.start[end + 1] : l.records.count
                if next - begin > buffer.count { break }
                end += 1
            }
            let bytes = (end < l.start.count ? l.start[end] : l.records.count) - begin
            if bytes > 0 {
                l.records.withUnsafeBytes {
                    buffer.baseAddress.unsafelyUnwrapped.copyMemory(from: $0.baseAddress! + begin, byteCount: bytes)
                }
            }
            return (bytes, end < l.slotOf.count ? l.slotOf[end] : slots.count)
        }
    }

    private func makeListing() -> Listing {
        var l = Listing()
        for (i, entry) in slots.enumerated() {
            guard let e = entry else { continue }
            let reclen = (13 + e.name.count + 1 + 7) & ~7
            l.slotOf.append(i)
            l.start.append(l.records.count)
            withUnsafeBytes(of: e.ino) { l.records.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt16(reclen)) { l.records.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt16(e.name.count)) { l.records.append(contentsOf: $0) }
            l.records.append(e.direntType)
            l.records.append(contentsOf: e.name)
            l.records.append(contentsOf: repeatElement(0, count: reclen - 13 - e.name.count))
        }
        return l
    }

    /// The name under which `vnode` is entered (for getcwd).
    func name(of vnode: Vnode) -> [UInt8]? {
        for case let e? in slots where e.vnode === vnode { return e.name }
        return nil
    }
}
