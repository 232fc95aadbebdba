import LicTrackCore
import LicTrackTestSupport
import Postgres
import Testing

/// The statuses that end a cycle are data (`application_statuses.ends_cycle`, migration 0019), and
/// the clock computation reads them there, not from a list of its own.
@Suite("Clock: statuses that end a cycle")
struct CycleEndTests {
    @Test("the decisions, a withdrawal and a return end a cycle; every final status does")
    func endingStatuses() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let ending = try connection.query(
                "select status from application_statuses where ends_cycle order by sort_order"
            ).map { try $0.decode(String.self, "status") }
            #expect(ending == ["returned", "approved", "denied", "withdrawn"])
            #expect(
                try ClockFixture.value(
                    connection, "select count(*) from application_statuses where is_final and not ends_cycle") == "0")
            #expect(
                ClockFixture.sqlState {
                    try connection.execute("update application_statuses set ends_cycle = false where status = 'denied'")
                } == "23514")
        }
    }

    /// ECJU submitted 2025-03-03, returned 2025-03-20. With `returned` no longer ending a cycle the
    /// clock runs on: sla_compute() and the reports' cycles follow the column.
    @Test("sla_compute and report_cycle_spans follow ends_cycle")
    func computeFollowsTheColumn() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.submitted(connection, authority: "ECJU", on: "2025-03-03")
            try ClockFixture.record(connection, id, "return", on: "2025-03-20")
            let ended = """
                select concat_ws(' ', ended_on, end_event) from sla_compute(array[$1::bigint])
                """
            let decided =
                "select concat_ws(' ', decided_on, decision) from report_cycle_spans where application_id = $1::bigint"
            #expect(try ClockFixture.value(connection, ended, [id]) == "2025-03-20 return")
            #expect(try ClockFixture.value(connection, decided, [id]) == "2025-03-20 return")

            try connection.execute("update application_statuses set ends_cycle = false where status = 'returned'")
            #expect(try ClockFixture.value(connection, ended, [id]) == "")
            #expect(try ClockFixture.value(connection, decided, [id]) == "")
        }
    }
}
