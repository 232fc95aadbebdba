import Foundation
import Postgres

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real pgbouncer in front of the test cluster, started by a test and stopped at its end.
///
/// It listens on 127.0.0.1 on a free port in ``ports``, with a generated `pgbouncer.ini` and
/// `userlist.txt` in a temporary folder, `auth_type = trust`, and sends every database name on to
/// the server `LICTRACK_TEST_DATABASE_URL` names, as the user that string names. By default it pools
/// in transaction mode and hands out its idle server connections in turn (`server_round_robin`), so
/// that a client's consecutive transactions run on different server sessions as soon as there are
/// two: whatever a command left in its session is then missing in its next transaction.
///
/// As root it runs as `postgres` (or `nobody`) through `-u`, since pgbouncer refuses to run as root.
public final class PgBouncer: @unchecked Sendable {
    /// How to configure one pgbouncer.
    public struct Settings: Sendable {
        /// `pool_mode`: `transaction`, `session` or `statement`.
        public var poolMode = "transaction"
        /// `default_pool_size`: server connections per database and user.
        public var poolSize = 2
        /// `ignore_startup_parameters = options`, which pgbouncer 1.18 needs to let libpq's `options` through.
        public var ignoresOptions = true

        public init(poolMode: String = "transaction", poolSize: Int = 2, ignoresOptions: Bool = true) {
            self.poolMode = poolMode
            self.poolSize = poolSize
            self.ignoresOptions = ignoresOptions
        }
    }

    /// The ports a test pgbouncer may listen on.
    public static let ports = 56900...56949

    /// The pgbouncer executable: `$LICTRACK_PGBOUNCER`, else the first `pgbouncer` on `PATH` or in
    /// `/usr/sbin` and `/usr/local/sbin`; `nil` if there is none.
    public static var executable: String? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["LICTRACK_PGBOUNCER"], !path.isEmpty { return path }
        let folders =
            (environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin"]
        return folders.map { $0 + "/pgbouncer" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether a missing pgbouncer must fail the tests that need it rather than skip them: on CI (`CI=true`).
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether the tests that need pgbouncer should run: it is installed, or CI requires it.
    public static var shouldRun: Bool { executable != nil || isRequired }

    /// The port this pgbouncer listens on.
    public let port: Int
    /// The user pgbouncer logs in to the server as (and that clients connect as).
    public let user: String
    private let process: Process
    private let folder: URL
    private let lock = NSLock()
    private var stopped = false

    private init(port: Int, user: String, process: Process, folder: URL) {
        self.port = port
        self.user = user
        self.process = process
        self.folder = folder
    }

    deinit { self.stop() }

    /// A libpq `key=value` connection string for database `name` through this pgbouncer.
    public func connectionString(forDatabase name: String) -> String {
        PostgresConfiguration.formatConnectionString([
            (keyword: "host", value: "127.0.0.1"), (keyword: "port", value: String(port)),
            (keyword: "user", value: user), (keyword: "dbname", value: name),
        ])
    }

    /// What pgbouncer has logged so far.
    public var log: String {
        (try? String(contentsOf: folder.appendingPathComponent("pgbouncer.log"), encoding: .utf8)) ?? ""
    }

    /// Stops pgbouncer and removes its folder; safe to call twice.
    ///
    /// With SIGKILL: pgbouncer inherits the test runner's signal mask, in which SIGTERM and SIGINT
    /// are blocked, so it would never see them. It keeps nothing worth a clean shutdown.
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Why a pgbouncer could not be started.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts a pgbouncer in front of the test cluster and waits until it accepts connections.
    ///
    /// - Throws: ``StartError`` if pgbouncer is not installed (with how to install it), or no port in
    ///   ``ports`` works, or it exits at once (with its log).
    public static func start(_ settings: Settings = Settings()) throws -> PgBouncer {
        guard let executable else {
            throw StartError(
                description:
                    "pgbouncer is not installed (apt-get install pgbouncer, or set LICTRACK_PGBOUNCER to its path); "
                    + "Scripts/test.sh installs it when run as root")
        }
        let server = try ServerAddress(TestCluster.adminConnectionString)
        let offset = Int.random(in: 0..<ports.count)
        var lastLog = ""
        for step in 0..<ports.count {
            let port = ports.lowerBound + (offset + step) % ports.count
            guard !isListening(port) else { continue }
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("lictrack-pgbouncer-" + UUID().uuidString.lowercased())
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try writeConfiguration(in: folder, port: port, server: server, settings: settings)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            let runAs = getuid() == 0 ? (getpwnam("postgres") != nil ? "postgres" : "nobody") : nil
            if let runAs {
                for name in ["", "pgbouncer.ini", "userlist.txt", "pgbouncer.log"] {
                    let path = name.isEmpty ? folder.path : folder.appendingPathComponent(name).path
                    try FileManager.default.setAttributes([.ownerAccountName: runAs], ofItemAtPath: path)
                }
            }
            process.arguments =
                (runAs.map { ["-u", $0] } ?? []) + [folder.appendingPathComponent("pgbouncer.ini").path]
            let logHandle = try FileHandle(forWritingTo: folder.appendingPathComponent("pgbouncer.log"))
            process.standardOutput = logHandle
            process.standardError = logHandle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            try? logHandle.close()
            let bouncer = PgBouncer(port: port, user: server.user, process: process, folder: folder)
            let deadline = Date().addingTimeInterval(15)
            while process.isRunning && !isListening(port) && Date() < deadline { usleep(20_000) }
            if process.isRunning && isListening(port) { return bouncer }
            lastLog = bouncer.log
            bouncer.stop()
            // Another test (or engineer) took the port between the check and the bind: try the next.
            guard lastLog.contains("Address already in use") else { break }
        }
        throw StartError(description: "pgbouncer did not start on a port in \(ports); its log:\n\(lastLog)")
    }

    /// Where the test cluster is, for pgbouncer's `[databases]` entry.
    struct ServerAddress {
        var host: String
        var port: String
        var user: String
        var password: String?

        init(_ connectionString: String) throws {
            let parameters = try PostgresConfiguration.parseConnectionString(connectionString)
            func value(_ keyword: String, _ variable: String) -> String? {
                let given =
                    parameters.last { $0.keyword == keyword }?.value
                    ?? ProcessInfo.processInfo.environment[variable]
                return given.flatMap { $0.isEmpty ? nil : String($0.split(separator: ",").first ?? "") }
            }
            host = value("hostaddr", "PGHOSTADDR") ?? value("host", "PGHOST") ?? "/var/run/postgresql"
            port = value("port", "PGPORT") ?? "5432"
            user = value("user", "PGUSER") ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
            password =
                parameters.last { $0.keyword == "password" }?.value
                ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
        }
    }

    /// Writes `pgbouncer.ini`, `userlist.txt` and an empty `pgbouncer.log` into `folder`.
    private static func writeConfiguration(
        in folder: URL, port: Int, server: ServerAddress, settings: Settings
    ) throws {
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let userlist = "\(quoted(server.user)) \(quoted(server.password ?? ""))\n"
        var ini = """
            ;; Generated by LicTrackTestSupport.PgBouncer for one test.
            [databases]
            * = host=\(server.host) port=\(server.port)

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = \(port)
            unix_socket_dir =
            auth_type = trust
            auth_file = \(folder.appendingPathComponent("userlist.txt").path)
            pool_mode = \(settings.poolMode)
            default_pool_size = \(settings.poolSize)
            max_client_conn = 200
            server_round_robin = 1
            log_connections = 1
            log_disconnections = 0

            """
        if settings.ignoresOptions { ini += "ignore_startup_parameters = options\n" }
        let files = [("pgbouncer.ini", ini), ("userlist.txt", userlist), ("pgbouncer.log", "")]
        for (name, text) in files {
            let path = folder.appendingPathComponent(name).path
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
                throw StartError(description: "cannot write \(path)")
            }
        }
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func isListening(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}
