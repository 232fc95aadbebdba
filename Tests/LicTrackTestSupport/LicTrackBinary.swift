import Foundation

/// The built `lictrack` executable, run the way a user or cron would run it.
public enum LicTrackBinary {
    /// What one run printed and how it exited.
    public struct Outcome: Sendable, CustomStringConvertible {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        public var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }

        /// Standard output parsed as JSON.
        public func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        }
    }

    /// The executable next to the test bundle (`.build/debug/lictrack`), or `$LICTRACK_BINARY`.
    public static var url: URL {
        if let path = ProcessInfo.processInfo.environment["LICTRACK_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On macOS the tests live inside a .xctest bundle: Contents/MacOS/...
        while directory.path.contains(".xctest") { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("lictrack")
    }

    /// Runs lictrack with `arguments` against `database` (through LICTRACK_DATABASE_URL).
    public static func run(
        _ arguments: [String], database: TestDatabase? = nil, environment: [String: String] = [:],
        stdin: String? = nil, currentDirectory: URL? = nil
    ) throws -> Outcome {
        let process = start(
            arguments, database: database, environment: environment, stdin: stdin,
            currentDirectory: currentDirectory)
        return try process.wait()
    }

    /// A started lictrack process.
    public final class Running: @unchecked Sendable {
        let process: Process
        let out: Pipe
        let err: Pipe
        var outData = Data()
        var errData = Data()
        let group = DispatchGroup()

        init(process: Process, out: Pipe, err: Pipe) {
            self.process = process
            self.out = out
            self.err = err
        }

        func drain() {
            group.enter()
            DispatchQueue.global().async {
                self.outData = self.out.fileHandleForReading.readDataToEndOfFile()
                self.group.leave()
            }
            group.enter()
            DispatchQueue.global().async {
                self.errData = self.err.fileHandleForReading.readDataToEndOfFile()
                self.group.leave()
            }
        }

        public var processIdentifier: Int32 { process.processIdentifier }

        public func wait() throws -> Outcome {
            process.waitUntilExit()
            group.wait()
            return Outcome(
                status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                stderr: String(decoding: errData, as: UTF8.self))
        }
    }

    /// Starts lictrack without waiting for it.
    public static func start(
        _ arguments: [String], database: TestDatabase? = nil, environment: [String: String] = [:],
        stdin: String? = nil, currentDirectory: URL? = nil
    ) -> Running {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "LICTRACK_DATABASE_URL")
        env.removeValue(forKey: "LICTRACK_ACTOR")
        if let database { env["LICTRACK_DATABASE_URL"] = database.connectionString }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        let running = Running(process: process, out: out, err: err)
        do {
            try process.run()
        } catch {
            fatalError("cannot start \(url.path): \(error); build it first (swift build)")
        }
        running.drain()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        return running
    }
}
