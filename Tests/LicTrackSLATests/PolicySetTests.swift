import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// `sla_policy_set()` (migration 0019): what `lictrack policy set` means, in SQL, for psql users
/// too; and two first sets of the same policy, forced to overlap, both succeed.
@Suite("SLA policies: sla_policy_set")
struct PolicySetTests {
    typealias Race = ClockRecomputeRaceTests

    /// The policy of an authority and licence type (NULL: the default), as `target unit calendar
    /// pauses warn start`, or nil.
    static func policy(
        _ connection: PostgresConnection, _ authority: String, _ licenceType: String?
    ) throws
        -> String?
    {
        try ClockFixture.value(
            connection,
            """
            select concat_ws(' ', target, unit, coalesce(calendar, '-'), pause_statuses::text, warn_before,
                             start_status)
            from sla_policies where authority = $1 and licence_type is not distinct from $2::licence_type
            """, [authority, licenceType])
    }

    @Test("a psql user gets what policy set does: a copy of the default, calendar days without a calendar")
    func meaning() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try connection.execute("select * from sla_policy_set('MOFCOM', 'general', p_target => 30)")
            #expect(
                try Self.policy(connection, "MOFCOM", "general") == "30 working_days CN {info_requested} 5 under_review"
            )
            try connection.execute("select * from sla_policy_set('MOFCOM', 'general', p_warn_before => 3)")
            #expect(
                try Self.policy(connection, "MOFCOM", "general") == "30 working_days CN {info_requested} 3 under_review"
            )
            #expect(try Self.policy(connection, "MOFCOM", nil) == "45 working_days CN {info_requested} 5 under_review")

            // ECJU in calendar days: the calendar goes, unless one is given.
            try connection.execute("select * from sla_policy_set('ECJU', p_unit => 'calendar_days', p_target => 28)")
            #expect(try Self.policy(connection, "ECJU", nil) == "28 calendar_days - {info_requested} 5 submitted")
            try connection.execute(
                "select * from sla_policy_set('ECJU', p_unit => 'working_days', p_calendar => 'GB-ENG')")
            #expect(try Self.policy(connection, "ECJU", nil) == "28 working_days GB-ENG {info_requested} 5 submitted")
        }
    }

    @Test("an authority's first policy needs a start, a target and a unit; the rest are the table's defaults")
    func firstPolicy() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try connection.execute(
                "insert into authorities (code, name, country, time_zone) values ('METI', 'METI', 'JP', 'Asia/Tokyo')")
            #expect(
                ClockFixture.sqlState { try connection.execute("select * from sla_policy_set('METI', p_target => 60)") }
                    == "LT007")
            #expect(
                ClockFixture.sqlState { try connection.execute("select * from sla_policy_set('NOPE', p_target => 60)") }
                    == "LT404")
            try connection.execute(
                """
                select * from sla_policy_set('METI', p_start_status => 'submitted', p_target => 90,
                                             p_unit => 'calendar_days')
                """)
            #expect(try Self.policy(connection, "METI", nil) == "90 calendar_days - {info_requested} 5 submitted")

            let outcome = try ClockFixture.run(["policy", "set", "NOPE", "--target", "3"], db)
            ClockFixture.expectFailure(outcome, status: 66)
        }
    }

    /// Two first sets of MOFCOM's general-licence policy: the second waits for the first, then
    /// changes what the first created. Both changes are kept.
    @Test("two concurrent first sets of one policy (SQL): no unique violation, both changes kept")
    func concurrentFirstSetsInSQL() throws {
        try TestDatabase.with { db in
            let setup = try db.connect()
            defer { setup.close() }
            let holder = try db.connect()
            defer { holder.close() }
            let observer = try db.connect()
            defer { observer.close() }

            try holder.execute("begin")
            try holder.execute("select * from sla_policy_set('MOFCOM', 'general', p_target => 30)")
            let other = try Race.Background(
                db, "select * from sla_policy_set('MOFCOM', 'general', p_warn_before => 3)", [])
            try Race.waitUntilBlocked(other.pid, observer: observer)
            try holder.execute("commit")
            #expect(other.wait() == nil)

            #expect(try Self.policy(setup, "MOFCOM", "general") == "30 working_days CN {info_requested} 3 under_review")
            #expect(
                try ClockFixture.value(setup, "select count(*) from sla_policies where authority = 'MOFCOM'") == "2")
        }
    }

    /// The same through the CLI, against a psql user's plain INSERT of the policy held open: before
    /// migration 0019 `policy set` checked, then inserted, and failed with a unique violation (65).
    @Test("policy set waits for a concurrent first insert of the same policy, then changes it (exit 0)")
    func concurrentFirstSetThroughCLI() throws {
        try TestDatabase.with { db in
            let setup = try db.connect()
            defer { setup.close() }
            let holder = try db.connect()
            defer { holder.close() }
            let observer = try db.connect()
            defer { observer.close() }

            try holder.execute("begin")
            try holder.execute(
                """
                insert into sla_policies (authority, licence_type, start_status, target, unit, calendar)
                values ('MOFCOM', 'general', 'under_review', 40, 'working_days', 'CN')
                """)
            let running = LicTrackBinary.start(
                ["policy", "set", "MOFCOM", "--licence-type", "general", "--target", "35"], database: db)
            var pid: Int?
            for _ in 0..<400 where pid == nil {
                pid = try ClockFixture.value(
                    observer,
                    """
                    select pid::text from pg_stat_activity
                    where datname = current_database() and application_name = 'lictrack' and wait_event_type = 'Lock'
                    """
                ).flatMap { Int($0) }
                if pid == nil { usleep(25_000) }
            }
            #expect(pid != nil, "policy set never waited for the open insert: the two did not overlap")
            try holder.execute("commit")
            let outcome = try running.wait()
            #expect(outcome.status == 0, "\(outcome)")

            #expect(try Self.policy(setup, "MOFCOM", "general") == "35 working_days CN {info_requested} 5 under_review")
            #expect(
                try ClockFixture.value(setup, "select count(*) from sla_policies where authority = 'MOFCOM'") == "2")
        }
    }
}
