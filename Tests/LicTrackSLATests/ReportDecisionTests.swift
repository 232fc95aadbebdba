import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// The definitions the figure reports share (migration 0010): cycles and decisions, the values
/// Swift mirrors, and the errors a bad period or option gives.
@Suite("Report figures: cycles, decisions and bad input")
struct ReportDecisionTests {
    /// One row of report_cycle_spans or application_clocks, as text.
    struct Cycle: Equatable, CustomStringConvertible {
        var application: Int64
        var cycle: Int
        var decidedOn: String?
        var decision: String?
        var description: String { "\(application)#\(cycle) \(decidedOn ?? "-") \(decision ?? "-")" }
    }

    static func cycles(_ c: PostgresConnection, _ sql: String) throws -> [Cycle] {
        try c.query(sql).map {
            Cycle(
                application: try $0.decode("application_id"), cycle: try $0.decode("cycle"),
                decidedOn: try $0.decodeIfPresent("decided_on"), decision: try $0.decodeIfPresent("decision"))
        }
    }

    @Test("cycles and decisions are the clocks' cycles: the n-th submit to the first decision after it")
    func cyclesAgreeWithClocks() throws {
        try ReportFixture.with { c, _ in
            let resubmitted = try ReportFixture.application(
                c, authority: "BIS",
                events: [
                    ("submit", "2025-02-03"), ("return", "2025-02-20"), ("submit", "2025-03-05"),
                    ("approve", "2025-04-01"),
                ])
            let returnedThenWithdrawn = try ReportFixture.application(
                c, authority: "ECJU",
                events: [("submit", "2025-03-03"), ("return", "2025-03-10"), ("withdraw", "2025-03-12")])
            let draftWithdrawn = try ReportFixture.application(
                c, authority: "BAFA", events: [("withdraw", "2025-03-03")])
            let open = try ReportFixture.application(
                c, authority: "MOFCOM", events: [("submit", "2025-05-05"), ("accept", "2025-05-06")])

            let spans = try Self.cycles(
                c,
                """
                select application_id, cycle, decided_on::text, decision
                from report_cycle_spans order by application_id, cycle
                """)
            #expect(
                spans == [
                    Cycle(application: resubmitted, cycle: 1, decidedOn: "2025-02-20", decision: "return"),
                    Cycle(application: resubmitted, cycle: 2, decidedOn: "2025-04-01", decision: "approve"),
                    Cycle(application: returnedThenWithdrawn, cycle: 1, decidedOn: "2025-03-10", decision: "return"),
                    Cycle(application: open, cycle: 1, decidedOn: nil, decision: nil),
                ])
            #expect(!spans.contains { $0.application == draftWithdrawn })
            let clocks = try Self.cycles(
                c,
                """
                select application_id, cycle, ended_on::text as decided_on, end_event as decision
                from application_clocks order by application_id, cycle
                """)
            #expect(spans == clocks)

            // calendar_days from each cycle's own submission; the BIS cycle 2 clock runs from 03-05.
            let decided = try c.query(
                "select calendar_days, clock_days, clock_state from report_decisions order by application_id, cycle"
            ).map {
                "\(try $0.decode(Int.self, "calendar_days"))/\(try $0.decode(Int.self, "clock_days"))/\(try $0.decode(String.self, "clock_state"))"
            }
            // BIS: 17 days (02-03..02-20), then 27 (03-05..04-01). ECJU: (03-03, 03-10] is 5 working days.
            #expect(decided == ["17/17/met", "27/27/met", "7/5/met"])
        }
    }

    @Test("the Swift groupings and intervals are the values SQL accepts")
    func valuesAgree() throws {
        try ReportFixture.with { c, _ in
            for grouping in AuthorityGrouping.allCases {
                #expect(
                    ReportFixture.failure(
                        c, "select * from report_authority('2025-01-01', '2025-01-31', $1)", [grouping.rawValue])
                        == nil)
            }
            #expect(AuthorityGrouping.allCases.map(\.rawValue) == ["control-code", "destination"])
            for interval in ThroughputInterval.allCases {
                #expect(
                    ReportFixture.failure(
                        c, "select * from report_throughput('2025-01-01', '2025-01-31', $1)", [interval.rawValue])
                        == nil)
            }
            #expect(ThroughputInterval.allCases.map(\.rawValue) == ["week", "month"])

            let grouping = ReportFixture.failure(
                c, "select * from report_authority('2025-01-01', '2025-01-31', 'owner')")
            #expect(grouping?.state == "22023")
            #expect(grouping?.message == "unknown grouping 'owner': expected control-code or destination")
            let interval = ReportFixture.failure(
                c, "select * from report_throughput('2025-01-01', '2025-01-31', 'quarter')")
            #expect(interval?.message == "unknown period 'quarter': expected week or month")
        }
    }

    @Test("a period that ends before it starts: a usage error from Swift, 22023 from SQL")
    func backwardsPeriod() throws {
        try ReportFixture.with { c, store in
            let from = ReportFixture.date("2025-04-30")
            let to = ReportFixture.date("2025-04-01")
            for attempt in [
                { _ = try store.authority(from: from, to: to) },
                { _ = try store.throughput(from: from, to: to) },
                { _ = try store.processingTimes(from: from, to: to) },
            ] as [() throws -> Void] {
                let error = try #require(throws: LicTrackError.self) { try attempt() }
                #expect(error.kind == .usage)
                #expect(error.message == "--to: '2025-04-01' is before --from 2025-04-30")
            }
            for sql in [
                "select * from report_authority('2025-04-30', '2025-04-01')",
                "select * from report_throughput('2025-04-30', '2025-04-01')",
                "select * from report_processing_times('2025-04-30', '2025-04-01')",
                "select * from report_authority(null, '2025-04-01')",
            ] {
                #expect(ReportFixture.failure(c, sql)?.state == "22023", "\(sql)")
            }
        }
    }

    @Test("throughput over more than 1000 periods is refused as invalid input")
    func tooManyPeriods() throws {
        try ReportFixture.with { c, store in
            // 2006-01-02 (a Monday) to 2025-03-02 (a Sunday): exactly 1000 ISO weeks.
            #expect(
                try store.throughput(from: ReportFixture.date("2006-01-02"), to: ReportFixture.date("2025-03-02"))
                    .isEmpty)
            let error = try #require(throws: LicTrackError.self) {
                try store.throughput(from: ReportFixture.date("2006-01-02"), to: ReportFixture.date("2025-03-03"))
            }
            #expect(error.kind == .invalidInput)
            #expect(
                error.message
                    == "report throughput from 2006-01-02 to 2025-03-03 spans 1001 weeks; at most 1000 periods")
            #expect(
                try store.throughput(
                    from: ReportFixture.date("1942-01-01"), to: ReportFixture.date("2025-04-30"), by: .month
                ).isEmpty, "1000 months")
        }
    }
}
