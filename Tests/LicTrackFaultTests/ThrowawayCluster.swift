import Foundation
import Postgres

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A PostgreSQL cluster of a test's own, in a fresh directory under /tmp, that the test may stop,
/// crash, copy into a standby and promote.
///
/// It finds the server programs as `Scripts/lib/postgres.sh` does (the highest
/// `/usr/lib/postgresql/N/bin`, else `pg_config --bindir`, else `initdb` on the `PATH`), runs them
/// as the `postgres` user when the tests run as root (the server refuses root), and listens on
/// 127.0.0.1 on a free port in 56800-56899. Unlike the suite's shared server it keeps `fsync` and
/// `synchronous_commit` on, so an immediate stop is a real crash with real recovery.
struct ThrowawayCluster: Sendable {
    /// The directory holding the data directory, the server log and the socket.
    let directory: URL
    /// The port the server listens on.
    let port: Int

    var dataDirectory: String { directory.appendingPathComponent("data").path }
    var logFile: String { directory.appendingPathComponent("server.log").path }

    /// The ports a cluster may use.
    static let ports = 56_800...56_899

    /// A connection URL for `database` on this cluster, with more query parameters if given.
    func url(database: String = "postgres", _ parameters: String? = nil) -> String {
        "postgresql://postgres@127.0.0.1:\(port)/\(database)" + (parameters.map { "?" + $0 } ?? "")
    }

    /// Opens a connection to `database` on this cluster.
    func connect(database: String = "postgres") throws -> PostgresConnection {
        try PostgresConnection(
            configuration: PostgresConfiguration(
                connectionString: url(database: database), applicationName: "fault-test"))
    }

    // MARK: Creating

    /// Creates and starts a new primary cluster.
    static func create() throws -> ThrowawayCluster {
        let directory = try makeDirectory()
        let data = directory.appendingPathComponent("data").path
        let locale = FileManager.default.fileExists(atPath: "/usr/lib/locale/C.utf8") ? "C.UTF-8" : "C"
        try ServerProgram.run(
            "initdb",
            ["-D", data, "--auth=trust", "--encoding=UTF8", "-U", "postgres", "--locale=\(locale)", "--no-sync"],
            log: directory.appendingPathComponent("initdb.log").path)
        return try startOnFreePort(directory)
    }

    /// Copies this running cluster with `pg_basebackup -R` and starts the copy as a streaming standby.
    func makeStandby() throws -> ThrowawayCluster {
        let directory = try Self.makeDirectory()
        try ServerProgram.run(
            "pg_basebackup",
            [
                "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-D",
                directory.appendingPathComponent("data").path, "-R", "-X", "stream", "-c", "fast",
            ],
            log: directory.appendingPathComponent("basebackup.log").path)
        return try Self.startOnFreePort(directory)
    }

    // MARK: Stopping and starting

    /// How `pg_ctl stop` shuts the server down.
    enum StopMode: String, Sendable, CaseIterable {
        /// Disconnects every client, rolls back open transactions, checkpoints and stops.
        case fast
        /// Kills every server process at once, without a checkpoint: a crash; the next start recovers.
        case immediate
    }

    /// Stops the server and waits until it is down.
    func stop(_ mode: StopMode) throws {
        try ServerProgram.run(
            "pg_ctl", ["stop", "-D", dataDirectory, "-m", mode.rawValue, "-w", "-t", "60"],
            log: directory.appendingPathComponent("pg_ctl.log").path)
    }

    /// Starts the stopped server again on the same port and waits until it accepts connections.
    func start() throws {
        let status = try Self.pgCtlStart(directory, port: port)
        guard status == 0 else { throw ClusterError("the server did not start again: \(tailOfLog())") }
    }

    /// Promotes a standby to a primary and waits until it accepts writes.
    func promote() throws {
        try ServerProgram.run(
            "pg_ctl", ["promote", "-D", dataDirectory, "-w", "-t", "60"],
            log: directory.appendingPathComponent("pg_ctl.log").path)
    }

    /// Stops the server at once (if it runs) and deletes its directory.
    func remove() {
        _ = try? ServerProgram.run(
            "pg_ctl", ["stop", "-D", dataDirectory, "-m", "immediate", "-w", "-t", "30"],
            log: directory.appendingPathComponent("pg_ctl.log").path)
        try? FileManager.default.removeItem(at: directory)
    }

    /// The last lines of the server log, for failure messages.
    func tailOfLog(lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    // MARK: Internals

    /// A fresh directory under /tmp that the server's user owns.
    private static func makeDirectory() throws -> URL {
        var template = Array("/tmp/lictrack-fault.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ClusterError("mkdtemp failed: errno \(errno)") }
        let path = String(cString: made)
        if ServerProgram.runsAsServerUser {
            try FileManager.default.setAttributes(
                [.ownerAccountName: "postgres", .posixPermissions: 0o755], ofItemAtPath: path)
        }
        return URL(fileURLWithPath: path)
    }

    /// Starts the cluster in `directory` on a free port, trying another port when one is taken.
    private static func startOnFreePort(_ directory: URL) throws -> ThrowawayCluster {
        for _ in 0..<10 {
            let port = try PortReservations.shared.reserve(in: ports)
            let status = try pgCtlStart(directory, port: port)
            if status == 0 { return ThrowawayCluster(directory: directory, port: port) }
            let log =
                (try? String(contentsOfFile: directory.appendingPathComponent("server.log").path, encoding: .utf8))
            if status == 2 || log?.contains("could not bind") == true || log?.contains("already in use") == true {
                continue
            }
            break
        }
        let cluster = ThrowawayCluster(directory: directory, port: 0)
        throw ClusterError("the throwaway server did not start: \(cluster.tailOfLog())")
    }

    /// `pg_ctl start -w` on `port`: 0 when it is up, else pg_ctl's exit status.
    private static func pgCtlStart(_ directory: URL, port: Int) throws -> Int32 {
        let options = [
            "-p \(port)", "-k \(directory.path)", "-c listen_addresses=127.0.0.1", "-c max_connections=60",
            "-c wal_level=replica", "-c max_wal_senders=5", "-c hot_standby=on",
        ].joined(separator: " ")
        return try ServerProgram.status(
            "pg_ctl",
            [
                "start", "-D", directory.appendingPathComponent("data").path, "-l",
                directory.appendingPathComponent("server.log").path, "-w", "-t", "60", "-o", options,
            ],
            log: directory.appendingPathComponent("pg_ctl.log").path)
    }
}

/// A failure to set up or drive a throwaway cluster (a broken test machine, not a lictrack bug).
struct ClusterError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Ports handed to clusters of this test process, so that two tests never pick the same one.
final class PortReservations: @unchecked Sendable {
    static let shared = PortReservations()
    private let lock = NSLock()
    private var taken: Set<Int> = []

    /// A port in `range` that no cluster of this process has and nothing on the machine holds.
    func reserve(in range: ClosedRange<Int>) throws -> Int {
        try lock.withLock {
            for port in range.shuffled() where !taken.contains(port) && Self.isFree(port) {
                taken.insert(port)
                return port
            }
            throw ClusterError("no free TCP port in \(range)")
        }
    }

    /// Whether 127.0.0.1:`port` can be bound now.
    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
