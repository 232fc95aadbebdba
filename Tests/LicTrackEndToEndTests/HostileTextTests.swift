import Foundation
import LicTrackTestSupport
import Testing

/// Text meant to break things: NUL characters, blanks that look like text, terminal escapes, floods.
@Suite("Hostile text")
struct HostileTextTests {
    @Test("a NUL character in a --from-file value is refused (65), naming the key, and nothing is written")
    func nulInFile() throws {
        try TestDatabase.with { db in
            let before = try rowCounts(db)
            for json in [
                #"{"authority": "BIS", "applicant": "Acme\u0000Corp", "destination": "DE"}"#,
                #"{"authority": "BIS", "applicant": "A", "destination": "DE", "items": [{"description": "x\u0000"}]}"#,
                #"{"authority": "BIS", "applicant": "A", "destination": "DE", "owner": "\u0000"}"#,
            ] {
                let outcome = try lictrack(["app", "create", "--from-file", "-"], database: db, stdin: json)
                expectFailure(outcome, status: 65, json)
                #expect(outcome.stderr.contains("NUL"), "\(outcome.stderr)")
                #expect(outcome.stderr.contains("-: ."), "names the file's key: \(outcome.stderr)")
                #expect(!outcome.stderr.contains("protocolViolation"))
            }
            #expect(try rowCounts(db) == before)
        }
    }

    static let blanks = [
        "\t", "\n", "\u{A0}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\t\u{A0}\u{200B}",
    ]

    @Test("required text made only of blank characters is refused (65)", arguments: blanks)
    func blankRequiredText(blank: String) throws {
        try TestDatabase.with { db in
            let id = try createApplication(db)
            let before = try rowCounts(db)
            let commands: [([String], String)] = [
                (["app", "create", "--authority", "BIS", "--applicant", blank, "--destination", "DE"], "--applicant"),
                (["app", "add-item", String(id), "--item", blank], "--item"),
                (["app", "add-item", String(id), "--item", "Bolt", "--quantity", "1", "--unit", blank], "--unit"),
                (["app", "note", String(id), "--note", blank], "--note"),
                (["app", "submit", String(id), "--authority-ref", blank], "--authority-ref"),
                (["authority", "add", "XB", "--name", blank, "--country", "JP", "--time-zone", "UTC"], "--name"),
            ]
            for (arguments, option) in commands {
                let outcome = try lictrack(arguments, database: db)
                expectFailure(outcome, status: 65, arguments.joined(separator: " "))
                #expect(outcome.stderr.contains(option), "\(outcome.stderr)")
            }
            let json =
                #"{"authority": "BIS", "applicant": "\#(blank.unicodeScalars.map { String(format: "\\u%04X", $0.value) }.joined())", "destination": "DE"}"#
            let file = try lictrack(["app", "create", "--from-file", "-"], database: db, stdin: json)
            expectFailure(file, status: 65, json)
            #expect(file.stderr.contains(".applicant"))
            #expect(try rowCounts(db) == before)
        }
    }

    @Test(
        "escape sequences in echoed input never reach the terminal",
        arguments: [
            ["app", "show", "\u{1B}]0;pwned\u{07}"],
            ["app", "accept", "\u{1B}[2J", "--on", "2025-04-02"],
            ["app", "accept", "1", "--on", "\u{1B}]0;pwned\u{07}"],
            ["app", "list", "--status", "\u{1B}[31mred"],
            ["app", "create", "--from-file", "/no/such/\u{1B}[2J.json"],
            ["report", "delays", "--authority", "\u{1B}]0;x\u{07}"],
        ])
    func escapes(arguments: [String]) throws {
        try TestDatabase.with { db in
            _ = try createApplication(db)
            let outcome = try lictrack(arguments, database: db)
            #expect(outcome.status != 0)
            #expect(isOneErrorLine(outcome.stderr), "\(outcome.stderr.debugDescription)")
            #expect(
                !outcome.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" },
                "\(outcome.stderr.debugDescription)")
            #expect(
                outcome.stderr.contains("\\u{1B}"), "the escape is shown escaped: \(outcome.stderr.debugDescription)")
        }
    }

    @Test(
        "a 100 KB id or date comes back quoted and cut short",
        arguments: [
            ["app", "show"], ["app", "submit"], ["app", "accept", "1", "--on"], ["app", "show", "--as-of"],
        ])
    func floods(prefix: [String]) throws {
        try TestDatabase.with { db in
            _ = try createApplication(db)
            let huge = String(repeating: "9x", count: 50_000)
            let outcome = try lictrack(
                prefix + [huge] + (prefix.count == 2 ? [] : prefix == ["app", "show", "--as-of"] ? ["1"] : []),
                database: db)
            #expect(outcome.status != 0)
            #expect(isOneErrorLine(outcome.stderr), "\(outcome.stderr.prefix(300))")
            #expect(outcome.stderr.count < 400, "\(outcome.stderr.count) characters: \(outcome.stderr.prefix(300))")
            #expect(outcome.stderr.contains("9x9x9x") && outcome.stderr.contains("…"))
        }
    }
}
