import Foundation
import LicTrackTestSupport
import Postgres
import Testing

// Helpers for the suites that run the built binary through a real pgbouncer (Docs/operations.md,
// "Behind pgbouncer"): the database settings it needs, and running lictrack through it.

/// Why the pgbouncer suites are skipped: only outside CI, and only when pgbouncer is not installed.
let pgbouncerSkipReason: Comment =
    "pgbouncer is not installed (apt-get install pgbouncer, or LICTRACK_PGBOUNCER=PATH); with CI=true this fails instead"

/// Sets DateStyle and IntervalStyle on `database` itself, as Docs/operations.md says to do for
/// pgbouncer: startup options do not survive transaction pooling. Run it before pgbouncer first
/// connects to the database (pgbouncer reports its first server connection's settings).
func setSessionDefaults(on database: TestDatabase) throws {
    let connection = try database.connect()
    defer { connection.close() }
    try connection.execute(
        """
        do $$
        begin
            execute format('alter database %I set datestyle = %L', current_database(), 'ISO, YMD');
            execute format('alter database %I set intervalstyle = %L', current_database(), 'iso_8601');
        end
        $$
        """)
}

/// One test database reached through one pgbouncer.
struct Pooled {
    let bouncer: PgBouncer
    let database: TestDatabase

    /// The connection string through pgbouncer.
    var url: String { bouncer.connectionString(forDatabase: database.name) }

    /// Runs lictrack with `arguments` through pgbouncer (LICTRACK_DATABASE_URL names pgbouncer).
    @discardableResult
    func run(_ arguments: [String]) throws -> Outcome {
        try lictrack(arguments, database: nil, environment: ["LICTRACK_DATABASE_URL": url])
    }

    /// Runs lictrack through pgbouncer and requires exit 0.
    @discardableResult
    func ok(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        let outcome = try run(arguments)
        try #require(
            outcome.status == 0, "through pgbouncer: lictrack \(arguments.joined(separator: " ")): \(outcome)",
            sourceLocation: sourceLocation)
        return outcome
    }

    /// Runs lictrack through pgbouncer, requires exit 0, and parses its JSON output as `T`.
    func json<T>(_ arguments: [String], as type: T.Type, sourceLocation: SourceLocation = #_sourceLocation) throws -> T
    {
        let outcome = try ok(arguments, sourceLocation: sourceLocation)
        return try #require(
            try outcome.json() as? T, "not a \(T.self): \(outcome.stdout)", sourceLocation: sourceLocation)
    }

    /// A connection through pgbouncer, for probing what its server sessions do.
    func connect() throws -> PostgresConnection {
        try PostgresConnection(configuration: PostgresConfiguration(connectionString: url))
    }

    /// How many clients pgbouncer has logged in to this database so far.
    var logins: Int {
        bouncer.log.components(separatedBy: "login attempt: db=\(database.name) ").count - 1
    }
}

/// Makes sure `pooled`'s pool has two server connections (two clients in a transaction at once), so
/// that, with `server_round_robin`, one client's consecutive transactions alternate between them.
/// Returns the backend process ids that four consecutive statements of one client ran on.
func backendsOfConsecutiveTransactions(_ pooled: Pooled) throws -> [Int] {
    let first = try pooled.connect()
    let second = try pooled.connect()
    defer {
        first.close()
        second.close()
    }
    try first.execute("begin")
    try second.execute("begin")
    _ = try first.query("select pg_backend_pid() as pid")
    _ = try second.query("select pg_backend_pid() as pid")
    try first.execute("commit")
    try second.execute("commit")
    return try (0..<4).map { _ in try first.query("select pg_backend_pid() as pid")[0].decode(Int.self, "pid") }
}
