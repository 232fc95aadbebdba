import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// A refused login exits 77 with the server's reason; an unreachable server still exits 69.
@Suite("Login errors")
struct LoginErrorTests {
    static let secret = "Wr0ng-Secret-4711"

    /// The test server's connection string with `changes` applied.
    func testServer(replacing changes: [String: String]) throws -> String {
        var parameters = try PostgresConfiguration.parseConnectionString(TestCluster.adminConnectionString)
        parameters.removeAll { changes[$0.keyword] != nil }
        parameters += changes.sorted { $0.key < $1.key }.map { (keyword: $0.key, value: $0.value) }
        return PostgresConfiguration.formatConnectionString(parameters)
    }

    @Test(
        "a wrong password: exit 77, the server's reason, never the password",
        arguments: [["app", "list"], ["db", "status"], ["db", "migrate"], ["app", "submit", "1"]])
    func wrongPassword(arguments: [String]) throws {
        let server = try PasswordRefusingServer()
        defer { server.stop() }
        let withPassword = "postgresql://clerk:\(Self.secret)@127.0.0.1:\(server.port)/lictrack?sslmode=disable"
        let withoutPassword = "postgresql://clerk@127.0.0.1:\(server.port)/lictrack?sslmode=disable"
        for (command, environment) in [
            (arguments + ["--database-url", withPassword], [String: String]()),
            (arguments, ["LICTRACK_DATABASE_URL": withPassword]),
            (arguments, ["LICTRACK_DATABASE_URL": withoutPassword, "PGPASSWORD": Self.secret]),
        ] {
            let outcome = try lictrack(command, database: nil, environment: environment)
            expectFailure(outcome, status: 77, command.joined(separator: " "))
            #expect(
                outcome.stderr.hasPrefix(
                    "lictrack: error: the database refused the login: password authentication failed for user \"clerk\""
                ), "\(outcome.stderr)")
            #expect(!outcome.stderr.contains("cannot reach"))
            #expect(!outcome.stderr.contains(Self.secret), "the password leaked: \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty)
        }
        #expect(server.receivedPasswords == Array(repeating: Self.secret, count: 3))
    }

    @Test("no password at all, when the server wants one: exit 77")
    func missingPassword() throws {
        let server = try PasswordRefusingServer()
        defer { server.stop() }
        let outcome = try lictrack(
            ["app", "list"], database: nil,
            environment: [
                "LICTRACK_DATABASE_URL": "postgresql://clerk@127.0.0.1:\(server.port)/lictrack?sslmode=disable",
                "PGPASSFILE": "/nonexistent/pgpass", "PGPASSWORD": "",
            ])
        expectFailure(outcome, status: 77, "app list without a password")
        #expect(outcome.stderr.contains("the database refused the login"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("no password supplied"), "\(outcome.stderr)")
    }

    @Test("a role the real server does not know: exit 77")
    func unknownRole() throws {
        let role = "lictrack_no_such_role_\(UInt32.random(in: 0...UInt32.max))"
        let outcome = try lictrack(
            ["app", "list"], database: nil,
            environment: ["LICTRACK_DATABASE_URL": try testServer(replacing: ["user": role])])
        expectFailure(outcome, status: 77, "app list as an unknown role")
        #expect(
            outcome.stderr.hasPrefix(
                "lictrack: error: the database refused the login: role \"\(role)\" does not exist"),
            "\(outcome.stderr)")
    }

    @Test("a database that does not exist: still exit 69")
    func missingDatabase() throws {
        let name = "lictrack_no_such_db_\(UInt32.random(in: 0...UInt32.max))"
        let outcome = try lictrack(
            ["app", "list"], database: nil,
            environment: ["LICTRACK_DATABASE_URL": try testServer(replacing: ["dbname": name])])
        expectFailure(outcome, status: 69, "app list on a missing database")
        #expect(outcome.stderr.contains("cannot reach the database"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("database \"\(name)\" does not exist"), "\(outcome.stderr)")
    }
}
