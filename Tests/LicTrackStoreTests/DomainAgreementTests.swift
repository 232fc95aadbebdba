import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// The value lists that are domains in SQL (migration 0019) and enums in Swift list the same
/// values, both ways: every value the domain allows is a case, and every case is allowed.
@Suite("Swift and SQL agree: domains")
struct DomainAgreementTests {
    /// The quoted values of a domain's check constraint, in order.
    static func domainValues(_ connection: PostgresConnection, _ domain: String) throws -> [String] {
        let definitions = try connection.query(
            """
            select pg_get_constraintdef(c.oid) as d
            from pg_constraint c join pg_type t on t.oid = c.contypid
            where t.typname = $1 and c.contype = 'c'
            """, [domain]
        ).map { try $0.decode(String.self, "d") }
        #expect(definitions.count == 1, "domain \(domain) has \(definitions.count) check constraints")
        return (definitions.first ?? "").split(separator: "'").enumerated().filter { $0.offset % 2 == 1 }.map {
            String($0.element)
        }
    }

    @Test("LicenceType names exactly the values of the licence_type domain, which both tables use")
    func licenceTypes() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            #expect(try Self.domainValues(connection, "licence_type") == LicenceType.allCases.map(\.rawValue))
            let columns = try connection.query(
                """
                select table_name || '.' || column_name as c from information_schema.columns
                where table_schema = current_schema() and domain_name = 'licence_type'
                order by 1
                """
            ).map { try $0.decode(String.self, "c") }
            #expect(columns == ["applications.licence_type", "sla_policies.licence_type"])
            // No other check on either table lists licence types.
            #expect(
                try connection.query(
                    """
                    select conname from pg_constraint
                    where conrelid in ('applications'::regclass, 'sla_policies'::regclass)
                      and pg_get_constraintdef(oid) like '%''general''%'
                    """
                ).count == 0)
        }
    }

    @Test("SLAClock.State names exactly the values of sla_clock_state, which clock_state() returns")
    func clockStates() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            #expect(try Self.domainValues(connection, "sla_clock_state") == SLAClock.State.allCases.map(\.rawValue))
            #expect(
                try connection.query(
                    "select pg_get_function_result('clock_state(date, date, date, date, date, date)'::regprocedure) as r"
                )[0].decode(String.self, "r") == "sla_clock_state")
            // Each state, from inputs chosen for it (start, end, pause, deadline, warn_on, as of).
            let produced = try connection.query(
                """
                select clock_state(s, e, p, date '2025-06-30', date '2025-06-23', d)::text as state
                from (values
                    (null::date, null::date, null::date, date '2025-06-01'),
                    ('2025-05-01', null, null, '2025-06-01'),
                    ('2025-05-01', null, null, '2025-06-23'),
                    ('2025-05-01', null, null, '2025-07-01'),
                    ('2025-05-01', null, '2025-06-01', '2025-07-01'),
                    ('2025-05-01', '2025-06-30', null, '2025-07-01'),
                    ('2025-05-01', '2025-07-01', null, '2025-07-01')) as v(s, e, p, d)
                """
            ).map { try $0.decode(String.self, "state") }
            #expect(produced == ["not_started", "on_track", "due_soon", "breached", "paused", "met", "missed"])
        }
    }
}
