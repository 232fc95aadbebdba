#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line progress bar on standard error, drawn only when standard error is a terminal.
///
/// Scripts and cron jobs see nothing of it; a person sees `[#####.....] 120/300 applications`.
final class ProgressBar {
    private let label: String
    private let enabled: Bool
    private var lastDrawn = -1

    init(label: String) {
        self.label = label
        self.enabled = isatty(STDERR_FILENO) == 1
    }

    /// Redraws the bar for `done` of `total`, at most once per percent.
    func update(_ done: Int, of total: Int) {
        guard enabled, total > 0 else { return }
        let percent = done * 100 / total
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let width = 30
        let filled = done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        Self.emit("\r[\(bar)] \(done)/\(total) \(label)")
    }

    /// Ends the bar's line.
    func finish() {
        guard enabled, lastDrawn >= 0 else { return }
        Self.emit("\n")
    }

    /// Writes `text` to file descriptor 2 unbuffered (no shared `FILE *`).
    private static func emit(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
