import LicTrackTestSupport
import Testing

@testable import Postgres

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A refused login is told apart from an unreachable server, with the server's SQLSTATE.
@Suite("Authentication errors")
struct AuthenticationErrorTests {
    static let secret = "Wr0ng-Secret-4711"

    @Test("a wrong password: authenticationFailed, 28P01, the server's words, no password")
    func wrongPassword() throws {
        let server = try PasswordRefusingServer()
        defer { server.stop() }
        let connectionString =
            "host=127.0.0.1 port=\(server.port) user=clerk password=\(Self.secret) dbname=lictrack sslmode=disable"
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection(configuration: .init(connectionString: connectionString))
        }
        #expect(server.receivedPasswords == [Self.secret], "libpq went through the password exchange")
        #expect(error.kind == .authenticationFailed)
        #expect(error.sqlState == "28P01")
        #expect(!error.isConnectionFailure)
        #expect(error.message.contains("FATAL:  password authentication failed for user \"clerk\""), "\(error.message)")
        #expect(!error.message.contains("28P01"), "the SQLSTATE is a field, not part of the message")
        #expect(!error.message.contains("LOCATION"), "\(error.message)")
        for text in [error.message, error.description, String(reflecting: error)] {
            #expect(!text.contains(Self.secret), "\(text)")
        }
    }

    @Test("no password to give: authenticationFailed, without a SQLSTATE")
    func missingPassword() throws {
        let server = try PasswordRefusingServer()
        defer { server.stop() }
        let connectionString =
            "host=127.0.0.1 port=\(server.port) user=clerk dbname=lictrack sslmode=disable passfile=/nonexistent/pgpass"
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection(configuration: .init(connectionString: connectionString))
        }
        #expect(error.kind == .authenticationFailed)
        #expect(error.sqlState == nil)
        #expect(error.message.contains("no password supplied"), "\(error.message)")
    }

    @Test("an unknown role on the real server: authenticationFailed, 28000")
    func unknownRole() throws {
        let role = uniqueName("no_such_role")
        let connectionString = try adminConnectionString(replacing: ["user": role])
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection(configuration: .init(connectionString: connectionString))
        }
        #expect(error.kind == .authenticationFailed)
        #expect(error.sqlState == "28000")
        #expect(error.message.contains("role \"\(role)\" does not exist"), "\(error.message)")
        #expect(!error.message.contains("28000"))
    }

    @Test("a database that does not exist stays a connection failure, now with its SQLSTATE")
    func missingDatabase() throws {
        let database = uniqueName("no_such_db")
        let connectionString = try adminConnectionString(replacing: ["dbname": database])
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection(configuration: .init(connectionString: connectionString))
        }
        #expect(error.kind == .connectionFailed)
        #expect(error.isConnectionFailure)
        #expect(error.sqlState == "3D000")
        #expect(error.message.contains("database \"\(database)\" does not exist"), "\(error.message)")
    }

    @Test("connect_timeout still bounds a server that never answers")
    func connectTimeout() throws {
        let server = try PasswordRefusingServer(silent: true)
        defer { server.stop() }
        let started = Date()
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection(
                configuration: .init(
                    connectionString: "postgresql://clerk@127.0.0.1:\(server.port)/x?connect_timeout=2&sslmode=disable")
            )
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(error.kind == .connectionFailed)
        #expect(error.message.hasSuffix("timeout expired"), "\(error.message)")
        #expect(elapsed >= 1.9 && elapsed < 10, "took \(elapsed) s")
    }

    @Test("connect_timeout moves on to the next host, whose refusal is the one reported")
    func connectTimeoutNextHost() throws {
        let silent = try PasswordRefusingServer(silent: true)
        let refusing = try PasswordRefusingServer()
        defer {
            silent.stop()
            refusing.stop()
        }
        let connectionString = """
            host=127.0.0.1,127.0.0.1 port=\(silent.port),\(refusing.port) user=clerk password=\(Self.secret) \
            dbname=lictrack sslmode=disable connect_timeout=2
            """
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection(configuration: .init(connectionString: connectionString))
        }
        #expect(refusing.receivedPasswords == [Self.secret])
        #expect(error.kind == .authenticationFailed)
        #expect(error.sqlState == "28P01")
        let lines = error.message.split(separator: "\n")
        #expect(lines.count == 2, "\(error.message)")
        #expect(lines.first?.hasSuffix("port \(silent.port) failed: timeout expired") == true, "\(error.message)")
        #expect(lines.last?.contains("password authentication failed") == true, "\(error.message)")
    }

    @Test("the SQLSTATE and LOCATION lines come out of libpq's verbose text")
    func verboseText() {
        // As libpq 15 words a refused login with PQERRORS_VERBOSE, two addresses tried.
        let text = """
            connection to server at "localhost" (::1), port 5432 failed: FATAL:  28000: no pg_hba.conf entry for \
            host "::1", user "clerk", database "x", no encryption
            LOCATION:  ClientAuthentication, auth.c:548
            connection to server at "localhost" (127.0.0.1), port 5432 failed: FATAL:  28P01: password \
            authentication failed for user "clerk"
            LOCATION:  auth_failed, auth.c:335

            """
        let (message, sqlState) = PostgresConnection.stripVerboseFields(text)
        #expect(sqlState == "28P01")
        #expect(
            message == """
                connection to server at "localhost" (::1), port 5432 failed: FATAL:  no pg_hba.conf entry for \
                host "::1", user "clerk", database "x", no encryption
                connection to server at "localhost" (127.0.0.1), port 5432 failed: FATAL:  password \
                authentication failed for user "clerk"
                """)
        let plain = "connection to server at \"127.0.0.1\", port 1 failed: Connection refused"
        #expect(PostgresConnection.stripVerboseFields(plain) == (plain, nil))
        #expect(PostgresConnection.stripVerboseFields("x:  ABCDE:no space") == ("x:  ABCDE:no space", nil))
    }
}
