import Foundation
import LicTrackTestSupport
import Testing

/// Bad input: the documented exit status, exactly one `lictrack: error:` line, and nothing written.
@Suite("Bad input")
struct BadInputTests {
    /// One bad command line, given the id of a submitted application (last event 2025-04-02).
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var status: Int32
        var arguments: @Sendable (String) -> [String]

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown id (show)", status: 66) { _ in ["app", "show", "999999"] },
        Case(name: "unknown id (event verb)", status: 66) { _ in ["app", "accept", "999999", "--on", "2025-04-03"] },
        Case(name: "unknown id (relative date)", status: 66) { _ in ["app", "accept", "999999", "--on", "yesterday"] },
        Case(name: "unknown id (add-item)", status: 66) { _ in ["app", "add-item", "999999", "--item", "Bolt"] },
        Case(name: "unknown authority reference (show)", status: 66) { _ in ["app", "show", "NO/SUCH/REF"] },
        Case(name: "unknown authority reference (event verb)", status: 66) { _ in
            ["app", "accept", "NO/SUCH/REF", "--on", "2025-04-03"]
        },
        Case(name: "malformed date 2025-13-01", status: 64) { id in ["app", "accept", id, "--on", "2025-13-01"] },
        Case(name: "malformed date notadate", status: 64) { id in ["app", "accept", id, "--on", "notadate"] },
        Case(name: "malformed date 2025-02-30", status: 64) { id in ["app", "accept", id, "--on", "2025-02-30"] },
        Case(name: "future date (today+10)", status: 65) { id in
            ["app", "accept", id, "--on", isoDate(daysFromToday: 10)]
        },
        Case(name: "future creation date (today+10)", status: 65) { _ in
            [
                "app", "create", "--authority", "BIS", "--applicant", "A", "--destination", "DE",
                "--on", isoDate(daysFromToday: 10),
            ]
        },
        Case(name: "date before the previous event", status: 65) { id in ["app", "accept", id, "--on", "2025-04-01"] },
        Case(name: "bad destination country ZZ", status: 65) { _ in
            ["app", "create", "--authority", "BIS", "--applicant", "A", "--destination", "ZZ"]
        },
        Case(name: "bad currency ABC (create)", status: 65) { _ in
            [
                "app", "create", "--authority", "BIS", "--applicant", "A", "--destination", "DE", "--item", "Bolt",
                "--value", "10.00", "--currency", "ABC",
            ]
        },
        Case(name: "bad currency ABC (add-item)", status: 65) { id in
            ["app", "add-item", id, "--item", "Bolt", "--value", "10.00", "--currency", "ABC"]
        },
        Case(name: "unknown authority", status: 65) { _ in
            ["app", "create", "--authority", "NOPE", "--applicant", "A", "--destination", "DE"]
        },
        Case(name: "delay without --reason", status: 64) { id in ["app", "delay", id, "--on", "2025-04-03"] },
        Case(name: "delay with an unknown --reason", status: 64) { id in
            ["app", "delay", id, "--on", "2025-04-03", "--reason", "lunch"]
        },
        Case(name: "create without --authority", status: 64) { _ in
            ["app", "create", "--applicant", "A", "--destination", "DE"]
        },
        Case(name: "create without --applicant", status: 64) { _ in
            ["app", "create", "--authority", "BIS", "--destination", "DE"]
        },
        Case(name: "create without --destination", status: 64) { _ in
            ["app", "create", "--authority", "BIS", "--applicant", "A"]
        },
        Case(name: "invalid amount 12,5 (--value)", status: 64) { _ in
            [
                "app", "create", "--authority", "BIS", "--applicant", "A", "--destination", "DE", "--item", "Bolt",
                "--value", "12,5", "--currency", "EUR",
            ]
        },
        Case(name: "invalid amount 12,5 (--quantity)", status: 64) { id in
            ["app", "add-item", id, "--item", "Bolt", "--quantity", "12,5", "--unit", "kg"]
        },
        Case(name: "--value without --currency", status: 64) { _ in
            [
                "app", "create", "--authority", "BIS", "--applicant", "A", "--destination", "DE", "--item", "Bolt",
                "--value", "1",
            ]
        },
        Case(name: "note without --note", status: 64) { id in ["app", "note", id] },
        Case(name: "unknown subcommand", status: 64) { id in ["app", "frobnicate", id] },
    ]

    @Test("is refused with the documented status and writes nothing", arguments: cases)
    func refused(badInput: Case) throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, on: "2025-04-01")
            try lictrackOK(["app", "submit", String(id), "--on", "2025-04-02"], database: db)
            let before = try rowCounts(db)

            let arguments = badInput.arguments(String(id))
            let outcome = try lictrack(arguments, database: db)
            expectFailure(outcome, status: badInput.status, arguments.joined(separator: " "))
            #expect(outcome.stdout.isEmpty, "nothing on stdout on failure: \(outcome.stdout)")

            #expect(try rowCounts(db) == before, "a refused command wrote something")
            #expect(try list([], db).map { $0["status"] as? String } == ["submitted"])
        }
    }

    @Test(
        "a database that is down: exit 69, one line, no password, no stack trace",
        arguments: [
            ["app", "list"], ["app", "show", "1"], ["app", "submit", "1"], ["db", "status"], ["db", "migrate"],
        ])
    func databaseDown(arguments: [String]) throws {
        let url = "postgresql://someone:TopSecretPw@127.0.0.1:1/x"
        for (command, environment) in [
            (arguments + ["--database-url", url], [String: String]()),
            (arguments, ["LICTRACK_DATABASE_URL": url]),
        ] {
            let outcome = try lictrack(command, database: nil, environment: environment)
            expectFailure(outcome, status: 69, command.joined(separator: " "))
            #expect(!outcome.stderr.contains("TopSecretPw"), "the password leaked: \(outcome.stderr)")
            #expect(!outcome.stdout.contains("TopSecretPw"))
            #expect(outcome.stdout.isEmpty)
        }
    }

    @Test("forbidden transitions name the verb and the status")
    func forbiddenMessage() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, on: "2025-04-01")
            let outcome = try lictrack(["app", "approve", String(id), "--on", "2025-04-02"], database: db)
            expectFailure(outcome, status: 65, "approve a draft")
            #expect(outcome.stderr.contains("approve"))
            #expect(outcome.stderr.contains("draft"))
        }
    }
}
