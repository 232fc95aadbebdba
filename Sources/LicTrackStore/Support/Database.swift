import LicTrackCore
import Postgres

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open lictrack database: one connection, and the transactions a command runs on it.
///
/// Opening a database is the store's job, so the CLI depends on `LicTrackStore` alone: it opens a
/// `Database`, hands it to the stores (`ApplicationStore(database)`, …) and closes it. The
/// connection itself stays inside the package.
///
/// ```swift
/// let database = try Database(url: options.databaseURL)
/// defer { database.close() }
/// let details = try ApplicationStore(database).show("BAFA-2025-0017")
/// ```
///
/// Not `Sendable`, like the connection it owns: use a database from one thread at a time, and open
/// one per thread.
public final class Database {
    /// The transaction isolation levels, as PostgreSQL spells them.
    public typealias Isolation = PostgresIsolationLevel

    /// The environment variable read when no URL is given.
    public static let urlVariable = "LICTRACK_DATABASE_URL"

    /// The connection every store of this database works on.
    package let connection: PostgresConnection

    /// Opens a database: `url` (a libpq URL or `key=value` string) if it is not empty, else
    /// `$LICTRACK_DATABASE_URL` if that is not empty, else libpq's own defaults (the `PG*`
    /// variables, a service file, `~/.pgpass`).
    ///
    /// - Throws: ``LicTrackError`` `.authenticationFailed` when the server refuses the login,
    ///   `.databaseUnavailable` when it cannot be reached or the connection string is invalid.
    ///
    /// A session whose reported settings the decoders would misread (a pooler that dropped the
    /// startup options, on a database without them) is closed and refused (``SessionSettings``, exit 78).
    public convenience init(url: String?) throws {
        let connection = try LicTrackError.translating {
            try PostgresConnection(configuration: PostgresConfiguration(connectionString: Self.connectionString(url)))
        }
        do {
            try SessionSettings.verify(connection)
        } catch {
            connection.close()
            throw error
        }
        self.init(connection: connection)
    }

    /// A database on a connection that is already open (tests, and stores that share one).
    package init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The connection string ``init(url:)`` uses for `url`: it, else `$LICTRACK_DATABASE_URL`,
    /// else `nil` (libpq's defaults).
    public static func connectionString(_ url: String?) -> String? {
        if let url, !url.isEmpty { return url }
        if let value = getenv(urlVariable) {
            let text = String(cString: value)
            return text.isEmpty ? nil : text
        }
        return nil
    }

    /// Closes the connection; an open transaction is rolled back. Safe to call more than once.
    public func close() {
        connection.close()
    }

    /// Runs `body` in one transaction, committing if it returns and rolling back if it throws.
    ///
    /// The store reads that say they join an open transaction (``ApplicationStore/show(_:asOf:)``,
    /// ``ApplicationStore/details(of:asOf:)``, the report queries) run inside it. Store methods
    /// that write open a transaction of their own and must not be called from `body`: transactions
    /// do not nest. A serialization failure or deadlock reruns `body`, up to `maxAttempts` times in
    /// all, so `body` must be safe to repeat.
    ///
    /// - Throws: ``LicTrackError`` for a database failure; whatever `body` throws otherwise.
    public func transaction<T>(
        isolation: Isolation = .readCommitted, readOnly: Bool = false, maxAttempts: Int = 5,
        _ body: () throws -> T
    ) throws -> T {
        try LicTrackError.translating {
            try connection.transaction(isolation: isolation, readOnly: readOnly, maxAttempts: maxAttempts) { _ in
                try body()
            }
        }
    }

    /// Runs `body` in one `REPEATABLE READ, READ ONLY` transaction: every read in it sees the
    /// database as it was at its first statement, whatever other sessions commit meanwhile.
    ///
    /// Inside a transaction that is already open, `body` simply runs in it.
    public func snapshot<T>(_ body: () throws -> T) throws -> T {
        try LicTrackError.translating { try connection.snapshot { _ in try body() } }
    }

    /// Today in the database session's time zone (the server's `TimeZone`, or `PGTZ`).
    public func today() throws -> CivilDate {
        try LicTrackError.translating {
            try connection.query("select current_date as today")[0].decode(CivilDate.self, "today")
        }
    }
}

extension PostgresConnection {
    /// Runs `body` in the transaction that is open on this connection, or else in a new
    /// `REPEATABLE READ, READ ONLY` one: the reads a store makes for one answer see one state.
    func snapshot<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        if isInTransaction { return try body(self) }
        return try transaction(isolation: .repeatableRead, readOnly: true, maxAttempts: 1, body)
    }
}
