import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// A rule change (policy set, policy update, calendar import) and an event on the same application,
/// forced to overlap: whichever commits first, the stored clock ends up as the log and the rules say.
///
/// The overlap is made real, not hoped for: one side is left open in a transaction, the other is
/// started on another connection, and the test waits until PostgreSQL shows it blocked on a lock
/// before the first side commits. Before migration 0006 the recompute could overwrite the event's
/// clock with values from its older snapshot (a lost breach alert), or the event could store a
/// clock computed under the old rules.
@Suite("Clock recompute races")
struct ClockRecomputeRaceTests {
    /// A rule change under test: the SQL a psql user or `lictrack policy set`/`calendar import` runs.
    struct RuleChange: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var sql: String
    }

    static let ruleChanges = [
        RuleChange(
            testDescription: "policy update",
            sql: "update sla_policies set target = 40 where authority = 'MOFCOM' and licence_type is null"),
        RuleChange(
            testDescription: "policy set for a new licence type",
            sql: """
                insert into sla_policies (authority, licence_type, start_status, target, unit, calendar)
                values ('MOFCOM', 'single', 'under_review', 40, 'working_days', 'CN')
                """),
        RuleChange(
            testDescription: "calendar import of unchanged days",
            sql: """
                select * from calendar_import('CN', (
                    select jsonb_agg(jsonb_build_object('date', day, 'working', is_working_day, 'name', name)
                                     order by day)
                    from calendar_days where calendar_code = 'CN' and day between '2025-05-01' and '2025-05-31'),
                    'test re-import')
                """),
    ]

    /// Which side holds its transaction open while the other one is started.
    enum Order: String, Sendable, CaseIterable {
        case eventFirst = "event first"
        case ruleFirst = "rule change first"
    }

    /// Runs `sql` on its own connection and thread; `wait` returns its SQLSTATE (nil: success).
    final class Background: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var outcome: String?
        private let connection: PostgresConnection
        let pid: Int

        init(_ db: TestDatabase, _ sql: String, _ parameters: [Int64]) throws {
            connection = try db.connect()
            pid = try #require(Int(try ClockFixture.value(connection, "select pg_backend_pid()") ?? ""))
            Thread {
                self.outcome = ClockFixture.sqlState { _ = try self.connection.execute(sql, parameters) }
                self.connection.close()
                self.done.signal()
            }.start()
        }

        func wait() -> String? {
            #expect(done.wait(timeout: .now() + 60) == .success, "the background statement never finished")
            return outcome
        }
    }

    /// Waits until backend `pid` is blocked on a lock; records an issue if it never is.
    static func waitUntilBlocked(_ pid: Int, observer: PostgresConnection) throws {
        for _ in 0..<400 {
            let wait = try ClockFixture.value(
                observer, "select wait_event_type from pg_stat_activity where pid = $1::int", [pid])
            if wait == "Lock" { return }
            usleep(25_000)
        }
        Issue.record("backend \(pid) never waited for a lock: the two sides did not overlap")
    }

    /// Open clocks whose stored values differ from what the log and the rules give now.
    static func staleClocks(_ connection: PostgresConnection) throws -> [String] {
        try connection.query(
            """
            select format('application %s: stored target %s deadline %s paused since %s; computed target %s deadline %s paused since %s',
                          k.application_id, k.target, k.deadline, k.pause_open_since,
                          s.target, s.deadline, s.pause_open_since) as drift
            from application_clocks k
            join sla_compute(array(select id from applications)) s using (application_id, cycle)
            where (k.target, k.deadline, k.warn_on, k.provisional, k.pause_open_since, k.paused_units, k.ended_on)
                  is distinct from
                  (s.target, s.deadline, s.warn_on, s.provisional, s.pause_open_since, s.paused_units, s.ended_on)
            order by 1
            """
        ).map { try $0.decode(String.self, "drift") }
    }

    @Test(
        "the stored clock reflects both the event and the new rules",
        arguments: ruleChanges, Order.allCases)
    func raceLeavesNoStaleClock(change: RuleChange, order: Order) throws {
        try TestDatabase.with { db in
            let setup = try db.connect()
            defer { setup.close() }
            // Accepted 2025-04-07, paused by a request for information on 2025-04-21.
            let id = try ClockFixture.acceptedMOFCOM(setup, on: "2025-04-07")
            try ClockFixture.record(setup, id, "request-info", on: "2025-04-21")
            let event = """
                insert into application_events (application_id, event, occurred_on)
                values ($1::bigint, 'provide-info', date '2025-05-06')
                """

            let holder = try db.connect()
            defer { holder.close() }
            let observer = try db.connect()
            defer { observer.close() }

            try holder.execute("begin")
            if order == .eventFirst {
                try holder.execute(event, [id])
            } else {
                try holder.execute(change.sql)
            }
            let other = try order == .eventFirst ? Background(db, change.sql, []) : Background(db, event, [id])
            try Self.waitUntilBlocked(other.pid, observer: observer)
            try holder.execute("commit")
            #expect(other.wait() == nil)

            #expect(try Self.staleClocks(setup) == [])
            let stored = try #require(try ClockFixture.stored(setup, id))
            #expect(stored.pauseOpenSince == nil, "the reply must have closed the pause")
            #expect(
                stored.target == (change.testDescription == "calendar import of unchanged days" ? 45 : 40),
                "the clock must count under the rules in force after both commits")
        }
    }
}
