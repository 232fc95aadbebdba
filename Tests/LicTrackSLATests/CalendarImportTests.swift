import Foundation
import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// `lictrack calendar import`: loading the official CN 2027 calendar moves the open deadlines that
/// depend on it, and a malformed file changes nothing.
@Suite("Calendar import")
struct CalendarImportTests {
    private static func d(_ text: String) -> CivilDate { ClockFixture.date(text) }

    /// The rows of `calendar show CN 2027 --all --format csv`, one string per line (header first).
    private static func cn2027Lines(_ db: TestDatabase) throws -> [String] {
        let csv = try ClockFixture.runOK(["calendar", "show", "CN", "2027", "--all", "--format", "csv"], db).stdout
        // CSV output ends its lines with CRLF, one Character in Swift.
        var lines = csv.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map(String.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        try #require(lines.first == "date,working,name", "header: \(lines.first ?? "-")")
        try #require(lines.count == 366, "expected 365 days and a header, got \(lines.count) lines")
        return lines
    }

    /// The same lines with Tuesday 2027-01-05 (a working day) made a holiday.
    private static func with0105Off(_ lines: [String]) throws -> [String] {
        let index = try #require(lines.firstIndex { $0.hasPrefix("2027-01-05,") })
        try #require(lines[index].hasPrefix("2027-01-05,true"), "2027-01-05 is not a working day: \(lines[index])")
        var changed = lines
        changed[index] = "2027-01-05,false,Test holiday"
        return changed
    }

    /// A fingerprint of everything an import may change: CN's days and years and every stored clock.
    private static func snapshot(_ connection: PostgresConnection) throws -> [String?] {
        [
            try ClockFixture.value(
                connection,
                """
                select md5(string_agg(day || ':' || is_working_day || ':' || coalesce(name, '') || ':'
                                      || working_day_index, ',' order by day))
                from calendar_days where calendar_code = 'CN'
                """),
            try ClockFixture.value(
                connection,
                """
                select string_agg(year || ':' || provisional || ':' || source || ':' || loaded_at, ',' order by year)
                from calendar_years where calendar_code = 'CN'
                """),
            try ClockFixture.value(
                connection,
                """
                select string_agg(application_id || ':' || cycle || ':' || coalesce(deadline::text, '-') || ':'
                                  || provisional || ':' || computed_at, ',' order by application_id, cycle)
                from application_clocks
                """),
        ]
    }

    /// Accepted 2026-11-10, the clock's deadline is 2027-01-13 (provisional). Importing all of 2027 with
    /// 2027-01-05 as a holiday moves it one working day, to 2027-01-14, and makes it official. The
    /// 2025 clock does not depend on 2027 and is not recomputed.
    @Test("import moves the open deadline and makes 2027 official (JSON output)")
    func importMovesDeadline() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let open2027 = try ClockFixture.acceptedMOFCOM(connection, on: "2026-11-10")
            let open2025 = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            #expect(try ClockFixture.stored(connection, open2027)?.deadline == Self.d("2027-01-13"))
            #expect(try ClockFixture.stored(connection, open2027)?.provisional == true)

            let file = try ClockFixture.temporaryFile(
                try Self.with0105Off(try Self.cn2027Lines(db)).joined(separator: "\n") + "\n")
            defer { try? FileManager.default.removeItem(atPath: file) }

            let outcome = try ClockFixture.runOK(
                ["calendar", "import", "CN", file, "--source", "State Council notice 2027 (test)", "--format", "json"],
                db)
            let result = try ClockFixture.decode(ImportResult.self, outcome)
            #expect(result.calendar == "CN")
            #expect(result.daysLoaded == 365)
            #expect(result.firstDay == "2027-01-01")
            #expect(result.lastDay == "2027-12-31")
            #expect(result.clocksChanged == 1)

            let moved = try #require(try ClockFixture.stored(connection, open2027))
            #expect(moved.deadline == Self.d("2027-01-14"))
            #expect(moved.provisional == false)
            let shown = try ClockFixture.showSLA(db, open2027, asOf: "2026-11-28")
            #expect(shown.deadline == "2027-01-14")
            #expect(shown.provisional == false)
            let listed = try ClockFixture.list(db, ["--authority", "MOFCOM"])
            #expect(listed.first { $0.id == open2027 }?.deadline == "2027-01-14")
            #expect(listed.first { $0.id == open2027 }?.provisional == false)

            #expect(try ClockFixture.stored(connection, open2025)?.deadline == Self.d("2025-06-12"))

            #expect(
                try ClockFixture.value(
                    connection, "select provisional from calendar_years where calendar_code = 'CN' and year = 2027")
                    == "f")
            #expect(
                try ClockFixture.value(
                    connection, "select source from calendar_years where calendar_code = 'CN' and year = 2027")
                    == "State Council notice 2027 (test)")
            #expect(
                try ClockFixture.value(
                    connection,
                    "select is_working_day::text || '/' || name from calendar_days where calendar_code = 'CN' and day = '2027-01-05'"
                ) == "false/Test holiday")
            // The show command no longer marks the year provisional.
            let year = try ClockFixture.runOK(["calendar", "show", "CN", "2027", "--format", "json"], db)
            #expect(try ClockFixture.decode(ShownYear.self, year).provisional == false)
        }
    }

    /// The default (table) output says how many open clocks were recomputed.
    @Test("import reports the clocks recomputed (table output)")
    func importReportsClocks() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            _ = try ClockFixture.acceptedMOFCOM(connection, on: "2026-11-10")
            _ = try ClockFixture.acceptedMOFCOM(connection, on: "2026-11-12")

            let file = try ClockFixture.temporaryFile(
                try Self.with0105Off(try Self.cn2027Lines(db)).joined(separator: "\n") + "\n")
            defer { try? FileManager.default.removeItem(atPath: file) }
            let outcome = try ClockFixture.runOK(["calendar", "import", "CN", file], db)
            #expect(outcome.stdout.contains("365 days"), "\(outcome.stdout)")
            #expect(outcome.stdout.contains("2027-01-01 to 2027-12-31"), "\(outcome.stdout)")
            #expect(outcome.stdout.contains("2 open clocks recomputed"), "\(outcome.stdout)")
        }
    }

    /// Re-importing 2027 unchanged makes the year official but moves no deadline; the open clock is
    /// still recomputed because it is no longer provisional.
    @Test("importing the same days makes the deadline official without moving it")
    func importUnchangedDays() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2026-11-10")
            let file = try ClockFixture.temporaryFile(try Self.cn2027Lines(db).joined(separator: "\n") + "\n")
            defer { try? FileManager.default.removeItem(atPath: file) }
            let outcome = try ClockFixture.runOK(["calendar", "import", "CN", file, "--format", "json"], db)
            #expect(try ClockFixture.decode(ImportResult.self, outcome).clocksChanged == 1)
            let stored = try #require(try ClockFixture.stored(connection, id))
            #expect(stored.deadline == Self.d("2027-01-13"))
            #expect(stored.provisional == false)
        }
    }

    /// A file that must be refused, and what makes it bad.
    struct BadFile: Sendable, CustomTestStringConvertible {
        var name: String
        var change: @Sendable ([String]) -> [String]
        var testDescription: String { name }
    }

    static let badFiles: [BadFile] = [
        BadFile(name: "bad header") { lines in ["day,working,name"] + lines.dropFirst() },
        BadFile(name: "bad date") { lines in
            lines.map { $0.hasPrefix("2027-01-05,") ? "2027-01-32,false,Test holiday" : $0 }
        },
        BadFile(name: "date not ISO") { lines in
            lines.map { $0.hasPrefix("2027-01-05,") ? "05/01/2027,false,Test holiday" : $0 }
        },
        BadFile(name: "'maybe' for working") { lines in
            lines.map { $0.hasPrefix("2027-01-05,") ? "2027-01-05,maybe,Test holiday" : $0 }
        },
        BadFile(name: "gap in the dates") { lines in lines.filter { !$0.hasPrefix("2027-01-05,") } },
        BadFile(name: "a date twice") { lines in
            lines.flatMap { $0.hasPrefix("2027-01-05,") ? [$0, "2027-01-05,false,Test holiday"] : [$0] }
        },
        BadFile(name: "header only") { lines in [lines[0]] },
    ]

    /// A malformed file: exit 65, one error line, nothing changed (days, years, clocks).
    @Test("a malformed CSV changes nothing (65)", arguments: badFiles)
    func malformed(bad: BadFile) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2026-11-10")
            // The file would otherwise move the deadline (2027-01-05 off).
            let lines = try Self.with0105Off(try Self.cn2027Lines(db))
            let before = try Self.snapshot(connection)

            let file = try ClockFixture.temporaryFile(bad.change(lines).joined(separator: "\n") + "\n")
            defer { try? FileManager.default.removeItem(atPath: file) }
            let outcome = try ClockFixture.run(["calendar", "import", "CN", file], db)
            ClockFixture.expectFailure(outcome, status: 65)
            #expect(outcome.stdout.isEmpty)

            #expect(try Self.snapshot(connection) == before)
            let stored = try #require(try ClockFixture.stored(connection, id))
            #expect(stored.deadline == Self.d("2027-01-13"))
            #expect(stored.provisional == true)
            #expect(
                try ClockFixture.value(
                    connection, "select provisional from calendar_years where calendar_code = 'CN' and year = 2027")
                    == "t")
        }
    }

    /// A range that would leave a gap after the loaded days (CN ends 2027-12-31) is refused too.
    @Test("a range that leaves a gap in the calendar changes nothing (65)")
    func rangeLeavingGap() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let before = try Self.snapshot(connection)
            let file = try ClockFixture.temporaryFile("date,working,name\n2028-01-03,true,\n2028-01-04,true,\n")
            defer { try? FileManager.default.removeItem(atPath: file) }
            ClockFixture.expectFailure(try ClockFixture.run(["calendar", "import", "CN", file], db), status: 65)
            #expect(try Self.snapshot(connection) == before)
        }
    }

    @Test("import into an unknown calendar fails and changes nothing")
    func unknownCalendar() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let file = try ClockFixture.temporaryFile("date,working,name\n2027-01-01,false,New Year\n")
            defer { try? FileManager.default.removeItem(atPath: file) }
            let outcome = try ClockFixture.run(["calendar", "import", "XX", file], db)
            #expect(outcome.status != 0)
            ClockFixture.expectFailure(outcome, status: outcome.status)
            #expect(try ClockFixture.value(connection, "select count(*) from calendars where code = 'XX'") == "0")
        }
    }

    struct ImportResult: Decodable {
        var calendar: String
        var daysLoaded: Int
        var firstDay: String
        var lastDay: String
        var clocksChanged: Int
    }

    struct ShownYear: Decodable {
        var code: String
        var year: Int
        var provisional: Bool
    }
}
