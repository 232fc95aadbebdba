import Foundation
import LicTrackTestSupport
import Testing

/// A value the database refuses reads as one line naming the option, what was given and what is
/// expected: never a raw database message, a parser's "missing value", or exit 70.
@Suite("Friendly messages")
struct FriendlyMessageTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        /// What the one error line must contain: the option, the value as given (quoted), the expectation.
        var mentions: [String]
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let create = ["app", "create", "--authority", "BIS", "--destination", "DE", "--on", "2025-04-01"]

    static let cases: [Case] = [
        Case(
            arguments: create + ["--applicant", "A", "--item", "Bolt", "--value", "10", "--currency", "euro"],
            mentions: ["--currency", "EURO", "expected", "three letters"]),
        Case(
            arguments: create + ["--applicant", "A", "--item", "Bolt", "--hs-code", "85AB"],
            mentions: ["--hs-code", "'85AB'", "expected", "4 to 12 digits"]),
        Case(arguments: create + ["--applicant", ""], mentions: ["--applicant", "''", "expected", "not blank"]),
        Case(
            arguments: create + ["--applicant", "A", "--item", "Bolt", "--value", "-5", "--currency", "EUR"],
            mentions: ["--value", "'-5'", "expected", "0 or more"]),
        Case(
            arguments: create + ["--applicant", "A", "--item", "Bolt", "--quantity", "-5", "--unit", "kg"],
            mentions: ["--quantity", "'-5'", "expected", "greater than 0"]),
        Case(
            arguments: create + ["--applicant", "A", "--item", "Bolt", "--control-code", "1C9 02"],
            mentions: ["--control-code", "'1C9 02'", "expected"]),
        Case(
            arguments: ["app", "create", "--authority", "BIS", "--applicant", "A", "--destination", "DEU"],
            mentions: ["--destination", "'DEU'", "expected", "alpha-2"]),
        Case(
            arguments: ["authority", "add", "XJ", "--name", "Japan", "--country", "JPN", "--time-zone", "Asia/Tokyo"],
            mentions: ["--country", "'JPN'", "expected"]),
        Case(
            arguments: ["authority", "add", "XJ", "--name", "\u{A0}", "--country", "JP", "--time-zone", "Asia/Tokyo"],
            mentions: ["--name", "'\\u{A0}'", "expected"]),
        Case(
            arguments: ["authority", "add", "9X", "--name", "Nine", "--country", "JP", "--time-zone", "Asia/Tokyo"],
            mentions: ["CODE", "'9X'", "expected", "capital letters"]),
        Case(
            arguments: ["authority", "add", "XJ", "--name", "J", "--country", "JP", "--time-zone", "UTC+100"],
            mentions: ["UTC+100", "IANA"]),
    ]

    @Test("is refused with exit 65 and one line naming option, value and expectation", arguments: cases)
    func refused(badInput: Case) throws {
        try TestDatabase.with { db in
            let before = try rowCounts(db)
            let outcome = try lictrack(badInput.arguments, database: db)
            expectFailure(outcome, status: 65, badInput.testDescription)
            for mention in badInput.mentions {
                #expect(outcome.stderr.contains(mention), "\(mention) missing from \(outcome.stderr)")
            }
            #expect(!outcome.stderr.contains("character("), "a raw database message: \(outcome.stderr)")
            #expect(!outcome.stderr.contains("Missing value"))
            #expect(outcome.stdout.isEmpty)
            #expect(try rowCounts(db) == before)
        }
    }

    @Test(
        "a negative number reaches its check instead of reading as an option",
        arguments: [
            (["app", "list", "--limit", "-5"], "--limit"), (["policy", "set", "BIS", "--target", "-5"], "--target"),
            (["policy", "set", "BIS", "--warn-before", "-5"], "--warn-before"),
            (["alerts", "run", "--batch-size", "-5"], "--batch-size"),
        ])
    func negativeNumbers(arguments: [String], option: String) throws {
        try TestDatabase.with { db in
            let outcome = try lictrack(arguments, database: db)
            expectFailure(outcome, status: 64, arguments.joined(separator: " "))
            #expect(outcome.stderr.contains(option) && outcome.stderr.contains("'-5'"), "\(outcome.stderr)")
            #expect(!outcome.stderr.contains("Missing value"), "\(outcome.stderr)")
        }
    }

    @Test("a negative --extend-by names the option and the value")
    func negativeExtension() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db)
            try lictrackOK(["app", "submit", String(id), "--on", "2025-04-02"], database: db)
            let outcome = try lictrack(
                ["app", "delay", String(id), "--reason", "extension", "--extend-by", "-5"], database: db)
            expectFailure(outcome, status: 64, "delay --extend-by -5")
            #expect(outcome.stderr.contains("--extend-by") && outcome.stderr.contains("'-5'"), "\(outcome.stderr)")
        }
    }
}
