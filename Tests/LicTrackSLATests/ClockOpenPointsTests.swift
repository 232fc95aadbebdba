import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// The two cases Docs/sla.md ("The counting convention", rules 3 and 5) settles explicitly: an
/// extension granted after a request that came after the deadline, and a reply on a non-working
/// day to a request made on the deadline day. Every expected value is counted by hand on the CN
/// calendar of 2025 (Dragon Boat Festival 2025-05-31 to 06-02; June has no other holiday).
@Suite("Clock: the cases Docs/sla.md settles")
struct ClockOpenPointsTests {
    private static func d(_ text: String) -> CivilDate { ClockFixture.date(text) }

    /// Accepted Monday 2025-04-07: deadline Thursday 2025-06-12. Asked for information on 06-16,
    /// after the deadline, so the request pauses nothing and the clock is breached. Answered on
    /// 06-20. Then, on 06-23, MOFCOM extends the time limit by 10 working days: the deadline
    /// becomes 06-26 (06-13, 06-16..06-20, 06-23..06-26), the request of 06-16 now came before
    /// that deadline, and its four working days (06-17..06-20) count as paused after all: the
    /// deadline moves on to 07-02 (06-27, 06-30, 07-01, 07-02).
    @Test("an extension granted after a late request makes that request's pause count")
    func extensionAfterLateRequest() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(connection, id, [("request-info", "2025-06-16"), ("provide-info", "2025-06-20")])
            let before = try ClockFixture.clock(connection, id, asOf: "2025-06-20")
            #expect(before.state == .breached)
            #expect(before.deadline == Self.d("2025-06-12"))
            #expect(before.paused == 0)

            try ClockFixture.runOK(
                ["app", "delay", "\(id)", "--reason", "extension", "--extend-by", "10", "--on", "2025-06-23"], db)

            let stored = try #require(try ClockFixture.stored(connection, id))
            #expect(stored.extensionUnits == 10)
            #expect(stored.pausedUnits == 4)
            #expect(stored.deadline == Self.d("2025-07-02"))

            // (04-07, 06-23]: 45 to 06-12, then 06-13, 06-16..06-20, 06-23 = 52, less 4 paused = 48 of 55.
            let granted = try ClockFixture.showSLA(db, id, asOf: "2025-06-23")
            #expect(granted.target == 55)
            #expect(granted.extension == 10)
            #expect(granted.paused == 4)
            #expect(granted.elapsed == 48)
            #expect(granted.remaining == 7)
            #expect(granted.deadline == "2025-07-02")
            #expect(granted.state == "on_track")
            #expect(try ClockFixture.clock(connection, id, asOf: "2025-07-02").state == .dueSoon)
            #expect(try ClockFixture.clock(connection, id, asOf: "2025-07-03").state == .breached)
            // The days before the extension was granted still read as they stood then.
            #expect(try ClockFixture.showSLA(db, id, asOf: "2025-06-20").state == "breached")
            #expect(try ClockFixture.showSLA(db, id, asOf: "2025-06-20").deadline == "2025-06-12")
        }
    }

    /// Accepted Tuesday 2025-04-08: deadline Friday 2025-06-13. Asked for information that Friday
    /// (the deadline day counts, rule 3), answered on Saturday 06-14: (06-13, 06-14] holds no
    /// working day, so nothing is paused and the deadline stays Friday 06-13, not the reply day.
    /// From Saturday on the clock is breached, with 45 of 45 used; Monday 06-16 is day 46.
    /// Answered on Monday instead, the pause would hold 06-16 and the deadline would be 06-16.
    @Test("a reply on a non-working day to a request on the deadline day pauses nothing")
    func weekendReplyToDeadlineDayRequest() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let weekend = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-08")
            let monday = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-08")
            #expect(try ClockFixture.stored(connection, weekend)?.deadline == Self.d("2025-06-13"))
            try ClockFixture.record(connection, weekend, "request-info", on: "2025-06-13")
            #expect(try ClockFixture.clock(connection, weekend, asOf: "2025-06-14").state == .paused)

            try ClockFixture.record(connection, weekend, "provide-info", on: "2025-06-14")
            let stored = try #require(try ClockFixture.stored(connection, weekend))
            #expect(stored.pausedUnits == 0)
            #expect(stored.pauseOpenSince == nil)
            #expect(stored.deadline == Self.d("2025-06-13"))

            let saturday = try ClockFixture.showSLA(db, weekend, asOf: "2025-06-14")
            #expect(saturday.state == "breached")
            #expect(saturday.deadline == "2025-06-13")
            #expect(saturday.paused == 0)
            #expect(saturday.elapsed == 45)
            #expect(saturday.remaining == 0)
            let nextMonday = try ClockFixture.showSLA(db, weekend, asOf: "2025-06-16")
            #expect(nextMonday.state == "breached")
            #expect(nextMonday.elapsed == 46)
            #expect(nextMonday.remaining == -1)

            try ClockFixture.record(
                connection, monday, [("request-info", "2025-06-13"), ("provide-info", "2025-06-16")])
            let answeredMonday = try ClockFixture.showSLA(db, monday, asOf: "2025-06-16")
            #expect(answeredMonday.paused == 1)
            #expect(answeredMonday.deadline == "2025-06-16")
            #expect(answeredMonday.state == "due_soon")
        }
    }
}
