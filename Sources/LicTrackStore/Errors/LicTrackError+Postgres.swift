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
    /// whose messages are written for users; standard SQLSTATEs are translated here. A broken check
    /// constraint or length limit is worded by ``InputRules``, echoing the value from `given`.
    public init(_ error: PostgresError, given: GivenInput = GivenInput()) {
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
        case (.protocolViolation, "22021"):
            // A NUL character, refused before it was sent (the Postgres module checks every parameter).
            self.init(
                .invalidInput, "a value holds a NUL character, which the database cannot store",
                hint: "expected text without NUL characters", sqlState: state)
        case (.server, "LT404"):
            self.init(.notFound, message, hint: error.hint, sqlState: state)
        case (.server, _) where state.hasPrefix("LT"):
            self.init(.invalidInput, message, hint: error.hint, sqlState: state)
        case (.server, "23503"):
            self.init(.invalidInput, Self.foreignKeyMessage(error), sqlState: state)
        case (.server, "23514"):
            let rule = error.constraintName.flatMap { InputRules.checks[$0] }
            self.init(
                rule != nil && rule?.option == nil ? .internal : .invalidInput,
                Self.checkMessage(error, rule: rule, given: given),
                sqlState: state)
        case (.server, "22001") where given.lengthLimited.flatMap { InputRules.lengths[$0] } != nil:
            let rule = given.lengthLimited.flatMap { InputRules.lengths[$0] }!
            self.init(
                .invalidInput, rule.message(given: rule.column.flatMap { given.values[$0] }, item: given.item),
                sqlState: state)
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
    ///
    /// `given` is what the user gave for the statement's columns, so that a refused value is echoed.
    public static func translating<T>(given: GivenInput = GivenInput(), _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError {
            throw LicTrackError(error, given: given)
        }
    }

    /// What each foreign key on user input means: the option, the noun and what it expects.
    private static let foreignKeyMessages: [String: (option: String, noun: String, expected: String)] = [
        "applications_destination_fkey": (
            "--destination", "unknown destination country", "an ISO 3166-1 alpha-2 code such as DE"
        ),
        "authorities_country_fkey": ("--country", "unknown country", "an ISO 3166-1 alpha-2 code such as DE"),
        "applications_authority_fkey": ("--authority", "unknown authority", "see 'lictrack authority list'"),
        "application_items_currency_fkey": ("--currency", "unknown currency", "an ISO 4217 code such as USD"),
        "application_events_application_id_fkey": ("APP", "no such application", "see 'lictrack app list'"),
    ]

    private static func foreignKeyMessage(_ error: PostgresError) -> String {
        guard let known = error.constraintName.flatMap({ foreignKeyMessages[$0] }) else {
            return "refers to something that does not exist"
        }
        let got = keyValue(error.detail).map { " " + quoted($0) } ?? ""
        return "\(known.option): \(known.noun)\(got) (expected \(known.expected))"
    }

    private static func checkMessage(_ error: PostgresError, rule: InputRule?, given: GivenInput) -> String {
        guard let rule else {
            return "the database refused a value (check \(error.constraintName ?? "unknown"))"
        }
        guard rule.option != nil else {
            return "the database refused a value lictrack wrote (check \(error.constraintName ?? "")): "
                + "expected \(rule.expected)"
        }
        return rule.message(given: rule.column.flatMap { given.values[$0] }, item: given.item)
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
