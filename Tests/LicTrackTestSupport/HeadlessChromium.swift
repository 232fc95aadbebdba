import Foundation

/// Headless Chromium, to check an HTML report in a real browser: the DOM it parsed, and a screenshot.
///
/// Runs `chromium --headless --no-sandbox --disable-gpu` with a time limit, in a throwaway profile,
/// and kills it (and waits for it) when the limit passes. When Chromium is not installed it throws
/// ``Missing`` with the command that installs it: browser tests fail rather than skip.
public enum HeadlessChromium {
    /// Chromium is not on this machine.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "chromium is not installed, so the HTML reports cannot be checked in a browser: install it with "
                + "'sudo apt-get install chromium' (Scripts/test.sh does this when run as root), or set "
                + "LICTRACK_CHROMIUM to its path"
        }
    }

    /// Chromium ran but failed or timed out.
    public struct Failed: Error, CustomStringConvertible {
        public var description: String
    }

    /// The executable: `$LICTRACK_CHROMIUM`, else `chromium` or `chromium-browser` on the `PATH`.
    public static func executable() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["LICTRACK_CHROMIUM"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser"] {
            for folder in folders {
                let path = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return URL(fileURLWithPath: path) }
            }
        }
        throw Missing()
    }

    /// The DOM Chromium built from `file` (`--dump-dom`), serialised as HTML.
    public static func dumpDOM(_ file: URL, timeout: TimeInterval = 60) throws -> String {
        let output = try run(["--dump-dom", file.absoluteString], timeout: timeout)
        return String(decoding: output, as: UTF8.self)
    }

    /// A PNG screenshot of `file` at `width` × `height` CSS pixels (A4 at 150 dpi by default).
    public static func screenshot(
        _ file: URL, to png: URL, width: Int = 1240, height: Int = 1754, timeout: TimeInterval = 60
    ) throws -> Data {
        _ = try run(
            ["--screenshot=\(png.path)", "--window-size=\(width),\(height)", "--hide-scrollbars", file.absoluteString],
            timeout: timeout)
        return try Data(contentsOf: png)
    }

    /// Runs Chromium with `arguments` and returns its standard output; kills it after `timeout` seconds.
    static func run(_ arguments: [String], timeout: TimeInterval) throws -> Data {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "lictrack-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = try executable()
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--user-data-dir=\(profile.path)",
            ] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let output = Output()
        let readers = DispatchGroup()
        DispatchQueue.global().async(group: readers) { output.out = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: readers) { output.err = err.fileHandleForReading.readDataToEndOfFile() }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            readers.wait()
            throw Failed(description: "chromium did not finish within \(Int(timeout)) s and was killed")
        }
        readers.wait()
        guard process.terminationStatus == 0 else {
            let stderr = String(decoding: output.err, as: UTF8.self).suffix(2000)
            throw Failed(description: "chromium exited \(process.terminationStatus): \(stderr)")
        }
        return output.out
    }

    private final class Output: @unchecked Sendable {
        var out = Data()
        var err = Data()
    }
}
