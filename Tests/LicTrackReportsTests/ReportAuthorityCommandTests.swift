import Foundation
import LicTrackTestSupport
import Testing

/// `lictrack report authority` end to end: the built binary on a small hand-computed history.
///
/// BIS clocks count calendar days from submission (deadline = submission + 90, moved by pauses),
/// so the clock days at a decision are the calendar days less the paused days.
@Suite("report authority (end to end)")
struct ReportAuthorityCommandTests {
    static let april = ["authority", "--from", "2025-04-01", "--to", "2025-04-30"]

    /// Five BIS applications and one open MOFCOM one; April 2025 and the 30 days before it (03-02..03-31):
    /// - A (DE): submitted 01-01, approved 03-15: 73 days, in the previous period, met (deadline 04-01);
    /// - B (DE): submitted 01-10, paused 02-03..02-06 (3 days), denied 04-10: 90 calendar, 87 clock, met;
    /// - C (DE): submitted 03-20, open;
    /// - E (DE): submitted 04-01, approved 04-21: 20 days, met;
    /// - F (FR): submitted 01-05, approved 04-30: 115 days, missed (deadline 04-05);
    /// - M (MOFCOM, DE): submitted 03-03, accepted 03-04, open: a period with no decisions.
    static func history(_ db: TestDatabase) throws {
        try FigureCommand.application(
            db, authority: "BIS", events: [("submit", "2025-01-01"), ("approve", "2025-03-15")])
        try FigureCommand.application(
            db, authority: "BIS",
            events: [
                ("submit", "2025-01-10"), ("request-info", "2025-02-03"), ("provide-info", "2025-02-06"),
                ("deny", "2025-04-10"),
            ])
        try FigureCommand.application(db, authority: "BIS", events: [("submit", "2025-03-20")])
        try FigureCommand.application(
            db, authority: "BIS", events: [("submit", "2025-04-01"), ("approve", "2025-04-21")])
        try FigureCommand.application(
            db, authority: "BIS", destination: "FR", events: [("submit", "2025-01-05"), ("approve", "2025-04-30")])
        try FigureCommand.application(
            db, authority: "MOFCOM", events: [("submit", "2025-03-03"), ("accept", "2025-03-04")])
    }

    @Test("JSON: every figure hand-computed, with previous, nearest-rank percentiles at n = 3 and 1")
    func json() throws {
        try TestDatabase.with { db in
            try Self.history(db)
            let document = try FigureCommand.json(Self.april, db)
            #expect(Array(document.keys).contains("report"))
            #expect(document["report"] as? String == "authority")
            #expect(document["as_of"] is String)
            #expect((document["filters"] as? [String: Any])?["authority"] as? [String] == [])
            #expect(document["percentile_method"] as? String == "nearest-rank")
            #expect((document["note"] as? String)?.contains("nearest-rank (percentile_disc)") == true)
            #expect((document["period"] as? [String: Any])?["from"] as? String == "2025-04-01")
            #expect((document["previous_period"] as? [String: Any])?["from"] as? String == "2025-03-02")
            #expect((document["previous_period"] as? [String: Any])?["to"] as? String == "2025-03-31")
            let rows = try #require(document["authorities"] as? [[String: Any]])
            #expect(rows.map { $0["authority"] as? String } == ["BIS", "MOFCOM"])
            #expect(rows.allSatisfy { $0["group"] is NSNull })
            let bis = rows[0]
            // Decisions B, E, F. Clock days [20, 87, 115]: p50 rank ceil(1.5) = 2, p90 rank ceil(2.7) = 3.
            // Calendar days [20, 90, 115]. Met B, E; missed F. One RFI (B) over 3 decisions. Open on 04-30: C.
            #expect(FigureCommand.int(bis["decided"]) == 3)
            #expect(FigureCommand.int(bis["approved"]) == 2)
            #expect(FigureCommand.int(bis["denied"]) == 1)
            #expect(FigureCommand.int(bis["returned"]) == 0)
            #expect(FigureCommand.int(bis["withdrawn"]) == 0)
            #expect(FigureCommand.number(bis["approval_rate"]) == 0.6667)
            #expect(bis["clock_unit"] as? String == "calendar_days")
            #expect(FigureCommand.int(bis["clock_days_p50"]) == 87)
            #expect(FigureCommand.int(bis["clock_days_p90"]) == 115)
            #expect(FigureCommand.int(bis["calendar_days_p50"]) == 90)
            #expect(FigureCommand.int(bis["calendar_days_p90"]) == 115)
            #expect(FigureCommand.number(bis["within_target"]) == 0.6667)
            #expect(FigureCommand.number(bis["rfis_per_application"]) == 0.33)
            #expect(FigureCommand.int(bis["open_at_end"]) == 1)
            // Previous period: A alone (n = 1: both percentiles are its 73 days); open on 03-31: B, C, F.
            let previous = try #require(bis["previous"] as? [String: Any])
            #expect(previous["from"] as? String == "2025-03-02")
            #expect(FigureCommand.int(previous["decided"]) == 1)
            #expect(FigureCommand.number(previous["approval_rate"]) == 1)
            #expect(FigureCommand.int(previous["clock_days_p50"]) == 73)
            #expect(FigureCommand.int(previous["clock_days_p90"]) == 73)
            #expect(FigureCommand.int(previous["calendar_days_p90"]) == 73)
            #expect(FigureCommand.number(previous["within_target"]) == 1)
            #expect(FigureCommand.number(previous["rfis_per_application"]) == 0)
            #expect(FigureCommand.int(previous["open_at_end"]) == 3)
            // MOFCOM decided nothing in either period: zeros and nulls, the open application still counted.
            let mofcom = rows[1]
            #expect(FigureCommand.int(mofcom["decided"]) == 0)
            for key in ["approval_rate", "clock_unit", "clock_days_p50", "calendar_days_p90", "within_target"] {
                #expect(mofcom[key] is NSNull, "\(key)")
            }
            #expect(mofcom["rfis_per_application"] is NSNull)
            #expect(FigureCommand.int(mofcom["open_at_end"]) == 1)
            #expect(FigureCommand.int((mofcom["previous"] as? [String: Any])?["open_at_end"]) == 1)
            // The distribution behind the chart: BIS at 20, 87 and 115 clock days.
            let times = try #require(document["processing_times"] as? [[String: Any]])
            #expect(times.map { FigureCommand.int($0["clock_days"]) } == [20, 87, 115])
            #expect(times.allSatisfy { $0["authority"] as? String == "BIS" && FigureCommand.int($0["decided"]) == 1 })
        }
    }

    @Test("--by destination: groups add up, percentiles at n = 2 and 1, and CSV holds both periods")
    func byDestinationCSV() throws {
        try TestDatabase.with { db in
            try Self.history(db)
            let (header, rows) = try FigureCommand.csv(Self.april + ["--by", "destination"], db)
            #expect(Array(header.prefix(4)) == ["authority", "group", "decided", "previous_decided"])
            #expect(header.last == "percentile_method")
            #expect(header.contains("previous_open_at_end"))
            #expect(rows.map { $0["authority"]! + "/" + $0["group"]! } == ["BIS/DE", "BIS/FR", "MOFCOM/DE"])
            // BIS/DE: B and E. Clock [20, 87]: p50 rank 1 = 20, p90 rank 2 = 87; calendar [20, 90].
            let de = rows[0]
            #expect(de["decided"] == "2")
            #expect(de["approval_rate"] == "0.5")
            #expect(de["clock_days_p50"] == "20")
            #expect(de["clock_days_p90"] == "87")
            #expect(de["calendar_days_p90"] == "90")
            #expect(de["within_target"] == "1")
            #expect(de["rfis_per_application"] == "0.5")
            #expect(de["open_at_end"] == "1")
            #expect(de["previous_decided"] == "1")
            #expect(de["previous_open_at_end"] == "2")
            // BIS/FR: F alone, late.
            #expect(rows[1]["clock_days_p50"] == "115")
            #expect(rows[1]["within_target"] == "0")
            #expect(rows[1]["previous_open_at_end"] == "1")
            // MOFCOM: nothing decided: empty fields for the rates and percentiles.
            #expect(rows[2]["decided"] == "0")
            #expect(rows[2]["approval_rate"] == "")
            #expect(rows[2]["clock_days_p50"] == "")
            #expect(rows.allSatisfy { $0["percentile_method"] == "nearest-rank" })
        }
    }

    @Test("table and Markdown show the trend and say the percentiles are nearest-rank")
    func textFormats() throws {
        try TestDatabase.with { db in
            try Self.history(db)
            let table = try FigureCommand.run(Self.april, db).stdout
            #expect(table.contains("Percentiles are nearest-rank (percentile_disc)"))
            #expect(table.contains("PREVIOUS PERIOD"))
            #expect(table.contains("Clock days p90 (nearest-rank)"))
            let markdown = try FigureCommand.run(Self.april + ["--format", "md"], db).stdout
            #expect(markdown.contains("nearest-rank"))
            let main = try #require(FormatParsers.markdownTables(markdown).first)
            #expect(main.first == ["Authority", "Figure", "This period", "Previous period", "Trend"])
            // 14 figures for each of BIS and MOFCOM.
            #expect(main.count == 1 + 28)
            #expect(main.contains(["BIS", "Decided", "3", "1", "up"]))
            #expect(main.contains(["BIS", "Approval rate", "66.7%", "100.0%", "down"]))
            #expect(main.contains(["BIS", "Clock days p50 (nearest-rank)", "87", "73", "up"]))
            #expect(main.contains(["BIS", "Calendar days p90 (nearest-rank)", "115", "73", "up"]))
            #expect(main.contains(["BIS", "Within target", "66.7%", "100.0%", "down"]))
            #expect(main.contains(["BIS", "RFIs per application", "0.33", "0", "up"]))
            #expect(main.contains(["BIS", "Open at end", "1", "3", "down"]))
            #expect(main.contains(["MOFCOM", "Clock days p90 (nearest-rank)", "-", "-", "-"]))
            #expect(main.contains(["MOFCOM", "Open at end", "1", "1", "same"]))
        }
    }

    @Test("HTML: well-formed, the processing-time histogram in bins of 10, and Chromium renders it")
    func html() throws {
        try TestDatabase.with { db in
            try Self.history(db)
            let (text, tree) = try FigureCommand.html(Self.april, db)
            #expect(tree.all("svg").count == 1)
            #expect(tree.all("title").contains { $0.text == "Processing-time distribution per authority" })
            #expect(text.contains("nearest-rank (percentile_disc)"))
            // Largest 115: width 10 gives 12 bins, 0-9 to 110-119; 20, 87 and 115 fall in 20-29, 80-89 and 110-119.
            #expect(text.contains("<tr><td>0-9</td><td>0</td></tr>"))
            #expect(text.contains("<tr><td>20-29</td><td>1</td></tr>"))
            #expect(text.contains("<tr><td>80-89</td><td>1</td></tr>"))
            #expect(text.contains("<tr><td>110-119</td><td>1</td></tr>"))
            #expect(!text.contains("<td>120-129</td>"))
            #expect(text.contains("Müller") == false)  // the report names no applicant
            try FigureCommand.checkInChromium(Self.april, db, name: "report-authority", charts: 1)
        }
    }

    @Test("an empty database and a filter that matches nothing give the headings and exit 0")
    func empty() throws {
        try TestDatabase.with { db in
            for extra in [[], ["--authority", "ECJU"]] {
                let document = try FigureCommand.json(Self.april + extra, db)
                #expect((document["authorities"] as? [Any])?.isEmpty == true)
                #expect((document["processing_times"] as? [Any])?.isEmpty == true)
                #expect(document["previous_period"] is NSNull)
                let (header, rows) = try FigureCommand.csv(Self.april + extra, db)
                #expect(header.first == "authority" && header.contains("previous_within_target"))
                #expect(rows.isEmpty)
                let (_, tree) = try FigureCommand.html(Self.april + extra, db)
                #expect(tree.all("th").contains { $0.text == "Previous period" })
                let table = try FigureCommand.run(Self.april + extra, db).stdout
                #expect(table.contains("No applications in scope."))
            }
            try Self.history(db)
            #expect(
                (try FigureCommand.json(Self.april + ["--authority", "ECJU"], db)["authorities"] as? [Any])?.isEmpty
                    == true)
        }
    }

    @Test("an unknown authority or a reversed period is a usage error (exit 64) that writes nothing")
    func usageErrors() throws {
        try TestDatabase.with { db in
            try FigureCommand.expectUsageError(Self.april + ["--authority", "NOPE"], db, naming: "--authority")
            try FigureCommand.expectUsageError(
                ["authority", "--from", "2025-05-01", "--to", "2025-04-30"], db, naming: "--from")
            try FigureCommand.expectUsageError(Self.april + ["--by", "week"], db, naming: "--by")
        }
    }
}
