import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// `lictrack report evidence`: the timeline in words, the clock at each event, requests for
/// information, days beyond the time limit and the business impact (migration 0014).
///
/// BIS counts 90 calendar days from submission on 3 March 2025 (deadline 1 June). Information was
/// requested on 13 March (10 days elapsed) and sent on 20 March: 7 days paused, so the deadline
/// moves to 8 June. On 1 July 2025, 120 - 7 = 113 days have elapsed: 23 beyond the 90.
@Suite("Report: evidence")
struct EvidenceReportTests {
    typealias F = AlertFixture

    static func setUp(_ connection: PostgresConnection) throws -> Int64 {
        let app = try F.application(
            connection, authority: "BIS", reference: "Z-1234", createdOn: "2025-03-03",
            events: [("submit", "2025-03-03"), ("request-info", "2025-03-13"), ("provide-info", "2025-03-20")],
            applicant: "Müller & Söhne <GmbH>")
        try connection.execute(
            """
            insert into application_events (application_id, event, occurred_on, stock_runs_out, feeds)
            values ($1::bigint, 'stock', '2025-03-21', '2025-05-01', 'Motor line 2')
            """, [app])
        return app
    }

    @Test("json: the clock at each event, the request answered in 7 days, 23 days over, 38 days short")
    func json() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let app = try Self.setUp(connection)
            let object = try F.object(
                try F.ok(["report", "evidence", "Z-1234", "--as-of", "2025-07-01", "--format", "json"], db))
            #expect(object["report"] as? String == "evidence")
            #expect(object["as_of"] as? String == "2025-07-01")
            #expect(object["filters"] != nil)
            let apps = try #require(object["applications"] as? [[String: Any]])
            try #require(apps.count == 1)
            let a = apps[0]
            #expect(a["id"] as? Int == Int(app))
            #expect(a["basis"] as? String == "90 calendar days from registration, 15 CFR 750.4(a)")
            #expect(a["overdue"] as? Int == 23)
            let clock = try #require(a["clock"] as? [String: Any])
            #expect(clock["elapsed"] as? Int == 113)
            #expect(clock["deadline"] as? String == "2025-06-08")
            let timeline = try #require(a["timeline"] as? [[String: Any]])
            #expect(
                timeline.map { $0["event"] as? String } == [
                    "create", "submit", "request-info", "provide-info", "stock",
                ])
            let atRequest = try #require(timeline[2]["clock"] as? [String: Any])
            #expect(atRequest["elapsed"] as? Int == 10)
            #expect(atRequest["state"] as? String == "paused")
            #expect(
                timeline[1]["text"] as? String
                    == "On 3 March 2025 Müller & Söhne <GmbH> submitted the application to BIS.")
            let rfis = try #require(a["rfis"] as? [[String: Any]])
            #expect(rfis.count == 1)
            #expect(rfis.first?["answered_on"] as? String == "2025-03-20")
            #expect(rfis.first?["days"] as? Int == 7)
            let impact = try #require(a["impact"] as? [String: Any])
            #expect(impact["runs_out"] as? String == "2025-05-01")
            #expect(impact["days_short"] as? Int == 38)
        }
    }

    @Test("md and html: sentences, dates written out, escaped; table and csv are usage errors; unknown id 66")
    func formats() throws {
        try F.withTemporaryDirectory { folder in
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                let app = try Self.setUp(connection)
                let md = try F.ok(["report", "evidence", "\(app)", "--as-of", "2025-07-01"], db).stdout
                // Markdown escapes the angle brackets, so the name shows as written.
                #expect(md.contains("Prepared by Müller & Söhne \\<GmbH\\> from its records, as of 1 July 2025."))
                #expect(md.contains("Bureau of Industry and Security, US Department of Commerce"))
                #expect(md.contains("has been exceeded by 23 calendar days"))
                #expect(md.contains("| 13 March 2025 | 20 March 2025 | 7 days |"))
                #expect(!md.contains("request-info") && !md.contains("info_requested") && !md.contains("LT0"))

                let html = try F.ok(["report", "evidence", "\(app)", "--as-of", "2025-07-01", "--format", "html"], db)
                #expect(html.stdout.contains("Müller &amp; Söhne &lt;GmbH&gt;"))
                #expect(!html.stdout.contains("<GmbH>"))

                let target = folder.appendingPathComponent("out.md").path
                for format in ["table", "csv"] {
                    let bad = try F.run(["report", "evidence", "\(app)", "--format", format, "--output", target], db)
                    #expect(bad.status == 64, "\(bad)")
                    #expect(bad.stderr.contains("md, html or json"), "\(bad)")
                }
                let unknown = try F.run(["report", "evidence", "\(app)", "999999", "--output", target], db)
                #expect(unknown.status == 66, "\(unknown)")
                #expect(unknown.stderr.contains("999999"))
                #expect(!FileManager.default.fileExists(atPath: target))
            }
        }
    }
}
