import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// The worked examples of regimes.md, on the CN calendar of calendar-facts.md.
///
/// Every expected date and count below was worked out by hand from calendar-facts.md (days off and
/// make-up working days), not read back from the seeded calendar.
@Suite("MOFCOM clock: the worked examples")
struct ClockWorkedExampleTests {
    private static func d(_ text: String) -> CivilDate { ClockFixture.date(text) }

    /// Accepted on Monday 2025-04-07: the 45th working day after it is 2025-06-12.
    @Test("accepted 2025-04-07: deadline 2025-06-12")
    func deadlineWithoutPause() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")

            let clock = try ClockFixture.clock(connection, id, asOf: "2025-04-21")
            #expect(clock.cycle == 1)
            #expect(clock.target == 45)
            #expect(clock.extensionUnits == 0)
            #expect(clock.unit == "working_days")
            #expect(clock.calendar == "CN")
            #expect(clock.startedOn == Self.d("2025-04-07"))
            #expect(clock.deadline == Self.d("2025-06-12"))
            // (04-07, 04-21]: 04-08..04-11 and 04-14..04-18 (04-04 is before the start), 04-21.
            #expect(clock.elapsed == 10)
            #expect(clock.remaining == 35)
            #expect(clock.paused == 0)
            #expect(clock.state == .onTrack)
            #expect(clock.provisional == false)

            let stored = try #require(try ClockFixture.stored(connection, id))
            #expect(stored.deadline == Self.d("2025-06-12"))
            #expect(stored.startedOn == Self.d("2025-04-07"))
            #expect(stored.pausedUnits == 0)
            // due_soon from 5 working days before the deadline: the 40th working day.
            #expect(stored.warnOn == Self.d("2025-06-05"))
        }
    }

    /// The clock of the paused worked example on one day.
    struct Expected: Sendable, CustomTestStringConvertible {
        var asOf: String
        var deadline: String
        var elapsed: Int
        var remaining: Int
        var paused: Int
        var state: SLAClock.State
        var testDescription: String { "as of \(asOf): \(state.rawValue), deadline \(deadline)" }
    }

    /// Paused from 2025-04-21 (request-info) to 2025-05-06 (provide-info): 9 working days skipped
    /// (04-22..04-25, Sunday 04-27, 04-28..04-30, 05-06), deadline 2025-06-25. Before the reply the
    /// deadline moves one working day with each working day of pause.
    static let pausedExample: [Expected] = [
        // Before the request: the plain clock.
        Expected(asOf: "2025-04-18", deadline: "2025-06-12", elapsed: 9, remaining: 36, paused: 0, state: .onTrack),
        // The request day itself: paused, nothing paused yet.
        Expected(asOf: "2025-04-21", deadline: "2025-06-12", elapsed: 10, remaining: 35, paused: 0, state: .paused),
        // Mid-pause: 04-22..04-25, 04-27, 04-28..04-30 = 8 working days paused so far.
        Expected(asOf: "2025-04-30", deadline: "2025-06-24", elapsed: 10, remaining: 35, paused: 8, state: .paused),
        // The reply day: the pause is closed and 05-06 was still paused.
        Expected(asOf: "2025-05-06", deadline: "2025-06-25", elapsed: 10, remaining: 35, paused: 9, state: .onTrack),
        // (04-07, 05-20] has 29 working days, 9 of them paused.
        Expected(asOf: "2025-05-20", deadline: "2025-06-25", elapsed: 20, remaining: 25, paused: 9, state: .onTrack),
        Expected(asOf: "2025-06-17", deadline: "2025-06-25", elapsed: 39, remaining: 6, paused: 9, state: .onTrack),
        Expected(asOf: "2025-06-18", deadline: "2025-06-25", elapsed: 40, remaining: 5, paused: 9, state: .dueSoon),
        Expected(asOf: "2025-06-25", deadline: "2025-06-25", elapsed: 45, remaining: 0, paused: 9, state: .dueSoon),
        Expected(asOf: "2025-06-26", deadline: "2025-06-25", elapsed: 46, remaining: -1, paused: 9, state: .breached),
    ]

    private static func pausedExampleApplication(_ connection: PostgresConnection) throws -> Int64 {
        let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
        try ClockFixture.record(connection, id, [("request-info", "2025-04-21"), ("provide-info", "2025-05-06")])
        return id
    }

    @Test("paused 2025-04-21..2025-05-06 through ClockStore", arguments: pausedExample)
    func pausedThroughClockStore(expected: Expected) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try Self.pausedExampleApplication(connection)

            let clock = try ClockFixture.clock(connection, id, asOf: expected.asOf)
            #expect(clock.asOf == Self.d(expected.asOf))
            #expect(clock.deadline == Self.d(expected.deadline))
            #expect(clock.elapsed == expected.elapsed)
            #expect(clock.remaining == expected.remaining)
            #expect(clock.paused == expected.paused)
            #expect(clock.state == expected.state)
            #expect(clock.target == 45)
            #expect(clock.provisional == false)
        }
    }

    @Test("paused 2025-04-21..2025-05-06 through app show --as-of --format json", arguments: pausedExample)
    func pausedThroughShow(expected: Expected) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try Self.pausedExampleApplication(connection)

            let sla = try ClockFixture.showSLA(db, id, asOf: expected.asOf)
            #expect(
                sla
                    == ClockFixture.ShownClock(
                        asOf: expected.asOf, cycle: 1, target: 45, extension: 0, unit: "working_days", calendar: "CN",
                        startedOn: "2025-04-07", deadline: expected.deadline, elapsed: expected.elapsed,
                        remaining: expected.remaining, paused: expected.paused, state: expected.state.rawValue,
                        provisional: false))
        }
    }

    /// The stored clock after the reply: 9 paused units, deadline 2025-06-25, due_soon from 2025-06-18.
    @Test("paused example: stored clock")
    func pausedStored() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try Self.pausedExampleApplication(connection)
            let stored = try #require(try ClockFixture.stored(connection, id))
            #expect(stored.pausedUnits == 9)
            #expect(stored.pauseOpenSince == nil)
            #expect(stored.deadline == Self.d("2025-06-25"))
            #expect(stored.warnOn == Self.d("2025-06-18"))
        }
    }

    /// While the pause is open, the stored clock keeps the deadline before the pause and the day it began.
    @Test("open pause: stored clock")
    func openPauseStored() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(connection, id, "request-info", on: "2025-04-21")
            let stored = try #require(try ClockFixture.stored(connection, id))
            #expect(stored.pauseOpenSince == Self.d("2025-04-21"))
            #expect(stored.pausedUnits == 0)
            #expect(stored.deadline == Self.d("2025-06-12"))
        }
    }

    /// The JSON `sla` object carries every documented key.
    @Test("app show --format json: the sla object's keys")
    func showKeys() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            let outcome = try ClockFixture.runOK(
                ["app", "show", "\(id)", "--as-of", "2025-05-20", "--format", "json"], db)
            let object = try #require(try outcome.json() as? [String: Any])
            let sla = try #require(object["sla"] as? [String: Any])
            let documented: Set = [
                "cycle", "target", "unit", "calendar", "started_on", "deadline", "elapsed", "remaining", "paused",
                "state", "provisional",
            ]
            #expect(documented.isSubset(of: Set(sla.keys)), "keys: \(sla.keys.sorted())")
        }
    }

    // MARK: Make-up working days

    /// Accepted Friday 2025-04-25: Sunday 04-27 is a make-up working day and is the 1st working day.
    @Test("Sunday 2025-04-27 (make-up working day) counts")
    func makeUpSundayCounts() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-25")

            #expect(try ClockFixture.clock(connection, id, asOf: "2025-04-26").elapsed == 0)
            #expect(try ClockFixture.clock(connection, id, asOf: "2025-04-27").elapsed == 1)
            #expect(try ClockFixture.clock(connection, id, asOf: "2025-04-28").elapsed == 2)
            // 05-01, 05-02 and 05-05 are off; 06-02 is off.
            #expect(try ClockFixture.clock(connection, id, asOf: "2025-05-06").elapsed == 5)
            // 45 working days: 04-27, 04-28..04-30 (4); 05-06..05-09, 05-12..05-30 (19: 23); 06-03..06-06,
            // 06-09..06-30 (20: 43); 07-01, 07-02 (45).
            #expect(try ClockFixture.clock(connection, id, asOf: "2025-04-28").deadline == Self.d("2025-07-02"))
            #expect(try ClockFixture.stored(connection, id)?.deadline == Self.d("2025-07-02"))
        }
    }

    /// Accepted Friday 2025-01-24, across Spring Festival 2025: Sunday 01-26 and Saturday 02-08 are
    /// working days, 01-28..01-31, 02-03 and 02-04 are not.
    @Test("across Spring Festival 2025")
    func springFestival() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-01-24")

            let elapsed: [(String, Int)] = [
                ("2025-01-25", 0),  // Saturday
                ("2025-01-26", 1),  // Sunday, make-up working day
                ("2025-01-27", 2),
                ("2025-02-04", 2),  // 01-28..02-04 off (the weekend 02-01, 02-02 too)
                ("2025-02-07", 5),  // 02-05, 02-06, 02-07
                ("2025-02-08", 6),  // Saturday, make-up working day
                ("2025-02-09", 6),
                ("2025-02-10", 7),
            ]
            for (asOf, count) in elapsed {
                #expect(try ClockFixture.clock(connection, id, asOf: asOf).elapsed == count, "as of \(asOf)")
            }
            // 7 by 02-10; 02-11..02-14 (11), 02-17..02-28 (21), March (21 working days: 42), 04-01..04-03 (45).
            let clock = try ClockFixture.clock(connection, id, asOf: "2025-02-10")
            #expect(clock.deadline == Self.d("2025-04-03"))
            #expect(clock.remaining == 38)
        }
    }

    // MARK: Pauses

    /// A pause across Golden Week 2025 (10-01..10-03 and 10-06..10-08 off; Sunday 09-28 and
    /// Saturday 10-11 working). The clock was accepted Monday 2025-09-01; unpaused its deadline is
    /// 2025-11-07.
    struct GoldenWeekPause: Sendable, CustomTestStringConvertible {
        var request: String
        var reply: String
        var paused: Int
        var deadline: String
        var testDescription: String { "\(request)..\(reply): \(paused) paused, deadline \(deadline)" }
    }

    static let goldenWeekPauses: [GoldenWeekPause] = [
        // (09-26, 10-10]: Sun 09-28, 09-29, 09-30, 10-09, 10-10 (Sat 10-11 is after the reply).
        GoldenWeekPause(request: "2025-09-26", reply: "2025-10-10", paused: 5, deadline: "2025-11-14"),
        // (09-26, 10-11]: the same and Saturday 10-11.
        GoldenWeekPause(request: "2025-09-26", reply: "2025-10-11", paused: 6, deadline: "2025-11-17"),
        // (09-27, 10-09]: Sun 09-28, 09-29, 09-30, 10-09.
        GoldenWeekPause(request: "2025-09-27", reply: "2025-10-09", paused: 4, deadline: "2025-11-13"),
        // (09-30, 10-08]: the whole holiday, no working day.
        GoldenWeekPause(request: "2025-09-30", reply: "2025-10-08", paused: 0, deadline: "2025-11-07"),
    ]

    @Test("pause across Golden Week 2025", arguments: goldenWeekPauses)
    func goldenWeek(pause: GoldenWeekPause) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-09-01")
            #expect(try ClockFixture.stored(connection, id)?.deadline == Self.d("2025-11-07"))
            try ClockFixture.record(connection, id, [("request-info", pause.request), ("provide-info", pause.reply)])

            let stored = try #require(try ClockFixture.stored(connection, id))
            #expect(stored.pausedUnits == pause.paused)
            #expect(stored.deadline == Self.d(pause.deadline))
            let clock = try ClockFixture.clock(connection, id, asOf: "2025-10-20")
            #expect(clock.paused == pause.paused)
            #expect(clock.deadline == Self.d(pause.deadline))
            #expect(clock.state == .onTrack)
        }
    }

    /// Request and reply on the same day: nothing paused, the deadline stays 2025-06-12.
    @Test("same-day request and reply: 0 paused")
    func sameDayPause() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(connection, id, [("request-info", "2025-04-21"), ("provide-info", "2025-04-21")])

            let clock = try ClockFixture.clock(connection, id, asOf: "2025-04-21")
            #expect(clock.paused == 0)
            #expect(clock.deadline == Self.d("2025-06-12"))
            #expect(clock.elapsed == 10)
            #expect(clock.state == .onTrack)
            let stored = try #require(try ClockFixture.stored(connection, id))
            #expect(stored.pausedUnits == 0)
            #expect(stored.pauseOpenSince == nil)
            #expect(stored.deadline == Self.d("2025-06-12"))
        }
    }

    /// A request after the deadline (2025-06-12) has passed changes nothing: still breached, open or closed.
    @Test("a pause that starts after the deadline changes nothing")
    func pauseAfterDeadline() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(connection, id, "request-info", on: "2025-06-16")

            // While the request is open.
            let during = try ClockFixture.clock(connection, id, asOf: "2025-06-18")
            #expect(during.state == .breached)
            #expect(during.deadline == Self.d("2025-06-12"))
            #expect(during.paused == 0)
            let open = try #require(try ClockFixture.stored(connection, id))
            #expect(open.pauseOpenSince == nil)
            #expect(open.deadline == Self.d("2025-06-12"))

            try ClockFixture.record(connection, id, "provide-info", on: "2025-06-20")
            let after = try ClockFixture.clock(connection, id, asOf: "2025-06-30")
            #expect(after.state == .breached)
            #expect(after.deadline == Self.d("2025-06-12"))
            #expect(after.paused == 0)
            let closed = try #require(try ClockFixture.stored(connection, id))
            #expect(closed.pausedUnits == 0)
            #expect(closed.deadline == Self.d("2025-06-12"))
            #expect(try ClockFixture.showSLA(db, id, asOf: "2025-06-30").state == "breached")
        }
    }

    /// A second pause counts if it begins before the deadline as the first pause set it (2025-06-25),
    /// even though that is after the original deadline (2025-06-12); a third one after 2025-06-27 does not.
    @Test("later pauses are judged against the deadline the earlier ones set")
    func successivePauses() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try Self.pausedExampleApplication(connection)
            // (06-20, 06-24]: 06-23, 06-24: deadline 2025-06-25 + 2 working days.
            try ClockFixture.record(connection, id, [("request-info", "2025-06-20"), ("provide-info", "2025-06-24")])
            let second = try #require(try ClockFixture.stored(connection, id))
            #expect(second.pausedUnits == 11)
            #expect(second.deadline == Self.d("2025-06-27"))
            #expect(try ClockFixture.clock(connection, id, asOf: "2025-06-27").state == .dueSoon)

            // After 2025-06-27: changes nothing.
            try ClockFixture.record(connection, id, [("request-info", "2025-06-30"), ("provide-info", "2025-07-02")])
            let third = try #require(try ClockFixture.stored(connection, id))
            #expect(third.pausedUnits == 11)
            #expect(third.deadline == Self.d("2025-06-27"))
            let clock = try ClockFixture.clock(connection, id, asOf: "2025-07-03")
            #expect(clock.state == .breached)
            #expect(clock.paused == 11)
            #expect(clock.deadline == Self.d("2025-06-27"))
        }
    }

    /// A request on the deadline day itself is not after the deadline has passed (breached is "D after
    /// the deadline"): the clock is still running that day, so the working days in (request, reply]
    /// push the deadline back. 2025-06-12 to Monday 2025-06-16 pauses 06-13 and 06-16: deadline 2025-06-16.
    @Test("a pause that starts on the deadline day counts")
    func pauseOnDeadlineDay() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            #expect(try ClockFixture.clock(connection, id, asOf: "2025-06-12").state == .dueSoon)
            try ClockFixture.record(connection, id, [("request-info", "2025-06-12"), ("provide-info", "2025-06-16")])

            let clock = try ClockFixture.clock(connection, id, asOf: "2025-06-16")
            #expect(clock.paused == 2)
            #expect(clock.deadline == Self.d("2025-06-16"))
            #expect(clock.state == .dueSoon)
            #expect(try ClockFixture.clock(connection, id, asOf: "2025-06-17").state == .breached)
        }
    }
}
