import LicTrackTestSupport
import Postgres
import Testing

/// A value read from the database that the Swift enum naming it lacks (a newer schema, or one
/// changed by hand) is an error naming the column and the value (exit 70), not a silent default:
/// before, an unknown clock state was shown as "not started".
@Suite("Unknown database values")
struct UnknownValueTests {
    @Test("an unknown clock state stops app show and app list with exit 70, naming it")
    func unknownClockState() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.submitted(connection, authority: "ECJU", on: "2025-03-03")
            #expect(try ClockFixture.showSLA(db, id, asOf: "2025-03-10").state == "on_track")

            // A schema with a state this lictrack does not know, which every running clock is in.
            try connection.execute(
                """
                alter domain sla_clock_state drop constraint sla_clock_state_check;
                """)
            try connection.execute(
                """
                create or replace function clock_state(
                    p_started_on date, p_ended_on date, p_pause_open_since date, p_deadline date, p_warn_on date,
                    p_as_of date)
                returns sla_clock_state
                language sql immutable as $$
                    select (case when p_started_on is not null and p_ended_on is null then 'stalled'
                                 else 'not_started' end)::sla_clock_state
                $$
                """)

            for arguments in [
                ["app", "show", "\(id)", "--as-of", "2025-03-10"],
                ["app", "show", "\(id)", "--as-of", "2025-03-10", "--format", "json"],
                ["app", "list", "--as-of", "2025-03-10"],
            ] {
                let outcome = try ClockFixture.run(arguments, db)
                ClockFixture.expectFailure(outcome, status: 70)
                #expect(outcome.stderr.contains("'stalled'"), "\(arguments): \(outcome.stderr)")
                #expect(outcome.stderr.contains("state"), "\(arguments): \(outcome.stderr)")
                #expect(outcome.stdout.isEmpty || !outcome.stdout.contains("not started"), "\(outcome.stdout)")
            }
        }
    }

    /// A status this lictrack does not know (added to the schema by hand) stops app show, app list
    /// and report delays with exit 70 naming it, as for a clock state.
    @Test("an unknown status stops app show, app list and report delays with exit 70, naming it")
    func unknownStatus() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.submitted(connection, authority: "ECJU", on: "2025-03-03")
            try connection.execute(
                """
                insert into application_statuses (status, is_final, ends_cycle, sort_order, description)
                select 'on_hold', false, false, max(sort_order) + 1, 'On hold' from application_statuses
                """)
            try connection.execute("set session_replication_role = replica")
            try connection.execute("update applications set status = 'on_hold' where id = $1::bigint", [id])
            try connection.execute("reset session_replication_role")
            for arguments in [
                ["app", "show", "\(id)", "--as-of", "2025-03-10", "--format", "json"],
                ["app", "list", "--as-of", "2025-03-10", "--format", "json"],
                ["report", "delays", "--as-of", "2025-03-10", "--format", "json"],
            ] {
                let outcome = try ClockFixture.run(arguments, db)
                ClockFixture.expectFailure(outcome, status: 70)
                #expect(outcome.stderr.contains("'on_hold'"), "\(arguments): \(outcome.stderr)")
                #expect(outcome.stderr.contains("status"), "\(arguments): \(outcome.stderr)")
            }
        }
    }
}
