/// poll on the console (NetBSD's rumpcons_poll): always writable, never
/// readable. Kept here, beside the other poll methods, so that the console
/// answers poll and select as the reference's does.
extension ConsoleOps {
    func poll(_ file: File, _ events: Int32, _ waiter: PollWaiter?) -> Int32 {
        events & (PollEvents.pollout | PollEvents.pollwrnorm)
    }
}
