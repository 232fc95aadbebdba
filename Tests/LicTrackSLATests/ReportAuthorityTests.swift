import Foundation
import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// `report_authority()` and `report_processing_times()` through FigureReportStore.
///
/// Every expected figure is worked out by hand in the comments: BIS clocks are calendar days
/// from submission (so elapsed = decision day minus submission day, less paused days); the
/// MOFCOM clocks are the worked examples of Docs/sla.md on the CN calendar.
@Suite("Report authority")
struct ReportAuthorityTests {
    static func d(_ text: String) -> CivilDate { ReportFixture.date(text) }
    static func dec(_ text: String) -> Decimal { Decimal(string: text)! }

    @Test("nearest-rank percentiles at n = 1, 2, 3 and 10")
    func percentiles() throws {
        try ReportFixture.with { c, store in
            // All BIS, approved on 2025-04-15; elapsed = calendar days = 04-15 minus the submission.
            let submissions: [(String, [String])] = [
                ("DE", ["2025-03-16"]),  // [30]
                ("FR", ["2025-03-26", "2025-04-05"]),  // [20, 10]
                ("JP", ["2025-03-21", "2025-04-10", "2025-03-31"]),  // [25, 5, 15]
                // [17, 11, 20, 13, 15, 12, 19, 14, 18, 16]
                (
                    "US",
                    [
                        "2025-03-29", "2025-04-04", "2025-03-26", "2025-04-02", "2025-03-31", "2025-04-03",
                        "2025-03-27", "2025-04-01", "2025-03-28", "2025-03-30",
                    ]
                ),
            ]
            for (destination, days) in submissions {
                for day in days {
                    _ = try ReportFixture.bis(
                        c, submitted: day, decision: "approve", on: "2025-04-15", destination: destination)
                }
            }
            let rows = try store.authority(from: Self.d("2025-04-01"), to: Self.d("2025-04-30"), by: .destination)
            #expect(rows.map(\.group) == ["DE", "FR", "JP", "US"])
            // Rank ceil(p * n): n=1 -> 1st, 1st; n=2 -> 1st, 2nd; n=3 -> 2nd, 3rd; n=10 -> 5th, 9th.
            #expect(rows.map(\.current.clockDaysP50) == [30, 10, 15, 15])
            #expect(rows.map(\.current.clockDaysP90) == [30, 20, 25, 19])
            #expect(rows.map(\.current.calendarDaysP50) == [30, 10, 15, 15])
            #expect(rows.map(\.current.calendarDaysP90) == [30, 20, 25, 19])
            #expect(rows.map(\.current.decided) == [1, 2, 3, 10])
            #expect(rows.allSatisfy { $0.current.withinTarget == 1 && $0.current.approvalRate == 1 })
            // Previous period 2025-03-02..03-31: nothing decided; open on 03-31, the ones submitted by then.
            #expect(rows.map(\.previous.from) == Array(repeating: Self.d("2025-03-02"), count: 4))
            #expect(rows.map(\.previous.decided) == [0, 0, 0, 0])
            #expect(rows.map(\.previous.openAtEnd) == [1, 1, 2, 6])
            #expect(rows.map(\.current.openAtEnd) == [0, 0, 0, 0])
        }
    }

    @Test("MOFCOM: clock and calendar days, the deadline day, RFIs, returns and resubmissions")
    func mofcom() throws {
        try ReportFixture.with { c, store in
            // Accepted 04-07, approved on its deadline day 06-12: 45 working days (met), 71 calendar days.
            _ = try ReportFixture.application(
                c, authority: "MOFCOM",
                events: [("submit", "2025-04-02"), ("accept", "2025-04-07"), ("approve", "2025-06-12")])
            // 9 working days paused, deadline 06-25, approved 06-26: 46 working days (missed), 80 calendar days.
            _ = try ReportFixture.application(
                c, authority: "MOFCOM",
                events: [
                    ("submit", "2025-04-07"), ("accept", "2025-04-07"), ("request-info", "2025-04-21"),
                    ("provide-info", "2025-05-06"), ("approve", "2025-06-26"),
                ])
            // Returned before acceptance (no clock), 15 calendar days; resubmitted and open (cycle 2).
            _ = try ReportFixture.application(
                c, authority: "MOFCOM",
                events: [
                    ("submit", "2025-05-05"), ("return", "2025-05-20"), ("submit", "2025-06-02"),
                    ("accept", "2025-06-03"),
                ])
            // Returned after 5 days, then withdrawn: one decision (the return), not two.
            _ = try ReportFixture.application(
                c, authority: "MOFCOM",
                events: [("submit", "2025-04-10"), ("return", "2025-04-15"), ("withdraw", "2025-04-20")])
            // A draft withdrawn before it was submitted: no cycle, no decision.
            _ = try ReportFixture.application(c, authority: "MOFCOM", events: [("withdraw", "2025-04-20")])
            // Submitted and open.
            _ = try ReportFixture.application(c, authority: "MOFCOM", events: [("submit", "2025-06-20")])

            let rows = try store.authority(from: Self.d("2025-04-01"), to: Self.d("2025-06-30"))
            try #require(rows.count == 1)
            #expect(rows[0].authority == "MOFCOM")
            #expect(rows[0].group == nil)
            // Calendar days [5, 15, 71, 80]: p50 rank 2, p90 rank 4. Clock days [45, 46] (the returns had no clock).
            #expect(
                rows[0].current
                    == PeriodFigures(
                        from: Self.d("2025-04-01"), to: Self.d("2025-06-30"), decided: 4, approved: 2, returned: 2,
                        approvalRate: Self.dec("0.5000"), clockUnit: "working_days", clockDaysP50: 45,
                        clockDaysP90: 46, calendarDaysP50: 15, calendarDaysP90: 80, withinTarget: Self.dec("0.5000"),
                        rfisPerApplication: Self.dec("0.25"), openAtEnd: 2))
            // 91 days before 2025-04-01: nothing submitted yet.
            #expect(rows[0].previous == PeriodFigures(from: Self.d("2024-12-31"), to: Self.d("2025-03-31")))

            let times = try store.processingTimes(from: Self.d("2025-04-01"), to: Self.d("2025-06-30"))
            #expect(
                times == [
                    ProcessingTime(authority: "MOFCOM", clockUnit: "working_days", clockDays: 45, decided: 1),
                    ProcessingTime(authority: "MOFCOM", clockUnit: "working_days", clockDays: 46, decided: 1),
                ])
        }
    }

    /// BIS: A decided in the previous period, B denied on its deadline day, C open, D withdrawn late after a pause.
    static func bisHistory(_ c: PostgresConnection) throws {
        // 73 days, deadline 04-01: met.
        _ = try ReportFixture.bis(c, submitted: "2025-01-01", decision: "approve", on: "2025-03-15")
        // Deadline 01-10 + 90 = 04-10, denied that day: 90 days, met.
        _ = try ReportFixture.bis(c, submitted: "2025-01-10", decision: "deny", on: "2025-04-10")
        _ = try ReportFixture.bis(c, submitted: "2025-03-20")
        // 108 calendar days, 4 paused (02-01, 02-05]: 104 on the clock, deadline 04-06: missed.
        let late = try ReportFixture.application(
            c, authority: "BIS",
            events: [("submit", "2025-01-02"), ("request-info", "2025-02-01"), ("provide-info", "2025-02-05")])
        try ClockFixture.record(c, late, "withdraw", on: "2025-04-20")
    }

    @Test("the previous period, and a period without decisions")
    func previousPeriod() throws {
        try ReportFixture.with { c, store in
            try Self.bisHistory(c)
            let april = PeriodFigures(
                from: Self.d("2025-04-01"), to: Self.d("2025-04-30"), decided: 2, denied: 1, withdrawn: 1,
                approvalRate: Self.dec("0.0000"), clockUnit: "calendar_days", clockDaysP50: 90, clockDaysP90: 104,
                calendarDaysP50: 90, calendarDaysP90: 108, withinTarget: Self.dec("0.5000"),
                rfisPerApplication: Self.dec("0.50"), openAtEnd: 1)

            let rows = try store.authority(from: Self.d("2025-04-01"), to: Self.d("2025-04-30"))
            try #require(rows.count == 1)
            #expect(rows[0].current == april)
            // 2025-03-02..03-31: A; open on 03-31: B, C and D.
            #expect(
                rows[0].previous
                    == PeriodFigures(
                        from: Self.d("2025-03-02"), to: Self.d("2025-03-31"), decided: 1, approved: 1,
                        approvalRate: Self.dec("1.0000"), clockUnit: "calendar_days", clockDaysP50: 73,
                        clockDaysP90: 73, calendarDaysP50: 73, calendarDaysP90: 73, withinTarget: Self.dec("1.0000"),
                        rfisPerApplication: Self.dec("0.00"), openAtEnd: 3))

            // May: nothing decided, zeros and no rates; the 31 days before it are 03-31..04-30.
            let may = try store.authority(from: Self.d("2025-05-01"), to: Self.d("2025-05-31"))
            try #require(may.count == 1)
            #expect(may[0].current == PeriodFigures(from: Self.d("2025-05-01"), to: Self.d("2025-05-31"), openAtEnd: 1))
            var previous = april
            previous.from = Self.d("2025-03-31")
            #expect(may[0].previous == previous)

            // One day: 2025-04-10 (B), the day before is 04-09.
            let day = try store.authority(from: Self.d("2025-04-10"), to: Self.d("2025-04-10"))
            #expect(day.first?.current.denied == 1)
            #expect(day.first?.current.openAtEnd == 2)
            #expect(day.first?.previous.from == Self.d("2025-04-09"))
            #expect(day.first?.previous.openAtEnd == 3)
        }
    }

    @Test("--by control-code: the family of the first item; filters narrow; empty shapes")
    func groupsAndFilters() throws {
        try ReportFixture.with { c, store in
            let april = (Self.d("2025-04-01"), Self.d("2025-04-30"))
            #expect(try store.authority(from: april.0, to: april.1).isEmpty, "an empty database")

            _ = try ReportFixture.bis(
                c, submitted: "2025-04-01", decision: "approve", on: "2025-04-11", destination: "CN",
                controlCode: "1C902.a")
            _ = try ReportFixture.bis(
                c, submitted: "2025-04-01", decision: "deny", on: "2025-04-21", destination: "JP",
                controlCode: "3a001.b")
            // Two items: the first one's family (5A0) counts, not the second's (1C9).
            let twoItems = try ReportFixture.bis(
                c, submitted: "2025-04-02", destination: "CN", owner: "Priya", controlCode: "5A002")
            try c.execute(
                """
                insert into application_items (application_id, description, control_code)
                values ($1::bigint, 'second item', '1C902.b')
                """, [twoItems])
            _ = try ReportFixture.bis(c, submitted: "2025-04-03", destination: "CN")  // no control code
            _ = try ReportFixture.application(c, authority: "ECJU", events: [])  // a draft: a row of zeros

            let byFamily = try store.authority(from: april.0, to: april.1, by: .controlCode)
            #expect(byFamily.map(\.authority) == ["BIS", "BIS", "BIS", "BIS", "ECJU"])
            #expect(byFamily.map(\.group) == ["1C9", "3A0", "5A0", nil, nil])
            #expect(byFamily.map(\.current.decided) == [1, 1, 0, 0, 0])
            #expect(byFamily.map(\.current.calendarDaysP50) == [10, 20, nil, nil, nil])
            #expect(byFamily.map(\.current.openAtEnd) == [0, 0, 1, 1, 0])

            let byDestination = try store.authority(from: april.0, to: april.1, by: .destination)
            #expect(byDestination.map(\.group) == ["CN", "JP", "DE"])
            #expect(byDestination.map(\.current.decided) == [1, 1, 0])
            #expect(byDestination.map(\.current.openAtEnd) == [2, 0, 0])

            let plain = try store.authority(from: april.0, to: april.1)
            #expect(plain.map(\.authority) == ["BIS", "ECJU"])
            #expect(plain[0].current.approvalRate == Self.dec("0.5000"))
            #expect(plain[1].current == PeriodFigures(from: april.0, to: april.1))

            let chinese = try store.authority(from: april.0, to: april.1, filter: ReportFilter(destinations: ["CN"]))
            #expect(chinese.map(\.current.decided) == [1])
            #expect(chinese.map(\.current.openAtEnd) == [2])
            let magnets = try store.authority(from: april.0, to: april.1, filter: ReportFilter(controlCodes: ["1c902"]))
            #expect(magnets.map(\.current.decided) == [1], "1C902.a decided; 1C902.b's application is open")
            #expect(magnets.map(\.current.openAtEnd) == [1])
            let priya = try store.authority(from: april.0, to: april.1, filter: ReportFilter(owners: ["PRIYA"]))
            #expect(priya.map(\.current.openAtEnd) == [1])
            #expect(try store.authority(from: april.0, to: april.1, filter: ReportFilter(owners: ["nobody"])).isEmpty)
            #expect(try store.processingTimes(from: april.0, to: april.1, filter: ReportFilter(owners: ["x"])).isEmpty)
        }
    }

    @Test("licence-type policies in another unit: clock percentiles are not mixed")
    func mixedUnits() throws {
        try ReportFixture.with { c, store in
            try c.execute(
                """
                insert into sla_policies (authority, licence_type, start_status, target, unit, source)
                values ('MOFCOM', 'general', 'under_review', 60, 'calendar_days', 'internal target')
                """)
            _ = try ReportFixture.application(
                c, authority: "MOFCOM", licenceType: "general",
                events: [("submit", "2025-04-07"), ("accept", "2025-04-07"), ("approve", "2025-04-17")])
            _ = try ReportFixture.application(
                c, authority: "MOFCOM",
                events: [("submit", "2025-04-02"), ("accept", "2025-04-07"), ("approve", "2025-06-12")])
            let rows = try store.authority(from: Self.d("2025-04-01"), to: Self.d("2025-06-30"))
            #expect(rows.first?.current.clockUnit == "mixed")
            #expect(rows.first?.current.clockDaysP50 == nil)
            #expect(rows.first?.current.clockDaysP90 == nil)
            #expect(rows.first?.current.withinTarget == 1)
            #expect(rows.first?.current.calendarDaysP90 == 71)
            let times = try store.processingTimes(from: Self.d("2025-04-01"), to: Self.d("2025-06-30"))
            #expect(times.map(\.clockUnit) == ["calendar_days", "working_days"])
            #expect(times.map(\.clockDays) == [10, 45])
        }
    }
}
