import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// PostgreSQL errors become LicTrackErrors of the kind a user can act on.
@Suite("LicTrackError mapping")
struct ErrorMappingTests {
    static let serverStates: [(String, LicTrackError.Kind)] = [
        ("LT404", .notFound),
        ("LT001", .invalidInput),
        ("LT002", .invalidInput),
        ("LT003", .invalidInput),
        ("LT004", .invalidInput),
        ("LT005", .invalidInput),
        ("LT006", .invalidInput),
        ("08006", .databaseUnavailable),
        ("08001", .databaseUnavailable),
        ("57P01", .databaseUnavailable),
        ("42P01", .configuration),
        ("42883", .configuration),
        ("42703", .configuration),
        ("23503", .invalidInput),
        ("23514", .invalidInput),
        ("23502", .invalidInput),
        ("23505", .invalidInput),
        ("22007", .invalidInput),
        ("42501", .permissionDenied),
        ("40001", .conflict),
        ("40P01", .conflict),
        ("XX000", .internal),
    ]

    @Test("server SQLSTATE", arguments: serverStates)
    func serverError(state: String, kind: LicTrackError.Kind) {
        let error = LicTrackError(PostgresError(kind: .server, message: "boom", sqlState: state))
        #expect(error.kind == kind)
        #expect(error.sqlState == state)
    }

    @Test(arguments: [PostgresError.Kind.connectionFailed, .connectionLost])
    func connectionFailures(kind: PostgresError.Kind) {
        let error = LicTrackError(PostgresError(kind: kind, message: "could not connect to server: Connection refused"))
        #expect(error.kind == .databaseUnavailable)
        #expect(error.message.contains("cannot reach the database"))
    }

    /// A refused login is its own kind (exit 77), with the last host's reason and without libpq's prefixes.
    @Test func refusedLogin() {
        let error = LicTrackError(
            PostgresError(
                kind: .authenticationFailed,
                message: """
                    connection to server at "a" (10.0.0.1), port 5432 failed: timeout expired
                    connection to server at "b" (10.0.0.2), port 5432 failed: FATAL:  password authentication \
                    failed for user "clerk"
                    """,
                sqlState: "28P01"))
        #expect(error.kind == .authenticationFailed)
        #expect(error.sqlState == "28P01")
        #expect(error.message == "the database refused the login: password authentication failed for user \"clerk\"")
        #expect(error.hint?.contains("password") == true)
    }

    /// lictrack's own messages and hints reach the user unchanged.
    @Test func workflowMessagesPassThrough() {
        let error = LicTrackError(
            PostgresError(
                kind: .server, message: "cannot approve application 7: it is draft", sqlState: "LT001",
                hint: "allowed from draft: submit, withdraw"))
        #expect(error.message == "cannot approve application 7: it is draft")
        #expect(error.hint == "allowed from draft: submit, withdraw")
    }

    @Test func translatingConvertsPostgresErrors() {
        let error = #expect(throws: LicTrackError.self) {
            try LicTrackError.translating {
                throw PostgresError(kind: .server, message: "application 9 does not exist", sqlState: "LT404")
            }
        }
        #expect(error?.kind == .notFound)
    }

    /// A real server error on an unmigrated database reads as "not migrated".
    @Test func unmigratedDatabaseIsAConfigurationError() throws {
        try TestDatabase.with(migrated: false) { db in
            let connection = try db.connect()
            defer { connection.close() }
            let error = #expect(throws: LicTrackError.self) {
                try LicTrackError.translating { try connection.execute("select * from applications") }
            }
            #expect(error?.kind == .configuration)
            #expect(error?.sqlState == "42P01")
        }
    }
}
