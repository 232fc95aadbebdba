import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// `report_throughput()` through FigureReportStore: submitted, decided and open per week or month.
///
/// ISO weeks run Monday to Sunday and belong to the ISO year of their Thursday; every expected
/// label and boundary below was read off a calendar by hand.
@Suite("Report throughput")
struct ReportThroughputTests {
    static func d(_ text: String) -> CivilDate { ReportFixture.date(text) }

    /// A row as "label start..end authority submitted/decided/open".
    static func lines(_ rows: [ThroughputPeriod]) -> [String] {
        rows.map { "\($0.period) \($0.start)..\($0.end) \($0.authority) \($0.submitted)/\($0.decided)/\($0.openAtEnd)" }
    }

    @Test("ISO weeks across the new year: 2024-12-30 is in 2025-W01")
    func isoWeeks() throws {
        try ReportFixture.with { c, store in
            _ = try ReportFixture.bis(c, submitted: "2024-12-02")  // open throughout
            // Sunday of 2024-W52, decided on the Sunday of 2025-W01.
            _ = try ReportFixture.bis(c, submitted: "2024-12-29", decision: "approve", on: "2025-01-05")
            // Monday of 2025-W01, decided on the Monday of 2025-W02.
            _ = try ReportFixture.bis(c, submitted: "2024-12-30", decision: "deny", on: "2025-01-06")

            // From a Saturday: the whole of its week counts.
            let rows = try store.throughput(from: Self.d("2024-12-28"), to: Self.d("2025-01-19"))
            #expect(
                Self.lines(rows) == [
                    "2024-W52 2024-12-23..2024-12-29 BIS 1/0/2",
                    "2025-W01 2024-12-30..2025-01-05 BIS 1/1/2",
                    "2025-W02 2025-01-06..2025-01-12 BIS 0/1/1",
                    "2025-W03 2025-01-13..2025-01-19 BIS 0/0/1",
                ])
            let one = try store.throughput(from: Self.d("2024-12-30"), to: Self.d("2024-12-30"))
            #expect(Self.lines(one) == ["2025-W01 2024-12-30..2025-01-05 BIS 1/1/2"])
        }
    }

    @Test("2026-01-01 (a Thursday) is in 2026-W01; 2026 has a week 53")
    func weeksOf2026() throws {
        try ReportFixture.with { c, store in
            _ = try ReportFixture.bis(c, submitted: "2026-01-01")
            let newYear = try store.throughput(from: Self.d("2025-12-31"), to: Self.d("2026-01-01"))
            #expect(Self.lines(newYear) == ["2026-W01 2025-12-29..2026-01-04 BIS 1/0/1"])
            let turn = try store.throughput(from: Self.d("2026-12-28"), to: Self.d("2027-01-04"))
            #expect(
                Self.lines(turn) == [
                    "2026-W53 2026-12-28..2027-01-03 BIS 0/0/1",
                    "2027-W01 2027-01-04..2027-01-10 BIS 0/0/1",
                ])
        }
    }

    @Test("months: whole months, resubmissions and returns counted, quiet periods with zeros")
    func months() throws {
        try ReportFixture.with { c, store in
            _ = try ReportFixture.application(
                c, authority: "ECJU",
                events: [
                    ("submit", "2025-01-15"), ("return", "2025-02-03"), ("submit", "2025-02-10"),
                    ("approve", "2025-03-31"),
                ])
            _ = try ReportFixture.application(
                c, authority: "BAFA", destination: "FR",
                events: [("submit", "2025-02-28"), ("withdraw", "2025-03-01")])

            // The range ends on 03-10, but March is counted whole: the approval on 03-31 is in it.
            let rows = try store.throughput(from: Self.d("2025-01-20"), to: Self.d("2025-03-10"), by: .month)
            #expect(
                Self.lines(rows) == [
                    "2025-01 2025-01-01..2025-01-31 BAFA 0/0/0",
                    "2025-01 2025-01-01..2025-01-31 ECJU 1/0/1",
                    "2025-02 2025-02-01..2025-02-28 BAFA 1/0/1",
                    "2025-02 2025-02-01..2025-02-28 ECJU 1/1/1",
                    "2025-03 2025-03-01..2025-03-31 BAFA 0/1/0",
                    "2025-03 2025-03-01..2025-03-31 ECJU 0/1/0",
                ])

            let later = try store.throughput(from: Self.d("2025-02-01"), to: Self.d("2025-02-28"), by: .month)
            #expect(
                Self.lines(later) == [
                    "2025-02 2025-02-01..2025-02-28 BAFA 1/0/1", "2025-02 2025-02-01..2025-02-28 ECJU 1/1/1",
                ])

            let french = try store.throughput(
                from: Self.d("2025-01-01"), to: Self.d("2025-03-31"), by: .month,
                filter: ReportFilter(destinations: ["FR"]))
            #expect(french.map(\.authority) == ["BAFA", "BAFA", "BAFA"])
            #expect(french.map(\.period) == ["2025-01", "2025-02", "2025-03"])
        }
    }

    @Test("an empty database and filters that match nothing give no rows")
    func empty() throws {
        try ReportFixture.with { c, store in
            let from = Self.d("2025-01-01")
            let to = Self.d("2025-03-31")
            #expect(try store.throughput(from: from, to: to).isEmpty)
            _ = try ReportFixture.bis(c, submitted: "2025-01-15")
            #expect(try store.throughput(from: from, to: to, filter: ReportFilter(authorities: ["ECJU"])).isEmpty)
            #expect(try store.throughput(from: from, to: to, filter: ReportFilter(controlCodes: ["9Z"])).isEmpty)
            // 2025-01-01 is in 2025-W01 (from Monday 2024-12-30); Monday 2025-03-31 starts 2025-W14.
            #expect(try store.throughput(from: from, to: to).count == 14, "W01 to W14 (2025-03-31 is a Monday)")
            let error = try #require(throws: LicTrackError.self) {
                try store.throughput(from: from, to: to, filter: ReportFilter(destinations: ["XX"]))
            }
            #expect(error.message == "--destination: unknown country 'XX'")
        }
    }
}
