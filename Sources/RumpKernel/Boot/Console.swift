@preconcurrency import CRump
import Glibc
import Synchronization

/// The kernel's message output: boot messages and warnings, written to the
/// host's stderr when the kernel is verbose (or for warnings, always), and kept
/// in a bounded message buffer like NetBSD's `msgbuf`. A message nobody will
/// see (a quiet kernel's boot chatter) is not even formatted.
public enum Console {
    /// The message buffer's capacity in bytes; older text is dropped first.
    static let bufferSize = 16 * 1024

    private static let buffer = Mutex<[UInt8]>([])

    /// A boot or status message: printed and buffered when verbose.
    static func message(_ text: @autoclosure () -> String) {
        guard Boot.isVerbose else { return }
        let line = text()
        record(line)
        emit(line)
    }

    /// A warning about misuse or trouble: buffered, and always printed.
    static func warn(_ text: String) {
        let line = "rump: " + text
        record(line)
        emit(line)
    }

    /// Kernel printf output: buffered, and always shown on the console (the
    /// host's stdout, as the reference's console is).
    static func printf(_ text: String) {
        record(text)
        text.withCString { rumpc_write_stdout($0, strlen($0)) }
    }

    /// `aprint_normal`: shown unless the kernel boots silent or quiet.
    static func normal(_ text: String) {
        record(text)
        if Boot.isVerbose || Boot.howto & (Boot.abSilent | Boot.abQuiet) == 0 { emit(text) }
    }

    /// A panic message: buffered and always printed, without the prefix.
    static func panic(_ text: String) {
        let line = "panic: " + text
        record(line)
        emit(line)
    }

    /// The message buffer's text.
    public static var messages: String {
        buffer.withLock { String(decoding: $0, as: UTF8.self) }
    }

    private static func record(_ text: String) {
        buffer.withLock { buf in
            buf.append(contentsOf: text.utf8)
            buf.append(UInt8(ascii: "\n"))
            if buf.count > bufferSize { buf.removeFirst(buf.count - bufferSize) }
        }
    }

    private static func emit(_ text: String) {
        var line = text
        line.append("\n")
        line.withUTF8 { rumpc_write_stderr($0.baseAddress, $0.count) }
    }
}

/// Messages from C code (the faction SDK's printf family).
@c(rumpc_console_message)
public func rumpc_console_message(_ level: Int32, _ text: UnsafePointer<CChar>?, _ len: Int) {
    guard let text else { return }
    var message = String(decoding: UnsafeRawBufferPointer(start: text, count: len), as: UTF8.self)
    switch level {
    case 0:
        Console.printf(message)
    case 1:
        if message.hasSuffix("\n") { message.removeLast() }
        Console.normal(message)
    case 2:
        if message.hasSuffix("\n") { message.removeLast() }
        Console.message(message)
    default:
        if message.hasSuffix("\n") { message.removeLast() }
        Console.panic(message)
    }
}
