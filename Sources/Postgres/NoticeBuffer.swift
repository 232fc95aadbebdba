/// Collects the notices libpq's notice processor hands over, instead of letting libpq print them.
final class NoticeBuffer {
    /// The notices received since the last ``clear()``, oldest first.
    private(set) var messages: [String] = []

    /// Records one notice.
    func append(_ message: String) {
        self.messages.append(message)
    }

    /// Forgets all recorded notices.
    func clear() {
        self.messages.removeAll()
    }
}
