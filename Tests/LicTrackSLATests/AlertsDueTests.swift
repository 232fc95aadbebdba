import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// One rule for what is due and at which level: `alerts_due()` (migration 0019), which `alerts run`
/// raises from and `alerts check` counts, both derived from `clock_state()`.
@Suite("Alerts: one rule for what is due")
struct AlertsDueTests {
    typealias F = AlertFixture

    /// A BIS application submitted `days` days before today in New York (90 calendar days, warned
    /// 5 before: due soon from day 85, breached from day 91).
    static func bis(daysAgo days: Int, _ connection: PostgresConnection) throws -> Int64 {
        let date = try #require(
            try F.scalar(connection, "select (authority_today('BIS') - $1::integer)::text as v", [days]))
        return try F.bis(connection, submittedOn: date)
    }

    /// The day `days` days before today in New York.
    static func bisDay(daysAgo days: Int, _ connection: PostgresConnection) throws -> String {
        try #require(try F.scalar(connection, "select (authority_today('BIS') - $1::integer)::text as v", [days]))
    }

    /// `alerts check`'s counts, from its performance data: `| breached=N due_soon=M`.
    static func checkCounts(_ db: TestDatabase) throws -> (status: Int32, breached: Int, dueSoon: Int) {
        let outcome = try F.run(["alerts", "check"], db)
        if outcome.status == 0 {
            #expect(outcome.stdout == "LICTRACK OK - no pending alerts\n")
            return (0, 0, 0)
        }
        let perfdata = try #require(outcome.stdout.split(separator: "|").last, "\(outcome)")
        var values: [String: Int] = [:]
        for pair in perfdata.split(separator: " ") {
            let parts = pair.split(separator: "=")
            if parts.count == 2 {
                values[String(parts[0])] = Int(parts[1].trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        return (
            outcome.status, try #require(values["breached"], "\(outcome)"),
            try #require(values["due_soon"], "\(outcome)")
        )
    }

    /// Unacknowledged deadline alerts, counted per application cycle by their worst level.
    static func raisedCounts(_ connection: PostgresConnection) throws -> (breached: Int, dueSoon: Int) {
        let row = try connection.query(
            """
            select count(*) filter (where w.breached) as breached, count(*) filter (where not w.breached) as due_soon
            from (select application_id, cycle, bool_or(level = 'breached') as breached
                  from sla_alerts where acknowledged_at is null and level <> 'supply_risk'
                  group by application_id, cycle) w
            """)[0]
        return (try row.decode(Int.self, "breached"), try row.decode(Int.self, "due_soon"))
    }

    /// One clock warned five days ago (by a run as of that day) and breached now (93 days); then two
    /// breached (95 and 120 days), two due soon (86 and 87 days), one on track (10 days), one paused
    /// while due soon (88 days, asked for information yesterday) and one decided late, never alerted.
    static func mixedClocks(_ connection: PostgresConnection, _ db: TestDatabase) throws {
        _ = try bis(daysAgo: 93, connection)
        try F.ok(["alerts", "run", "--as-of", try bisDay(daysAgo: 5, connection)], db)
        _ = try bis(daysAgo: 95, connection)
        _ = try bis(daysAgo: 120, connection)
        _ = try bis(daysAgo: 86, connection)
        _ = try bis(daysAgo: 87, connection)
        _ = try bis(daysAgo: 10, connection)
        let paused = try bis(daysAgo: 88, connection)
        try connection.execute(
            "insert into application_events (application_id, event, occurred_on) values ($1::bigint, 'request-info', $2::date)",
            [paused, try bisDay(daysAgo: 1, connection)])
        let decided = try bis(daysAgo: 100, connection)
        try connection.execute(
            "insert into application_events (application_id, event, occurred_on) values ($1::bigint, 'approve', $2::date)",
            [decided, try bisDay(daysAgo: 2, connection)])
    }

    @Test("alerts check counts, per level, exactly what alerts run then raises; afterwards check says the same")
    func checkAndRunAgree() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try Self.mixedClocks(connection, db)
            // Only the one warned 5 days ago (on its day 88) has an alert so far.
            let earlier = try Self.raisedCounts(connection)
            #expect(earlier.breached == 0 && earlier.dueSoon == 1)

            let before = try Self.checkCounts(db)
            // Breached: 95, 120 and the one warned earlier (93). Due soon: 86, 87.
            #expect(before.status == 2)
            #expect(before.breached == 3)
            #expect(before.dueSoon == 2)

            try F.ok(["alerts", "run"], db)
            let raised = try Self.raisedCounts(connection)
            #expect(raised.breached == before.breached)
            #expect(raised.dueSoon == before.dueSoon)
            #expect(try F.scalar(connection, "select count(*)::text as v from alerts_due(null)") == "0")

            let after = try Self.checkCounts(db)
            #expect(after.breached == before.breached && after.dueSoon == before.dueSoon && after.status == 2)
        }
    }

    @Test("the level of every due clock is its state that day, as app list shows it")
    func levelIsTheClockState() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try Self.mixedClocks(connection, db)
            let due = try connection.query("select application_id, level from alerts_due(null) order by 1").map {
                (try $0.decode(Int64.self, "application_id"), try $0.decode(String.self, "level"))
            }
            #expect(due.count == 5)
            let listed = Dictionary(
                uniqueKeysWithValues: try ClockFixture.list(db, ["--authority", "BIS"]).map { ($0.id, $0.slaState) })
            for (id, level) in due {
                #expect(
                    listed[id] == level, "application \(id): alerts_due says \(level), app list \(listed[id] ?? "-")")
            }
        }
    }

    /// Replacing the rule in the database changes both commands: neither keeps a copy of its own.
    @Test("alerts check and alerts run both follow alerts_due(), whatever it says")
    func bothFollowTheOneRule() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            _ = try Self.bis(daysAgo: 10, connection)
            _ = try Self.bis(daysAgo: 20, connection)
            #expect(try Self.checkCounts(db).status == 0)
            // A different rule: every running clock is breached today.
            try connection.execute(
                """
                create or replace function alerts_due(p_as_of date default null)
                returns table (application_id bigint, cycle integer, authority text, deadline date, as_of date,
                               level text)
                language sql stable as $$
                    select k.application_id, k.cycle, k.authority, k.deadline,
                           coalesce(p_as_of, authority_today(k.authority)), 'breached'
                    from application_clocks k
                    where k.started_on is not null and k.ended_on is null and k.next_alert_on is not null
                $$
                """)
            let check = try Self.checkCounts(db)
            #expect(check.status == 2)
            #expect(check.breached == 2 && check.dueSoon == 0)
            try F.ok(["alerts", "run"], db)
            let raised = try Self.raisedCounts(connection)
            #expect(raised.breached == 2 && raised.dueSoon == 0)
        }
    }
}
