import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// The clock the event verbs print (`sla_clock_stored()`: the stored clock projected onto a day)
/// against the one replayed from the log (`sla_clock_as_of()`), and the kept calendar certainty
/// against its definition (migration 0023).
@Suite("Stored clock")
struct StoredClockTests {
    typealias F = ClockFixture

    /// True when both functions give the same row (or both none) for the application on the day.
    static func agree(_ connection: PostgresConnection, _ id: Int64, on day: String?) throws -> Bool {
        try F.value(
            connection,
            """
            select ((select count(*) from (
                        (select * from sla_clock_stored($1::bigint, d.day)
                         except all
                         select * from sla_clock_as_of($1::bigint, d.day))
                        union all
                        (select * from sla_clock_as_of($1::bigint, d.day)
                         except all
                         select * from sla_clock_stored($1::bigint, d.day))) x) = 0)::text
            from applications a
            cross join lateral (select coalesce($2::date, authority_today(a.authority)) as day) d
            where a.id = $1::bigint
            """, [id, day]) == "true"
    }

    /// After every event of random histories (pauses, extensions, returns, decisions, notes), the
    /// stored clock projected onto the event's day and onto today equals the replayed one.
    @Test func theStoredClockEqualsTheReplayedOneAfterEveryEvent() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            var generator = SeededGenerator(seed: 10_2026)
            let lives: [[String]] = [
                ["submit", "accept", "request-info", "provide-info", "delay", "resume", "approve"],
                ["submit", "request-info", "provide-info", "accept", "delay", "deny"],
                ["submit", "return", "submit", "accept", "request-info", "note", "provide-info", "approve"],
                ["submit", "accept", "delay", "request-info", "withdraw"],
                ["submit", "accept", "request-info"],
            ]
            var checked = 0
            for n in 0..<20 {
                let authority = ["MOFCOM", "BIS", "ECJU", "BAFA"][n % 4]
                let id = try F.application(connection, authority: authority, createdOn: "2025-03-01")
                var day = F.date("2025-03-03")
                for event in lives[n % lives.count] {
                    day = day.adding(days: Int.random(in: 0...25, using: &generator))
                    let reason = event == "delay" ? (Bool.random(using: &generator) ? "extension" : "hold") : nil
                    let extendBy = reason == "extension" ? Int.random(in: 5...20, using: &generator) : nil
                    if event == "note" {
                        try connection.execute(
                            "insert into application_events (application_id, event, occurred_on, note) values ($1::bigint, 'note', $2::date, 'call')",
                            [id, day.description])
                    } else {
                        try F.record(connection, id, event, on: day.description, reason: reason, extendBy: extendBy)
                    }
                    #expect(
                        try Self.agree(connection, id, on: day.description),
                        "application \(id) after \(event) on \(day)")
                    #expect(try Self.agree(connection, id, on: nil), "application \(id) after \(event), as of today")
                    checked += 2
                }
            }
            #expect(checked > 100)
        }
    }

    /// The kept calendar_certainty equals its definition after calendars, days and provisional
    /// years change.
    @Test func calendarCertaintyIsKept() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let differs = """
                select count(*) from (
                    (select * from calendar_certainty except select * from calendar_certainty_bounds())
                    union all
                    (select * from calendar_certainty_bounds() except select * from calendar_certainty)) x
                """
            #expect(try F.value(connection, differs) == "0")
            #expect(try F.value(connection, "select count(*) from calendar_certainty") != "0")
            try connection.execute(
                "insert into calendars (code, name, time_zone) values ('TEST-CERT', 'Test', 'UTC')")
            #expect(try F.value(connection, differs) == "0")
            try connection.execute(
                """
                insert into calendar_days (calendar_code, day, is_working_day, working_day_index)
                select 'TEST-CERT', d::date, extract(isodow from d) < 6,
                       count(*) filter (where extract(isodow from d) < 6) over (order by d)
                from generate_series(date '2031-01-01', date '2031-12-31', interval '1 day') d
                """)
            #expect(try F.value(connection, differs) == "0")
            #expect(
                try F.value(
                    connection, "select uncertain_from::text from calendar_certainty where calendar = 'TEST-CERT'")
                    == "2032-01-01")
            try connection.execute("delete from calendar_days where calendar_code = 'TEST-CERT' and day > '2031-06-30'")
            #expect(try F.value(connection, differs) == "0")
            #expect(
                try F.value(
                    connection, "select uncertain_from::text from calendar_certainty where calendar = 'TEST-CERT'")
                    == "2031-07-01")
        }
    }
}
