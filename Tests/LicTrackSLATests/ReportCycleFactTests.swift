import Foundation
import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// The cycle facts the figure reports read from the stored clocks (migration 0012): each
/// cycle's submit day, requests for information and elapsed units at its decision, kept by the
/// recompute every event runs, filled in for existing clocks by the migration, and read from the
/// log for the applications no policy covers.
///
/// BIS clocks count calendar days from submission and pause while information is requested, so
/// every elapsed figure here is a subtraction of dates less the paused days; the MOFCOM clock is
/// the paused worked example of Docs/sla.md.
@Suite("Report figures: stored cycle facts")
struct ReportCycleFactTests {
    static func d(_ text: String) -> CivilDate { ReportFixture.date(text) }
    static func dec(_ text: String) -> Decimal { Decimal(string: text)! }

    /// A cycle's stored facts, as text: "submitted/rfis/elapsed" ("-" for NULL, "none" without a row).
    static func facts(_ c: PostgresConnection, _ id: Int64, cycle: Int = 1) throws -> String {
        try ClockFixture.value(
            c,
            """
            select submitted_on::text || '/' || rfis || '/' || coalesce(elapsed_at_end::text, '-')
            from application_clocks where application_id = $1::bigint and cycle = $2::integer
            """, [id, cycle]) ?? "none"
    }

    /// A BIS application returned while information was requested, resubmitted and approved.
    static func resubmittedBIS(_ c: PostgresConnection) throws -> Int64 {
        try ReportFixture.application(
            c, authority: "BIS",
            events: [
                ("submit", "2025-02-03"), ("request-info", "2025-02-10"), ("return", "2025-02-20"),
                ("submit", "2025-03-05"), ("request-info", "2025-03-10"), ("provide-info", "2025-03-12"),
                ("approve", "2025-04-01"),
            ])
    }

    /// The MOFCOM example: accepted 04-07, 9 working days paused, approved 06-26, a day after its deadline.
    static func pausedMOFCOM(_ c: PostgresConnection) throws -> Int64 {
        try ReportFixture.application(
            c, authority: "MOFCOM",
            events: [
                ("submit", "2025-04-07"), ("accept", "2025-04-07"), ("request-info", "2025-04-21"),
                ("provide-info", "2025-05-06"), ("approve", "2025-06-26"),
            ])
    }

    @Test("every event keeps the cycle's submit day, requests for information and elapsed units at the decision")
    func keptByEachEvent() throws {
        try ReportFixture.with { c, _ in
            let id = try ReportFixture.application(c, authority: "BIS", events: [("submit", "2025-02-03")])
            #expect(try Self.facts(c, id) == "2025-02-03/0/-")
            try ClockFixture.record(c, id, "request-info", on: "2025-02-10")
            #expect(try Self.facts(c, id) == "2025-02-03/1/-")
            // Returned on 02-20: 17 days, 10 of them paused (02-10, 02-20].
            try ClockFixture.record(c, id, "return", on: "2025-02-20")
            #expect(try Self.facts(c, id) == "2025-02-03/1/7")
            try ClockFixture.record(c, id, "submit", on: "2025-03-05")
            #expect(try Self.facts(c, id, cycle: 2) == "2025-03-05/0/-")
            // Approved 04-01: 27 days from the resubmission, 2 paused (03-10, 03-12].
            try ClockFixture.record(
                c, id, [("request-info", "2025-03-10"), ("provide-info", "2025-03-12"), ("approve", "2025-04-01")])
            #expect(try Self.facts(c, id, cycle: 2) == "2025-03-05/1/25")
            #expect(try Self.facts(c, id) == "2025-02-03/1/7", "the first cycle is unchanged")

            let mofcom = try Self.pausedMOFCOM(c)
            #expect(try Self.facts(c, mofcom) == "2025-04-07/1/46")

            // They are what the log's definitions (report_cycle_spans, report_decisions) give.
            let disagreeing = try ClockFixture.value(
                c,
                """
                select count(*)::text
                from report_cycle_spans cs
                full join application_clocks k using (application_id, cycle)
                left join report_decisions d using (application_id, cycle)
                where (cs.submitted_on, cs.rfis, cs.decided_on, cs.decision, d.clock_days)
                      is distinct from (k.submitted_on, k.rfis, k.ended_on, k.end_event, k.elapsed_at_end)
                """)
            #expect(disagreeing == "0")
        }
    }

    @Test("applications no policy covered: their cycles are read from the log, with no clock")
    func withoutPolicy() throws {
        try ReportFixture.with { c, store in
            try c.execute(
                """
                insert into authorities (code, name, country, time_zone) values
                    ('METI', 'Ministry of Economy, Trade and Industry', 'JP', 'Asia/Tokyo'),
                    ('KTC', 'Korea Trade Commission', 'KR', 'Asia/Seoul')
                """)
            // METI has no policy: 20 calendar days, one request for information; one open; one draft.
            let decided = try ReportFixture.application(
                c, authority: "METI",
                events: [
                    ("submit", "2025-04-01"), ("request-info", "2025-04-05"), ("provide-info", "2025-04-08"),
                    ("approve", "2025-04-21"),
                ])
            let open = try ReportFixture.application(c, authority: "METI", events: [("submit", "2025-04-10")])
            _ = try ReportFixture.application(c, authority: "METI", events: [])
            // KTC gets its policy after one application was denied (10 days): only the open one gets a clock.
            let denied = try ReportFixture.application(
                c, authority: "KTC", events: [("submit", "2025-04-02"), ("deny", "2025-04-12")])
            let clocked = try ReportFixture.application(c, authority: "KTC", events: [("submit", "2025-04-03")])
            try c.execute(
                """
                insert into sla_policies (authority, start_status, target, unit, source)
                values ('KTC', 'submitted', 30, 'calendar_days', 'internal target')
                """)
            #expect(try Self.facts(c, denied) == "none")
            #expect(try Self.facts(c, clocked) == "2025-04-03/0/-")
            let unclocked = try ClockFixture.value(
                c, "select array_to_string(report_unclocked(null, null, null, null), ',')")
            #expect(unclocked == [decided, open, denied].map(String.init).joined(separator: ","))

            let rows = try store.authority(
                from: Self.d("2025-04-01"), to: Self.d("2025-04-30"),
                filter: ReportFilter(authorities: ["METI", "KTC"]))
            #expect(rows.map(\.authority) == ["KTC", "METI"])
            #expect(
                rows.map(\.current) == [
                    PeriodFigures(
                        from: Self.d("2025-04-01"), to: Self.d("2025-04-30"), decided: 1, denied: 1,
                        approvalRate: Self.dec("0.0000"), calendarDaysP50: 10, calendarDaysP90: 10,
                        rfisPerApplication: Self.dec("0.00"), openAtEnd: 1),
                    PeriodFigures(
                        from: Self.d("2025-04-01"), to: Self.d("2025-04-30"), decided: 1, approved: 1,
                        approvalRate: Self.dec("1.0000"), calendarDaysP50: 20, calendarDaysP90: 20,
                        rfisPerApplication: Self.dec("1.00"), openAtEnd: 1),
                ])
            #expect(rows.map(\.previous.openAtEnd) == [0, 0])
            #expect(try store.processingTimes(from: Self.d("2025-04-01"), to: Self.d("2025-04-30")).isEmpty)

            let april = try store.throughput(
                from: Self.d("2025-04-01"), to: Self.d("2025-04-30"), by: .month,
                filter: ReportFilter(authorities: ["METI", "KTC"]))
            #expect(
                april.map { "\($0.authority) \($0.submitted)/\($0.decided)/\($0.openAtEnd)" } == [
                    "KTC 2/1/1", "METI 2/1/1",
                ])

            // KTC's clock: 27 of 30 days on 04-30. METI's have none; on 04-15 the approved one
            // (events after that day) is replayed from the log.
            let aging = try store.aging(asOf: Self.d("2025-04-30"))
            #expect(
                aging.filter { $0.count > 0 }.map { "\($0.authority) \($0.bucket.rawValue) \($0.applicationIDs)" } == [
                    "KTC 80-100% [\(clocked)]", "METI no_clock [\(open)]",
                ])
            let earlier = try store.aging(asOf: Self.d("2025-04-15"), filter: ReportFilter(authorities: ["METI"]))
            #expect(earlier.first { $0.bucket == .noClock }?.applicationIDs == [decided, open])
        }
    }

    @Test("report authority's percentile rank is percentile_disc's: ceil(p * n), at least 1")
    func percentileRank() throws {
        try ReportFixture.with { c, _ in
            // The ranks of Docs/reports-figures.md: n = 1, 2, 3, 10 at p50 and p90.
            let ranks = try ClockFixture.value(
                c,
                """
                select string_agg(report_percentile_rank(0.5, n) || '/' || report_percentile_rank(0.9, n), ' ' order by n)
                from unnest(array[1, 2, 3, 10]) n
                """)
            #expect(ranks == "1/1 1/2 2/3 5/9")
            // Over 1...n the value at a rank is the rank itself: compare with percentile_disc for n up to 500.
            let disagreeing = try ClockFixture.value(
                c,
                """
                select count(*)::text
                from generate_series(1, 500) n
                cross join (values (0.5::float8), (0.9::float8)) p(fraction)
                where report_percentile_rank(p.fraction, n)
                      <> (select percentile_disc(p.fraction) within group (order by i) from generate_series(1, n) i)
                """)
            #expect(disagreeing == "0")
        }
    }

    @Test("the migration fills in the facts of the clocks already stored, and the reports do not change")
    func migrationBackfill() throws {
        try TestDatabase.with(migrated: false) { db in
            let c = try db.connect()
            defer { c.close() }
            try Migrator(connection: c, migrations: Migration.all.filter { $0.version < 12 }).migrate()
            let resubmitted = try Self.resubmittedBIS(c)
            let mofcom = try Self.pausedMOFCOM(c)
            _ = try ReportFixture.bis(c, submitted: "2025-05-02")
            let reports = """
                select format('%s', r) as row from report_authority('2025-04-01', '2025-06-30') r
                union all
                select format('%s', r) from report_throughput('2025-01-01', '2025-06-30', 'month') r
                """
            let before = try c.query(reports).map { try $0.decode(String.self, "row") }

            let applied = try Migrator(connection: c).migrate()
            #expect(applied.map(\.version).contains(12))
            #expect(try Self.facts(c, resubmitted) == "2025-02-03/1/7")
            #expect(try Self.facts(c, resubmitted, cycle: 2) == "2025-03-05/1/25")
            #expect(try Self.facts(c, mofcom) == "2025-04-07/1/46")
            let after = try c.query(reports).map { try $0.decode(String.self, "row") }
            #expect(after == before)
            #expect(after.count == 2 * 2 + 6 * 2, "BIS and MOFCOM: two authority rows, six months each")
        }
    }
}
