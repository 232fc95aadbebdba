import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// Formal extensions (delay --extend-by) and new cycles after a return and resubmission.
@Suite("Clock extensions and cycles")
struct ClockCycleTests {
    private static func d(_ text: String) -> CivilDate { ClockFixture.date(text) }

    // MARK: Extensions

    /// `app delay ID --reason extension --extend-by 10` moves the 2025-06-12 deadline 10 working days
    /// (06-13, 06-16..06-20, 06-23..06-26) to 2025-06-26; the delay itself does not stop the clock.
    @Test("delay --extend-by 10 moves the deadline 10 working days")
    func extendBy10() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")

            let outcome = try ClockFixture.runOK(
                ["app", "delay", "\(id)", "--reason", "extension", "--extend-by", "10", "--on", "2025-05-15"], db)
            #expect(outcome.stderr.isEmpty)

            let sla = try ClockFixture.showSLA(db, id, asOf: "2025-05-20")
            #expect(sla.deadline == "2025-06-26")
            #expect(sla.target == 55)
            #expect(sla.extension == 10)
            #expect(sla.paused == 0)
            // (04-07, 05-20]: 29 working days, none paused: the delay keeps the clock running.
            #expect(sla.elapsed == 29)
            #expect(sla.remaining == 26)
            #expect(sla.state == "on_track")

            let stored = try #require(try ClockFixture.stored(connection, id))
            #expect(stored.extensionUnits == 10)
            #expect(stored.target == 45)
            #expect(stored.deadline == Self.d("2025-06-26"))

            // Resuming keeps the extension.
            try ClockFixture.runOK(["app", "resume", "\(id)", "--on", "2025-05-22"], db)
            #expect(try ClockFixture.stored(connection, id)?.deadline == Self.d("2025-06-26"))
            // Before the extension was granted the deadline was still 2025-06-12.
            #expect(try ClockFixture.showSLA(db, id, asOf: "2025-05-14").deadline == "2025-06-12")
        }
    }

    /// Two extensions add up; a BIS extension counts calendar days.
    @Test("extensions add up; BIS extends by calendar days")
    func extensionsAddUp() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.submitted(connection, authority: "BIS", on: "2025-01-06")
            try ClockFixture.record(connection, id, "delay", on: "2025-02-01", reason: "extension", extendBy: 10)
            try ClockFixture.record(connection, id, "resume", on: "2025-02-05")
            try ClockFixture.record(connection, id, "delay", on: "2025-03-01", reason: "extension", extendBy: 5)

            let clock = try ClockFixture.clock(connection, id, asOf: "2025-03-02")
            #expect(clock.extensionUnits == 15)
            #expect(clock.target == 105)
            // 2025-04-06 + 15 calendar days.
            #expect(clock.deadline == Self.d("2025-04-21"))
        }
    }

    /// A delay for another reason (referral, hold...) neither pauses nor moves the clock.
    @Test(
        "a delay without --extend-by changes nothing", arguments: ["referral", "hold", "backlog", "other", "extension"])
    func delayWithoutExtension(reason: String) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.runOK(["app", "delay", "\(id)", "--reason", reason, "--on", "2025-05-15"], db)

            let clock = try ClockFixture.clock(connection, id, asOf: "2025-05-20")
            #expect(clock.deadline == Self.d("2025-06-12"))
            #expect(clock.extensionUnits == 0)
            #expect(clock.paused == 0)
            #expect(clock.elapsed == 29)
        }
    }

    /// extend_by belongs to a delay only, and must be positive: the CHECK constraint (23514).
    @Test("extend_by on a non-delay event is rejected (23514)", arguments: ["note", "request-info", "approve"])
    func extendByOnOtherEvents(event: String) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            let state = ClockFixture.sqlState {
                try connection.execute(
                    """
                    insert into application_events (application_id, event, occurred_on, note, extend_by)
                    values ($1::bigint, $2, date '2025-05-15', 'text', 10)
                    """, [id, event])
            }
            #expect(state == "23514")
            #expect(try ClockFixture.stored(connection, id)?.deadline == Self.d("2025-06-12"))
            #expect(
                try ClockFixture.value(connection, "select status from applications where id = $1::bigint", [id])
                    == "under_review")
        }
    }

    @Test("extend_by 0 or negative on a delay is rejected (23514)", arguments: [0, -3])
    func extendByNotPositive(units: Int) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            let state = ClockFixture.sqlState {
                try ClockFixture.record(connection, id, "delay", on: "2025-05-15", reason: "extension", extendBy: units)
            }
            #expect(state == "23514")
        }
    }

    @Test("app delay --extend-by 0 is a usage error (64)")
    func extendByZeroCLI() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            let outcome = try ClockFixture.run(
                ["app", "delay", "\(id)", "--reason", "extension", "--extend-by", "0", "--on", "2025-05-15"], db)
            ClockFixture.expectFailure(outcome, status: 64)
            #expect(
                try ClockFixture.value(connection, "select status from applications where id = $1::bigint", [id])
                    == "under_review")
        }
    }

    // MARK: Cycles

    /// BIS: submitted 2025-01-06, returned 2025-02-03, submitted again 2025-02-10. Cycle 2 has a fresh
    /// 90-day deadline from the resubmission (18 days in February, 31, 30, 11: 2025-05-11); cycle 1
    /// stays in application_clocks, closed by the return.
    @Test("BIS resubmission starts cycle 2")
    func resubmission() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.submitted(connection, authority: "BIS", on: "2025-01-06")
            try ClockFixture.runOK(["app", "return", "\(id)", "--on", "2025-02-03"], db)
            try ClockFixture.runOK(["app", "submit", "\(id)", "--on", "2025-02-10"], db)

            let sla = try ClockFixture.showSLA(db, id, asOf: "2025-02-20")
            #expect(sla.cycle == 2)
            #expect(sla.startedOn == "2025-02-10")
            #expect(sla.deadline == "2025-05-11")
            #expect(sla.target == 90)
            #expect(sla.elapsed == 10)
            #expect(sla.remaining == 80)
            #expect(sla.state == "on_track")

            let first = try #require(try ClockFixture.stored(connection, id, cycle: 1))
            #expect(first.startedOn == Self.d("2025-01-06"))
            #expect(first.endedOn == Self.d("2025-02-03"))
            #expect(first.endEvent == "return")
            #expect(first.deadline == Self.d("2025-04-06"))

            let second = try #require(try ClockFixture.stored(connection, id, cycle: 2))
            #expect(second.startedOn == Self.d("2025-02-10"))
            #expect(second.endedOn == nil)
            #expect(second.endEvent == nil)
            #expect(second.deadline == Self.d("2025-05-11"))
            #expect(
                try ClockFixture.value(
                    connection, "select count(*) from application_clocks where application_id = $1::bigint", [id])
                    == "2")

            // The list shows the current cycle's deadline.
            let rows = try ClockFixture.list(db, ["--as-of", "2025-04-20"])
            #expect(rows.map(\.id) == [id])
            #expect(rows.first?.deadline == "2025-05-11")
            #expect(rows.first?.slaState == "on_track")

            // As of a day before the resubmission, the clock is cycle 1's.
            let before = try ClockFixture.showSLA(db, id, asOf: "2025-02-07")
            #expect(before.cycle == 1)
            #expect(before.deadline == "2025-04-06")
        }
    }

    /// A MOFCOM cycle 2 starts at the new acceptance, not at the resubmission; a pause in cycle 1 does
    /// not carry over.
    @Test("MOFCOM cycle 2 starts at the second acceptance")
    func mofcomSecondCycle() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(
                connection, id,
                [
                    ("request-info", "2025-04-21"), ("return", "2025-05-06"), ("submit", "2025-05-07"),
                ])
            let waiting = try ClockFixture.clock(connection, id, asOf: "2025-05-08")
            #expect(waiting.cycle == 2)
            #expect(waiting.state == .notStarted)
            #expect(waiting.startedOn == nil)

            try ClockFixture.record(connection, id, "accept", on: "2025-05-09")
            let clock = try ClockFixture.clock(connection, id, asOf: "2025-05-12")
            #expect(clock.cycle == 2)
            #expect(clock.startedOn == Self.d("2025-05-09"))
            #expect(clock.paused == 0)
            #expect(clock.elapsed == 1)
            // 45 working days from Friday 2025-05-09: 05-12..05-30 (15), 06-03..06-30 (35; 06-02 off),
            // 07-01..07-04 (39), 07-07..07-11 (44), 07-14 (45).
            #expect(clock.deadline == Self.d("2025-07-14"))

            let first = try #require(try ClockFixture.stored(connection, id, cycle: 1))
            #expect(first.endEvent == "return")
            #expect(first.endedOn == Self.d("2025-05-06"))
            // The request was still open at the return: (04-21, 05-06] = 9 working days paused.
            #expect(first.pausedUnits == 9)
        }
    }
}
