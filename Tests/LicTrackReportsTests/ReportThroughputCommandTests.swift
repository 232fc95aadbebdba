import Foundation
import LicTrackTestSupport
import Testing

/// `lictrack report throughput` end to end: the built binary across the ISO year boundary of 2025/2026.
///
/// 2026-01-01 is a Thursday, so ISO week 2026-W01 runs from Monday 2025-12-29 to Sunday 2026-01-04,
/// and 2025 has 52 weeks (2025-W52 is 2025-12-22..12-28).
@Suite("report throughput (end to end)")
struct ReportThroughputCommandTests {
    /// From a Wednesday to a Monday: the whole weeks W52, W01, W02 and W03 are counted.
    static let weeks = ["throughput", "--from", "2025-12-24", "--to", "2026-01-12", "--by", "week"]

    /// Three BIS applications and one ECJU one:
    /// - X: submitted Saturday 2025-12-20 (W51), open;
    /// - Y: submitted Sunday 2025-12-28 (the last day of 2025-W52), approved Sunday 2026-01-04 (the last of 2026-W01);
    /// - Z: submitted Monday 2025-12-29 (the first day of 2026-W01), denied Monday 2026-01-05 (2026-W02);
    /// - W (ECJU): submitted 2026-01-07 (2026-W02), open.
    static func history(_ db: TestDatabase) throws {
        try FigureCommand.application(db, authority: "BIS", events: [("submit", "2025-12-20")])
        try FigureCommand.application(
            db, authority: "BIS", events: [("submit", "2025-12-28"), ("approve", "2026-01-04")])
        try FigureCommand.application(db, authority: "BIS", events: [("submit", "2025-12-29"), ("deny", "2026-01-05")])
        try FigureCommand.application(db, authority: "ECJU", destination: "FR", events: [("submit", "2026-01-07")])
    }

    @Test("weeks: ISO labels across the year boundary, hand-computed counts, quiet periods with zeros")
    func weeksJSON() throws {
        try TestDatabase.with { db in
            try Self.history(db)
            let document = try FigureCommand.json(Self.weeks, db)
            #expect(document["report"] as? String == "throughput")
            #expect(document["as_of"] is String)
            #expect(document["filters"] is [String: Any])
            #expect(document["by"] as? String == "week")
            let rows = try #require(document["periods"] as? [[String: Any]])
            let bis = rows.filter { $0["authority"] as? String == "BIS" }
            #expect(bis.map { $0["period"] as? String } == ["2025-W52", "2026-W01", "2026-W02", "2026-W03"])
            #expect(bis.map { $0["start"] as? String } == ["2025-12-22", "2025-12-29", "2026-01-05", "2026-01-12"])
            #expect(bis.map { $0["end"] as? String } == ["2025-12-28", "2026-01-04", "2026-01-11", "2026-01-18"])
            #expect(bis.map { FigureCommand.int($0["submitted"]) } == [1, 1, 0, 0])
            #expect(bis.map { FigureCommand.int($0["decided"]) } == [0, 1, 1, 0])
            // W52 ends with X and Y open; W01 with X and Z; W02 and W03 with X.
            #expect(bis.map { FigureCommand.int($0["open_at_end"]) } == [2, 2, 1, 1])
            let ecju = rows.filter { $0["authority"] as? String == "ECJU" }
            #expect(ecju.map { FigureCommand.int($0["submitted"]) } == [0, 0, 1, 0])
            #expect(ecju.map { FigureCommand.int($0["open_at_end"]) } == [0, 0, 1, 1])
            // Ordered by period, then authority.
            #expect(rows.prefix(2).map { $0["authority"] as? String } == ["BIS", "ECJU"])
        }
    }

    @Test("months by default, CSV parsed back, and filters narrow the rows")
    func monthsCSV() throws {
        try TestDatabase.with { db in
            try Self.history(db)
            let arguments = ["throughput", "--from", "2025-12-15", "--to", "2026-01-10"]
            let (header, rows) = try FigureCommand.csv(arguments, db)
            #expect(header == ["period", "start", "end", "authority", "submitted", "decided", "open_at_end"])
            let bis = rows.filter { $0["authority"] == "BIS" }
            #expect(bis.map { $0["period"] } == ["2025-12", "2026-01"])
            #expect(bis.map { $0["submitted"] } == ["3", "0"])
            #expect(bis.map { $0["decided"] } == ["0", "2"])
            #expect(bis.map { $0["open_at_end"] } == ["3", "1"])
            #expect(bis.last?["end"] == "2026-01-31")
            let (_, french) = try FigureCommand.csv(arguments + ["--destination", "FR"], db)
            #expect(french.map { $0["authority"] } == ["ECJU", "ECJU"])
        }
    }

    @Test("table, Markdown and HTML: the backlog line chart per authority, well-formed, rendered by Chromium")
    func textAndHTML() throws {
        try TestDatabase.with { db in
            try Self.history(db)
            let table = try FigureCommand.run(Self.weeks, db).stdout
            #expect(table.contains("2026-W01"))
            let markdown = try FigureCommand.run(Self.weeks + ["--format", "md"], db).stdout
            let main = try #require(FormatParsers.markdownTables(markdown).last)
            #expect(main.first == ["ISO week", "Start", "End", "Authority", "Submitted", "Decided", "Open at end"])
            #expect(main.contains(["2026-W02", "2026-01-05", "2026-01-11", "BIS", "0", "1", "1"]))
            let (text, tree) = try FigureCommand.html(Self.weeks, db)
            #expect(tree.all("svg").count == 1)
            #expect(tree.all("title").contains { $0.text == "Open backlog per authority" })
            // Two lines, one per authority; the data table beside the chart has a row per week.
            #expect(tree.all("path").filter { $0.path.contains("svg") }.count >= 2)
            #expect(text.contains("<tr><td>2025-W52</td><td>2</td><td>0</td></tr>"))
            #expect(text.contains("<tr><td>2026-W03</td><td>1</td><td>1</td></tr>"))
            try FigureCommand.checkInChromium(Self.weeks, db, name: "report-throughput", charts: 1)
        }
    }

    @Test("an empty database and a filter that matches nothing give the headings and exit 0")
    func empty() throws {
        try TestDatabase.with { db in
            for extra in [[], ["--owner", "nobody"]] {
                let document = try FigureCommand.json(Self.weeks + extra, db)
                #expect((document["periods"] as? [Any])?.isEmpty == true)
                let (header, rows) = try FigureCommand.csv(Self.weeks + extra, db)
                #expect(header.count == 7 && rows.isEmpty)
                let (_, tree) = try FigureCommand.html(Self.weeks + extra, db)
                #expect(tree.all("th").contains { $0.text == "Open at end" })
                #expect(try FigureCommand.run(Self.weeks + extra, db).stdout.contains("No applications in scope."))
            }
        }
    }

    @Test("an unknown authority or a reversed period is a usage error (exit 64) that writes nothing")
    func usageErrors() throws {
        try TestDatabase.with { db in
            try FigureCommand.expectUsageError(Self.weeks + ["--authority", "NOPE"], db, naming: "--authority")
            try FigureCommand.expectUsageError(
                ["throughput", "--from", "2026-01-13", "--to", "2026-01-12"], db, naming: "--from")
            try FigureCommand.expectUsageError(Self.weeks + ["--by", "destination"], db, naming: "--by")
        }
    }
}
