import LicTrackCore
import Postgres

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension LicTrackError {
    /// Translates a PostgreSQL error into one a user can act on.
    ///
    /// lictrack's own rules raise SQLSTATEs of class `LT` (see `Database/migrations/0002_workflow.sql`)
    /// whose messages are written for users; standard SQLSTATEs are translated here.
    public init(_ error: PostgresError) {
        let state = error.sqlState ?? ""
        let message = error.message
        if error.kind == .authenticationFailed {
            self.init(
                .authenticationFailed, "the database refused the login: \(Self.loginReason(message))",
                hint:
                    "check the user and password in --database-url, LICTRACK_DATABASE_URL, PGUSER/PGPASSWORD or ~/.pgpass",
                sqlState: error.sqlState)
            return
        }
        if error.isConnectionFailure, message.contains("unsupported startup parameter") {
            // pgbouncer refuses libpq's `options`, which carry lictrack's DateStyle and IntervalStyle.
            self.init(
                .configuration, "the connection pooler refused lictrack's startup options: \(Self.firstLine(message))",
                hint:
                    "in pgbouncer.ini set ignore_startup_parameters = options, and set DateStyle and IntervalStyle on "
                    + "the database; see Docs/operations.md, 'Behind pgbouncer'",
                sqlState: error.sqlState)
            return
        }
        if error.isConnectionFailure {
            self.init(
                .databaseUnavailable, "cannot reach the database: \(Self.firstLine(message))",
                hint: "check --database-url, LICTRACK_DATABASE_URL or the PG* variables", sqlState: error.sqlState)
            return
        }
        switch (error.kind, state) {
        case (.server, "LT404"):
            self.init(.notFound, message, hint: error.hint, sqlState: state)
        case (.server, _) where state.hasPrefix("LT"):
            self.init(.invalidInput, message, hint: error.hint, sqlState: state)
        case (.server, "23503"):
            self.init(.invalidInput, Self.foreignKeyMessage(error), sqlState: state)
        case (.server, "23514"):
            self.init(.invalidInput, Self.checkMessage(error), sqlState: state)
        case (.server, "23502"):
            self.init(.invalidInput, "\(error.columnName ?? "a value") is required", sqlState: state)
        case (.server, "23505"):
            self.init(.invalidInput, "already exists: \(Self.firstLine(error.detail ?? message))", sqlState: state)
        case (.server, _) where state.hasPrefix("22"):
            self.init(.invalidInput, message, hint: error.hint, sqlState: state)
        case (.server, "42P01"), (.server, "42883"), (.server, "42703"), (.server, "3F000"):
            self.init(
                .configuration, "the database is not migrated for this version of lictrack",
                hint: "run 'lictrack db migrate'", sqlState: state)
        case (.server, "42501"):
            self.init(.permissionDenied, "permission denied: \(message)", sqlState: state)
        case (.server, "40001"), (.server, "40P01"), (.server, "55P03"):
            self.init(
                .conflict, "the database reported a conflict with another user's change",
                hint: "try again", sqlState: state)
        case (.server, "57014"):
            self.init(.conflict, "the statement was cancelled or timed out", hint: "try again", sqlState: state)
        case (.server, "25006"):
            self.init(.permissionDenied, "the database is read-only here (a standby?)", sqlState: state)
        default:
            self.init(
                .internal, "unexpected database error \(error.description)",
                hint: "SQLSTATE \(state.isEmpty ? "unknown" : state)", sqlState: error.sqlState)
        }
    }

    /// Runs a database operation, translating PostgreSQL errors into ``LicTrackError``s.
    public static func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError {
            throw LicTrackError(error)
        }
    }

    private static let foreignKeyMessages: [String: String] = [
        "applications_destination_fkey": "unknown destination country: use an ISO 3166-1 alpha-2 code such as DE",
        "authorities_country_fkey": "unknown country: use an ISO 3166-1 alpha-2 code such as DE",
        "applications_authority_fkey": "unknown authority: see 'lictrack authority list'",
        "application_items_currency_fkey": "unknown currency: use an ISO 4217 code such as USD",
        "application_events_application_id_fkey": "no such application",
    ]

    private static func foreignKeyMessage(_ error: PostgresError) -> String {
        let base = error.constraintName.flatMap { foreignKeyMessages[$0] } ?? "refers to something that does not exist"
        guard let value = keyValue(error.detail) else { return base }
        return "\(base) (got '\(value)')"
    }

    private static func checkMessage(_ error: PostgresError) -> String {
        guard let constraint = error.constraintName else { return firstLine(error.message) }
        // Constraint names are table_column_check or a descriptive name; either reads well enough.
        let readable = constraint.replacing("_check", with: "").replacing("_", with: " ")
        return "invalid value: \(readable)"
    }

    /// Pulls `X` out of a detail like `Key (destination)=(X) is not present in table "countries".`
    private static func keyValue(_ detail: String?) -> String? {
        guard let detail, let open = detail.firstRange(of: ")=("),
            let close = detail[open.upperBound...].firstIndex(of: ")")
        else { return nil }
        return String(detail[open.upperBound..<close])
    }

    /// The server's own words from libpq's connection message, without the `connection to server
    /// at ... failed:` and severity prefixes: `password authentication failed for user "clerk"`.
    ///
    /// libpq lists one line per host it tried; the refusal is the last host's.
    static func loginReason(_ message: String) -> String {
        let lines = message.split(whereSeparator: \.isNewline)
        guard var line = lines.last(where: { $0.contains(" failed: ") }) ?? lines.first else { return "" }
        if let failed = line.firstRange(of: " failed: ") { line = line[failed.upperBound...] }
        if let severity = line.firstRange(of: ":  ") { line = line[severity.upperBound...] }
        return line.trimmed
    }

    static func firstLine(_ text: String) -> String {
        (text.split(whereSeparator: \.isNewline).first ?? "").trimmed
    }
}
