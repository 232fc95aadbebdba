import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// A deadline that depends on CN 2027 (not yet published: provisional) must say so.
@Suite("Clock: provisional deadlines")
struct ClockProvisionalTests {
    private static func d(_ text: String) -> CivilDate { ClockFixture.date(text) }

    /// Accepted 2026-11-10: 14 working days left in November, 23 in December 2026, then 2027-01-01 is
    /// (provisionally) off: the 45th working day is 2027-01-13, on the provisional 2027 calendar.
    @Test("a MOFCOM clock reaching into 2027 is provisional; one in 2025 is not")
    func crossingIntoProvisionalYear() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let into2027 = try ClockFixture.acceptedMOFCOM(connection, on: "2026-11-10")
            let in2025 = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            // Accepted 2026-09-01: deadline 2026-11-09, entirely on official years.
            let in2026 = try ClockFixture.acceptedMOFCOM(connection, on: "2026-09-01")

            let shown = try ClockFixture.showSLA(db, into2027, asOf: "2026-11-28")
            #expect(shown.deadline == "2027-01-13")
            #expect(shown.provisional == true)
            #expect(shown.elapsed == 13)
            #expect(shown.state == "on_track")
            #expect(try ClockFixture.clock(connection, into2027, asOf: "2026-11-28").provisional == true)
            #expect(try ClockFixture.stored(connection, into2027)?.provisional == true)

            let plain = try ClockFixture.showSLA(db, in2025, asOf: "2025-05-20")
            #expect(plain.deadline == "2025-06-12")
            #expect(plain.provisional == false)
            #expect(try ClockFixture.clock(connection, in2025, asOf: "2025-05-20").provisional == false)
            #expect(try ClockFixture.stored(connection, in2025)?.provisional == false)

            let official2026 = try ClockFixture.showSLA(db, in2026, asOf: "2026-10-01")
            #expect(official2026.deadline == "2026-11-09")
            #expect(official2026.provisional == false)

            let rows = Dictionary(
                uniqueKeysWithValues: try ClockFixture.list(db, ["--authority", "MOFCOM"]).map { ($0.id, $0) })
            #expect(rows[into2027]?.provisional == true)
            #expect(rows[into2027]?.deadline == "2027-01-13")
            #expect(rows[in2025]?.provisional == false)
            #expect(rows[in2026]?.provisional == false)

            // The table marks the provisional deadline with *.
            let table = try ClockFixture.runOK(["app", "list", "--authority", "MOFCOM"], db).stdout
            #expect(table.contains("2027-01-13*"))
            #expect(!table.contains("2025-06-12*"))
        }
    }

    /// Accepted 2026-10-30: the 45th working day is Monday 2027-01-04, the first working day of 2027.
    @Test("a deadline on the first working day of 2027 is provisional")
    func deadlineJustInto2027() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2026-10-30")
            let stored = try #require(try ClockFixture.stored(connection, id))
            #expect(stored.deadline == Self.d("2027-01-04"))
            #expect(stored.provisional == true)
        }
    }

    /// Accepted Friday 2026-10-09 (deadline 2026-12-10), information requested Monday 2026-10-12 and
    /// still outstanding on 2026-11-28: 34 working days paused so far, so the deadline shown as of that
    /// day is 2027-01-28, on the provisional 2027 calendar. It must be marked provisional.
    @Test("a paused clock whose moving deadline reaches 2027 is provisional")
    func pausedIntoProvisionalYear() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2026-10-09")
            try ClockFixture.record(connection, id, "request-info", on: "2026-10-12")

            let shown = try ClockFixture.showSLA(db, id, asOf: "2026-11-28")
            #expect(shown.state == "paused")
            #expect(shown.paused == 34)
            #expect(shown.elapsed == 2)
            #expect(shown.deadline == "2027-01-28")
            #expect(shown.provisional == true, "deadline \(shown.deadline ?? "-") depends on CN 2027")
        }
    }

    /// An ECJU clock counts on GB-ENG, whose 2027 bank holidays are official: not provisional.
    @Test("GB-ENG 2027 is official: an ECJU clock into 2027 is not provisional")
    func officialCalendarInto2027() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            // Submitted 2026-11-27: 20 working days, across 12-25 and 12-28 (substitute day).
            let id = try ClockFixture.submitted(connection, authority: "ECJU", on: "2026-11-27")
            let stored = try #require(try ClockFixture.stored(connection, id))
            // 11-30 (1), 12-01..12-04 (5), 12-07..12-11 (10), 12-14..12-18 (15), 12-21..12-24 (19),
            // 12-29 (20).
            #expect(stored.deadline == Self.d("2026-12-29"))
            #expect(stored.provisional == false)

            // With a 60-day target it reaches into 2027 (01-01 off): still official.
            try ClockFixture.runOK(["policy", "set", "ECJU", "--target", "60"], db)
            let longer = try #require(try ClockFixture.stored(connection, id))
            #expect(longer.deadline.map { $0.year } == 2027)
            #expect(longer.provisional == false)
        }
    }

    /// Provisional is decided by the start and the deadline only (Docs/sla.md), on every surface:
    /// an as-of day beyond the loaded calendar does not make a clock provisional. ECJU submitted
    /// Monday 2025-03-03 (no bank holiday in March): the 20th working day is 2025-03-31.
    @Test("as of a day beyond the loaded calendar, a clock with a certain deadline is not provisional")
    func asOfBeyondTheCalendar() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let decided = try ClockFixture.submitted(connection, authority: "ECJU", on: "2025-03-03")
            try ClockFixture.record(connection, decided, "approve", on: "2025-03-20")
            let open = try ClockFixture.submitted(connection, authority: "ECJU", on: "2025-03-03")

            let shown = try ClockFixture.showSLA(db, decided, asOf: "2028-01-03")
            #expect(shown.state == "met")
            #expect(shown.deadline == "2025-03-31")
            #expect(shown.provisional == false)
            #expect(shown.elapsed == 13)

            // An open clock on such a day: its deadline is known and past, its elapsed units are not.
            let running = try ClockFixture.showSLA(db, open, asOf: "2028-01-03")
            #expect(running.state == "breached")
            #expect(running.deadline == "2025-03-31")
            #expect(running.provisional == false)
            #expect(running.elapsed == nil)

            let rows = Dictionary(
                uniqueKeysWithValues: try ClockFixture.list(db, ["--as-of", "2028-01-03"]).map { ($0.id, $0) })
            #expect(rows[decided]?.provisional == false)
            #expect(rows[decided]?.slaState == "met")
            #expect(rows[open]?.provisional == false)
            #expect(rows[open]?.slaState == "breached")
        }
    }
}
