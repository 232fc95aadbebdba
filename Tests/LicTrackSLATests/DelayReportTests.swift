import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// `report_delays()` through `ReportStore.delays`: who is in it, in which order, and each number,
/// on the worked examples of Docs/sla.md (CN calendar, MOFCOM accepted Monday 2025-04-07, day 45
/// 2025-06-12) and hand-counted calendar days.
@Suite("Delay report")
struct DelayReportTests {
    static func d(_ text: String) -> CivilDate { ClockFixture.date(text) }

    static func delays(
        _ connection: PostgresConnection, asOf: String, _ filter: ReportFilter = ReportFilter()
    ) throws -> [DelayRow] {
        var rows: [DelayRow] = []
        try ReportStore(connection: connection).delays(asOf: d(asOf), filter: filter) { rows.append($0) }
        return rows
    }

    /// Breached by days overdue, largest first; then by days remaining, smallest first; then by
    /// days in status; applications decided or created later are not in it.
    @Test func mostUrgentFirst() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            // Breached, then asked for information after the deadline: the open pause does not
            // count (Docs/sla.md), so as of 2025-06-18 it is 49 of 45, 4 overdue.
            let pausedLate = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(connection, pausedLate, "request-info", on: "2025-06-16")
            // BIS submitted 2025-03-10: day 90 is 2025-06-08; as of 06-18, 100 elapsed, 10 overdue.
            let bisLate = try ClockFixture.submitted(connection, authority: "BIS", on: "2025-03-10")
            // BIS submitted 2025-05-01: as of 06-18, 48 elapsed, 42 left.
            let bisEarly = try ClockFixture.submitted(connection, authority: "BIS", on: "2025-05-01")
            // MOFCOM paused in time (the paused worked example): 10 of 45 elapsed, paused, 35 left.
            let paused = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(connection, paused, "request-info", on: "2025-04-21")
            // Not started: MOFCOM submitted but not accepted (since 2025-06-02, 16 days), and a draft
            // (created 2025-05-01, 48 days in status).
            let notAccepted = try ClockFixture.application(connection, authority: "MOFCOM", createdOn: "2025-05-20")
            try ClockFixture.record(connection, notAccepted, "submit", on: "2025-06-02")
            let draft = try ClockFixture.application(connection, authority: "ECJU", createdOn: "2025-05-01")
            // Decided on its deadline day: not open, not in the report.
            let decided = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(connection, decided, "approve", on: "2025-06-12")
            // Created after the report's day: not in it.
            _ = try ClockFixture.application(connection, authority: "BIS", createdOn: "2025-06-19")

            let rows = try Self.delays(connection, asOf: "2025-06-18")
            #expect(rows.map(\.id) == [bisLate, pausedLate, paused, bisEarly, draft, notAccepted])

            let late = rows[0]
            #expect(late.clock.state == .breached)
            #expect(late.clock.elapsed == 100)
            #expect(late.clock.deadline == Self.d("2025-06-08"))
            #expect(late.overdue == 10)
            #expect(late.status == "submitted")
            #expect(late.statusSince == Self.d("2025-03-10"))
            #expect(late.daysInStatus == 100)

            let open = rows[1]
            #expect(open.status == "info_requested")
            #expect(open.clock.state == .breached)
            #expect(open.clock.elapsed == 49)
            #expect(open.clock.remaining == -4)
            #expect(open.clock.deadline == Self.d("2025-06-12"))
            #expect(open.overdue == 4)
            #expect(open.rfis == 1)
            #expect(open.lastEvent == "request-info")
            #expect(open.lastEventOn == Self.d("2025-06-16"))
            #expect(open.daysInStatus == 2)

            #expect(rows[2].clock.state == .paused)
            #expect(rows[2].clock.remaining == 35)
            #expect(rows[2].overdue == 0)
            #expect(rows[3].clock.remaining == 42)
            #expect(rows[4].clock.state == .notStarted)
            #expect(rows[4].daysInStatus == 48)
            #expect(rows[5].daysInStatus == 16)
            #expect(rows.allSatisfy { $0.asOf == Self.d("2025-06-18") })
        }
    }

    /// As of an earlier day, an application decided since is still open, with the clock it had then.
    @Test func asOfAnEarlierDay() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(connection, id, [("request-info", "2025-04-21"), ("provide-info", "2025-05-06")])
            try ClockFixture.record(connection, id, "approve", on: "2025-06-12")
            #expect(try Self.delays(connection, asOf: "2025-06-12").isEmpty)
            let rows = try Self.delays(connection, asOf: "2025-04-30")
            #expect(rows.map(\.id) == [id])
            #expect(rows[0].status == "info_requested")
            #expect(rows[0].statusSince == Self.d("2025-04-21"))
            #expect(rows[0].clock.state == .paused)
            #expect(rows[0].clock.deadline == Self.d("2025-06-24"))
            #expect(rows[0].clock.paused == 8)
            #expect(rows[0].rfis == 1)
        }
    }

    /// Requests for information count in the current cycle only: a return and resubmission starts again.
    @Test func requestsForInformationInTheCurrentCycle() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.submitted(connection, authority: "BIS", on: "2025-02-03")
            try ClockFixture.record(
                connection, id,
                [
                    ("request-info", "2025-02-05"), ("provide-info", "2025-02-07"), ("request-info", "2025-02-10"),
                    ("return", "2025-02-20"), ("submit", "2025-03-05"), ("request-info", "2025-03-10"),
                    ("provide-info", "2025-03-12"),
                ])
            try connection.execute(
                """
                insert into application_events (application_id, event, occurred_on, note)
                values ($1::bigint, 'note', '2025-03-13', 'Chased by phone')
                """, [id])
            let rows = try Self.delays(connection, asOf: "2025-03-20")
            #expect(rows.count == 1)
            #expect(rows[0].rfis == 1)
            #expect(rows[0].clock.cycle == 2)
            #expect(rows[0].lastEvent == "note")
            #expect(rows[0].status == "submitted")
            #expect(rows[0].statusSince == Self.d("2025-03-12"))
            #expect(try Self.delays(connection, asOf: "2025-02-15")[0].rfis == 2)
        }
    }

    /// Supply risk: the p90 date (or, without a forecast, the deadline) after the stock runs out.
    /// The BIS application submitted 2025-05-01 has deadline 2025-07-30 and no forecast.
    @Test(arguments: [("2025-07-20", 10 as Int?), ("2025-07-30", nil), ("2025-08-15", nil)])
    func supplyRiskAgainstTheDeadline(runsOut: String, daysShort: Int?) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.submitted(connection, authority: "BIS", on: "2025-05-01")
            try connection.execute(
                """
                insert into application_events (application_id, event, occurred_on, stock_runs_out, feeds)
                values ($1::bigint, 'stock', '2025-05-02', $2::date, 'Plant 4')
                """, [id, runsOut])
            let row = try #require(try Self.delays(connection, asOf: "2025-06-18").first)
            #expect(row.clock.deadline == Self.d("2025-07-30"))
            #expect(row.forecast?.p90 == nil)
            #expect(row.supply?.runsOut == Self.d(runsOut))
            #expect(row.supply?.feeds == "Plant 4")
            #expect(row.supply?.daysShort == daysShort)
        }
    }

    /// The "Supply risk" extract (`atSupplyRisk`) is the full report's rows at risk, in the same
    /// order; a stock record dated after the as-of day does not count yet.
    @Test func theSupplyRiskExtractIsTheReportAtRisk() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            var ids: [Int64] = []
            for (day, runsOut) in [("01", "2025-07-01"), ("02", "2025-09-30"), ("05", "2025-06-20"), ("06", nil)] {
                let id = try ClockFixture.submitted(connection, authority: "BIS", on: "2025-05-\(day)")
                ids.append(id)
                if let runsOut {
                    try connection.execute(
                        """
                        insert into application_events (application_id, event, occurred_on, stock_runs_out, feeds)
                        values ($1::bigint, 'stock', '2025-05-10', $2::date, 'Plant 4')
                        """, [id, runsOut])
                }
            }
            // Recorded after the as-of day: not at risk as of 2025-06-18.
            try connection.execute(
                """
                insert into application_events (application_id, event, occurred_on, stock_runs_out, feeds)
                values ($1::bigint, 'stock', '2025-06-25', '2025-06-26', 'Plant 9')
                """, [ids[3]])
            let all = try Self.delays(connection, asOf: "2025-06-18")
            var atRisk: [DelayRow] = []
            try ReportStore(connection: connection).delays(
                asOf: Self.d("2025-06-18"), filter: ReportFilter(), atSupplyRisk: true
            ) {
                atRisk.append($0)
            }
            // Deadlines 2025-07-30, 07-31, 08-03 (BIS: 90 calendar days): the first and third run out before.
            #expect(atRisk.map(\.id) == [ids[0], ids[2]])
            #expect(atRisk.map(\.id) == all.filter { $0.supply?.atRisk == true }.map(\.id))
            #expect(atRisk.map(\.supply?.daysShort) == [29, 44])
        }
    }

    /// A decided application is never at supply risk, however early its stock ran out.
    @Test func neverForADecidedApplication() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.submitted(connection, authority: "BIS", on: "2025-05-01")
            try connection.execute(
                """
                insert into application_events (application_id, event, occurred_on, stock_runs_out, feeds)
                values ($1::bigint, 'stock', '2025-05-02', '2025-05-10', 'Plant 4')
                """, [id])
            try ClockFixture.record(connection, id, "approve", on: "2025-06-30")
            let outlook = try #require(
                try ReportStore(connection: connection).outlook(of: id, asOf: Self.d("2025-07-01")))
            #expect(outlook.supply?.runsOut == Self.d("2025-05-10"))
            #expect(outlook.supply?.atRisk == false)
            #expect(try Self.delays(connection, asOf: "2025-07-01").isEmpty)
        }
    }

    /// An empty database, and filters that match nothing, give no rows, not an error; unknown
    /// codes are usage errors.
    @Test func emptyAndUnmatched() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            #expect(try Self.delays(connection, asOf: "2025-06-18").isEmpty)
            let id = try ClockFixture.submitted(connection, authority: "BIS", on: "2025-05-01")
            #expect(try Self.delays(connection, asOf: "2025-06-18").map(\.id) == [id])
            #expect(try Self.delays(connection, asOf: "2025-06-18", ReportFilter(authorities: ["ECJU"])).isEmpty)
            #expect(try Self.delays(connection, asOf: "2025-06-18", ReportFilter(owners: ["nobody"])).isEmpty)
            #expect(try Self.delays(connection, asOf: "2025-06-18", ReportFilter(controlCodes: ["9Z"])).isEmpty)
            #expect(
                try Self.delays(connection, asOf: "2025-06-18", ReportFilter(authorities: ["bis"])).map(\.id) == [id])
            let error = try #require(throws: LicTrackError.self) {
                try Self.delays(connection, asOf: "2025-06-18", ReportFilter(authorities: ["NOPE"]))
            }
            #expect(error.kind == .usage)
        }
    }
}
