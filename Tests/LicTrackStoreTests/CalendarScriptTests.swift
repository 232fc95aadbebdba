import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// `Database/tests/calendars_test.sql`, the assertions on the working-day calendars and their
/// arithmetic (0003's functions, now wrappers over the clocks' clock_index/clock_day, migration
/// 0019), run against a migrated database as part of the suite.
@Suite("Calendar assertions (calendars_test.sql)")
struct CalendarScriptTests {
    /// The script's sections: the text before its first `\echo`, then one per `\echo 'label'`,
    /// with psql's meta-commands left out.
    static func sections() throws -> [(label: String, sql: String)] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Database/tests/calendars_test.sql")
        let text = try String(contentsOf: url, encoding: .utf8)
        var sections: [(label: String, sql: String)] = [("setup", "")]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("\\echo") {
                sections.append((String(line.dropFirst("\\echo".count)).trimmingCharacters(in: .whitespaces), ""))
            } else if !line.hasPrefix("\\") {
                sections[sections.count - 1].sql += line + "\n"
            }
        }
        return sections
    }

    /// Runs every section on one connection (they share its pg_temp helpers); the first failure
    /// is thrown, labelled with its section.
    static func runScript(_ connection: PostgresConnection) throws {
        for section in try sections() {
            let statements = section.sql.split(separator: "\n").filter {
                !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("--")
            }
            if statements.isEmpty { continue }
            do {
                try connection.executeScript(section.sql)
            } catch let error as PostgresError {
                throw ScriptFailure(section: section.label, message: error.message)
            }
        }
    }

    struct ScriptFailure: Error, CustomStringConvertible {
        var section: String
        var message: String
        var description: String { "calendars_test.sql, section \(section): \(message)" }
    }

    @Test("every assertion of calendars_test.sql holds")
    func scriptPasses() throws {
        let sections = try Self.sections()
        #expect(sections.count >= 8, "calendars_test.sql has \(sections.count) sections")
        #expect(sections.contains { $0.label.contains("add_working_days") })
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try Self.runScript(connection)
        }
    }

    /// The script can fail: with add_working_days counting calendar days instead, it stops at an
    /// assertion.
    @Test("a wrong add_working_days makes the script fail")
    func scriptCanFail() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try connection.execute(
                """
                create or replace function add_working_days(p_calendar text, p_from date, p_days integer)
                returns date language sql stable strict as $$ select p_from + p_days $$
                """)
            do {
                try Self.runScript(connection)
                Issue.record("the script passed with a wrong add_working_days")
            } catch let failure as ScriptFailure {
                #expect(failure.message.contains("FAILED"), "\(failure)")
            }
        }
    }
}
