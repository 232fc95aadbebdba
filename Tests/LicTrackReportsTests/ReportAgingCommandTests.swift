import Foundation
import LicTrackTestSupport
import Testing

/// `lictrack report aging` end to end: the built binary on the history of ``ReportFixture``.
///
/// As of 2025-06-18 the shares of the target used are A 100/90 (over), C 48/90 (50-80%), D 17/90
/// (0-50%), E 45/90 = exactly 50% (0-50%: an edge belongs to the lower bucket) and F 12/20 (50-80%).
@Suite("report aging command", .serialized)
struct ReportAgingCommandTests {
    typealias Object = [String: Any]

    static func int(_ value: Any?) -> Int? { (value as? NSNumber)?.intValue }

    @Test("JSON: every bucket of each authority with its count and ids, computed by hand")
    func json() throws {
        try TestDatabase.with { db in
            let fx = try ReportFixture.make(db)
            let text = try ReportFixture.report(db, "aging", "json")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? Object)
            #expect(document["report"] as? String == "aging")
            #expect(document["as_of"] as? String == "2025-06-18")
            #expect(document["filters"] is Object)
            let buckets = try #require(document["buckets"] as? [Object])
            let rows = buckets.map { bucket in
                [
                    bucket["authority"] as? String ?? "?", bucket["bucket"] as? String ?? "?",
                    String(Self.int(bucket["count"]) ?? -1),
                    ((bucket["application_ids"] as? [Any]) ?? []).compactMap { Self.int($0) }.map(String.init)
                        .joined(separator: ","),
                ]
            }
            let ids = { (list: [Int]) in list.map(String.init).joined(separator: ",") }
            #expect(
                rows == [
                    ["BIS", "0-50%", "2", ids([fx.d, fx.e].sorted())], ["BIS", "50-80%", "1", ids([fx.c])],
                    ["BIS", "80-100%", "0", ""], ["BIS", "over", "1", ids([fx.a])], ["BIS", "no_clock", "0", ""],
                    ["ECJU", "0-50%", "0", ""], ["ECJU", "50-80%", "1", ids([fx.f])], ["ECJU", "80-100%", "0", ""],
                    ["ECJU", "over", "0", ""], ["ECJU", "no_clock", "0", ""],
                ])
        }
    }

    @Test("CSV and Markdown read back: the same buckets, and the chart's figures per authority")
    func csvAndMarkdown() throws {
        try TestDatabase.with { db in
            let fx = try ReportFixture.make(db)
            let csv = try FormatParsers.csv(try ReportFixture.report(db, "aging", "csv"))
            #expect(csv.first == ["authority", "bucket", "count", "application_ids"])
            #expect(csv.count == 11)
            #expect(csv[1] == ["BIS", "0-50%", "2", [fx.d, fx.e].sorted().map(String.init).joined(separator: " ")])
            #expect(csv[3] == ["BIS", "80-100%", "0", ""])
            let tables = FormatParsers.markdownTables(try ReportFixture.report(db, "aging", "md"))
            try #require(tables.count == 2)
            #expect(
                tables[0] == [
                    ["Authority", "0-50%", "50-80%", "80-100%", "over", "no_clock", "Total"],
                    ["BIS", "2", "1", "0", "1", "0", "4"], ["ECJU", "0", "1", "0", "0", "0", "1"],
                ])
            #expect(tables[1].count == 11)
        }
    }

    @Test("HTML: well-formed with its stacked-bar chart; and in Chromium")
    func html() throws {
        try TestDatabase.with { db in
            _ = try ReportFixture.make(db)
            let text = try ReportFixture.report(db, "aging", "html")
            let tree = try XMLTree.parse(text).get()
            #expect(tree.all("svg").count == 1)
            #expect(tree.all("h2").map(\.text) == ["Aging buckets"])
            #expect(tree.all("text").contains { $0.text == "Open applications" })
            try ReportFixture.checkInChromium(text, name: "aging", svgs: 1)
        }
    }

    @Test("an empty database and a filter matching nothing: headings, no rows, exit 0; unknown codes exit 64")
    func emptyAndUnknown() throws {
        try TestDatabase.with { db in
            for filter in [[], ["--destination", "FR"]] {
                if !filter.isEmpty { _ = try ReportFixture.make(db) }
                let text = try ReportFixture.report(db, "aging", "json", filter)
                let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? Object)
                #expect((document["buckets"] as? [Any])?.isEmpty == true)
                let csv = try FormatParsers.csv(try ReportFixture.report(db, "aging", "csv", filter))
                #expect(csv == [["authority", "bucket", "count", "application_ids"]])
                let html = try ReportFixture.report(db, "aging", "html", filter)
                #expect(try XMLTree.parse(html).get().all("h2").map(\.text) == ["Aging buckets"])
                #expect(html.contains("No open applications."))
            }
            let outcome = try LicTrackBinary.run(["report", "aging", "--authority", "NOPE"], database: db)
            #expect(outcome.status == 64, "\(outcome)")
            #expect(outcome.stderr.hasPrefix("lictrack: error: --authority: unknown authority 'NOPE'"))
        }
    }
}
