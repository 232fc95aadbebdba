import Foundation
import LicTrackTestSupport
import Testing

/// `lictrack report delays` end to end: the built binary on the history of ``ReportFixture``,
/// every format read back, every figure computed by hand (see the fixture's table).
@Suite("report delays command", .serialized)
struct ReportDelaysCommandTests {
    typealias Object = [String: Any]

    static func json(_ text: String) throws -> Object {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? Object)
    }

    static func int(_ value: Any?) -> Int? { (value as? NSNumber)?.intValue }

    @Test("JSON: the open applications most urgent first, with clock, overdue, forecast, supply and summary")
    func json() throws {
        try TestDatabase.with { db in
            let fx = try ReportFixture.make(db)
            let document = try Self.json(try ReportFixture.report(db, "delays", "json"))
            #expect(document["report"] as? String == "delays")
            #expect(document["as_of"] as? String == "2025-06-18")
            #expect(document["filters"] is Object)
            let apps = try #require(document["applications"] as? [Object])
            // A breached (10 over); then by units left: F 8, C 42, E 45, D 73. B was decided on its deadline day.
            #expect(apps.map { Self.int($0["id"]) } == [fx.a, fx.f, fx.c, fx.e, fx.d])
            #expect(!apps.contains { Self.int($0["id"]) == fx.b })

            let late = apps[0]
            #expect(late["authority"] as? String == "BIS")
            #expect(late["status"] as? String == "info_requested")
            #expect(late["status_since"] as? String == "2025-06-10")
            #expect(Self.int(late["days_in_status"]) == 8)
            let clock = try #require(late["clock"] as? Object)
            #expect(clock["deadline"] as? String == "2025-06-08")
            #expect(Self.int(clock["elapsed"]) == 100)
            #expect(Self.int(clock["remaining"]) == -10)
            // The pause opened after the deadline: it stops nothing (Docs/sla.md).
            #expect(Self.int(clock["paused"]) == 0)
            #expect(clock["state"] as? String == "breached")
            #expect(clock["unit"] as? String == "calendar_days")
            #expect(clock["provisional"] as? Bool == false)
            #expect(Self.int(late["overdue"]) == 10)
            #expect(Self.int(late["rfis"]) == 1)
            let last = try #require(late["last_event"] as? Object)
            #expect(last["event"] as? String == "request-info")
            #expect(last["on"] as? String == "2025-06-10")
            #expect(late["supply"] is NSNull)

            let ecju = apps[1]
            let ecjuClock = try #require(ecju["clock"] as? Object)
            #expect(Self.int(ecjuClock["elapsed"]) == 12)
            #expect(Self.int(ecjuClock["remaining"]) == 8)
            #expect(ecjuClock["deadline"] as? String == "2025-06-30")
            #expect(Self.int(ecju["overdue"]) == 0)

            let short = apps[2]
            #expect(Self.int(short["days_in_status"]) == 48)
            #expect(Self.int((short["clock"] as? Object)?["remaining"]) == 42)
            // One BIS decision in the year (B, at 90): too few for a date, so the deadline counts.
            let forecast = try #require(short["forecast"] as? Object)
            #expect(forecast["p90"] is NSNull)
            #expect(forecast["reason"] as? String == "too few decided applications")
            let supply = try #require(short["supply"] as? Object)
            #expect(supply["runs_out"] as? String == "2025-07-20")
            #expect(supply["feeds"] as? String == "Line 3")
            #expect(Self.int(supply["days_short"]) == 10)

            let summary = try #require(document["summary"] as? Object)
            #expect(Self.int(summary["open"]) == 5)
            #expect(Self.int(summary["supply_risk"]) == 1)
            let states = try #require(summary["states"] as? Object)
            #expect(Self.int(states["breached"]) == 1)
            #expect(Self.int(states["on_track"]) == 4)
            #expect(Self.int(states["due_soon"]) == 0)
            let authorities = try #require(summary["authorities"] as? [Object])
            #expect(authorities.map { $0["authority"] as? String } == ["BIS", "ECJU"])
            #expect(authorities.map { Self.int($0["open"]) } == [4, 1])
            #expect(Self.int((authorities[0]["states"] as? Object)?["breached"]) == 1)
            #expect(Self.int((authorities[1]["states"] as? Object)?["on_track"]) == 1)
        }
    }

    @Test("CSV: every open application with every figure, parsed back; --excel adds the BOM")
    func csv() throws {
        try TestDatabase.with { db in
            let fx = try ReportFixture.make(db)
            let text = try ReportFixture.report(db, "delays", "csv")
            let records = try FormatParsers.csv(text)
            #expect(
                records.first
                    == [
                        "id", "authority", "authority_reference", "applicant", "destination", "owner", "status",
                        "status_since", "days_in_status", "state", "unit", "deadline", "elapsed", "remaining", "paused",
                        "provisional", "overdue", "rfis", "last_event", "last_event_on", "forecast_p50",
                        "forecast_p90", "forecast_sample", "runs_out", "feeds", "days_short",
                    ])
            #expect(records.dropFirst().map { $0[0] } == [fx.a, fx.f, fx.c, fx.e, fx.d].map(String.init))
            let header = records[0]
            func value(_ row: Int, _ key: String) -> String { records[row][header.firstIndex(of: key)!] }
            #expect(value(1, "overdue") == "10")
            #expect(value(1, "unit") == "calendar_days")
            #expect(value(1, "deadline") == "2025-06-08")
            #expect(value(1, "authority_reference") == "")
            #expect(value(3, "days_short") == "10")
            #expect(value(3, "runs_out") == "2025-07-20")
            #expect(value(5, "applicant") == ReportFixture.awkwardApplicant)
            #expect(!text.contains("Supply risk"))
            let excel = try ReportFixture.report(db, "delays", "csv", ["--excel"])
            #expect(Array(excel.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        }
    }

    @Test("Markdown: supply risk first, the 26-week backlog counted by hand, the list, the summary")
    func markdown() throws {
        try TestDatabase.with { db in
            let fx = try ReportFixture.make(db)
            let text = try ReportFixture.report(db, "delays", "md")
            let supplyAt = try #require(text.range(of: "## Supply risk"))
            let listAt = try #require(text.range(of: "## Open applications"))
            let summaryAt = try #require(text.range(of: "## Summary"))
            #expect(supplyAt.lowerBound < listAt.lowerBound && listAt.lowerBound < summaryAt.lowerBound)
            let tables = FormatParsers.markdownTables(text)
            try #require(tables.count == 4)
            #expect(tables[0].dropFirst().map { $0[0] } == [String(fx.c)])
            // Week ends 2025-06-18 - 7k. BIS: A (03-10), B (03-20, decided 06-18), C (05-01), E (05-04),
            // D (06-01); ECJU: F (06-02).
            let backlog = tables[1]
            #expect(backlog[0] == ["Week ending", "BIS", "ECJU"])
            #expect(backlog.count == 27)
            let weeks = Dictionary(uniqueKeysWithValues: backlog.dropFirst().map { ($0[0], Array($0.dropFirst())) })
            #expect(backlog[1][0] == "2024-12-25")
            #expect(weeks["2025-03-05"] == ["0", "0"])
            #expect(weeks["2025-03-12"] == ["1", "0"])
            #expect(weeks["2025-03-19"] == ["1", "0"])
            #expect(weeks["2025-03-26"] == ["2", "0"])
            #expect(weeks["2025-04-30"] == ["2", "0"])
            #expect(weeks["2025-05-07"] == ["4", "0"])
            #expect(weeks["2025-05-28"] == ["4", "0"])
            #expect(weeks["2025-06-04"] == ["5", "1"])
            #expect(weeks["2025-06-11"] == ["5", "1"])
            #expect(weeks["2025-06-18"] == ["4", "1"])
            #expect(tables[2].dropFirst().map { $0[0] } == [fx.a, fx.f, fx.c, fx.e, fx.d].map(String.init))
            let summary = tables[3]
            #expect(summary[0].first == "Authority")
            #expect(summary.dropFirst().map { [$0[0], $0[1]] } == [["BIS", "4"], ["ECJU", "1"], ["All", "5"]])
        }
    }

    @Test("HTML: well-formed, one line chart with its axis labels, everything escaped; and in Chromium")
    func html() throws {
        try TestDatabase.with { db in
            _ = try ReportFixture.make(db)
            let text = try ReportFixture.report(db, "delays", "html")
            let tree = try XMLTree.parse(text).get()
            #expect(tree.all("svg").count == 1)
            #expect(tree.all("h2").map(\.text) == ["Supply risk", "Open applications", "Summary"])
            #expect(tree.all("title").contains { $0.text == "Open backlog per authority, last 26 weeks" })
            #expect(tree.all("text").contains { $0.text == "Week ending" })
            #expect(tree.all("td").contains { $0.text == ReportFixture.awkwardApplicant })
            #expect(!text.contains("<GmbH>"))
            try ReportFixture.checkInChromium(text, name: "delays", svgs: 1)
        }
    }

    @Test("an empty database and a filter matching nothing: the empty report with its headings, exit 0")
    func empty() throws {
        try TestDatabase.with { db in
            try Self.expectEmpty(db, [])
            _ = try ReportFixture.make(db)
            try Self.expectEmpty(db, ["--destination", "FR"])
            try Self.expectEmpty(db, ["--authority", "BAFA", "--owner", "nobody"])
        }
    }

    static func expectEmpty(_ db: TestDatabase, _ filter: [String]) throws {
        let document = try json(try ReportFixture.report(db, "delays", "json", filter))
        #expect((document["applications"] as? [Any])?.isEmpty == true)
        let summary = try #require(document["summary"] as? Object)
        #expect(int(summary["open"]) == 0)
        #expect((summary["authorities"] as? [Any])?.isEmpty == true)
        let csv = try FormatParsers.csv(try ReportFixture.report(db, "delays", "csv", filter))
        #expect(csv.count == 1)
        #expect(csv.first?.first == "id")
        let html = try ReportFixture.report(db, "delays", "html", filter)
        let tree = try XMLTree.parse(html).get()
        #expect(tree.all("h2").map(\.text) == ["Supply risk", "Open applications", "Summary"])
        #expect(html.contains("No open applications."))
        let table = try ReportFixture.report(db, "delays", "table", filter)
        #expect(table.contains("Open applications"))
        #expect(table.contains("DAYS IN STATUS"))
    }

    @Test("an unknown --authority or --destination is a usage error (exit 64) on one line")
    func unknownCodes() throws {
        try TestDatabase.with { db in
            for (option, value) in [("--authority", "NOPE"), ("--destination", "XX")] {
                let outcome = try LicTrackBinary.run(
                    ["report", "delays", option, value, "--format", "json"], database: db)
                #expect(outcome.status == 64, "\(outcome)")
                #expect(outcome.stdout.isEmpty)
                #expect(outcome.stderr.hasPrefix("lictrack: error: \(option): unknown"))
                #expect(outcome.stderr.contains("'\(value)'"))
                #expect(outcome.stderr.split(separator: "\n").count == 1)
            }
        }
    }
}
