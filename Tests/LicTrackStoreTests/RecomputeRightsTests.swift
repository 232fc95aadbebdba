import LicTrackTestSupport
import Postgres
import Testing

/// Who may run a clock recompute directly: nobody but the owner (migration 0006).
///
/// A recompute takes locks on authorities and clocks. If any role could call it, a read-only
/// login could call it inside an open transaction and make every clerk's event on those
/// applications wait. Events and policy changes still recompute, through triggers that run with
/// the owner's rights.
@Suite("Recompute rights")
struct RecomputeRightsTests {
    static let recomputes = [
        "select sla_refresh(array[1::bigint])",
        "select sla_refresh_open()",
        "select sla_refresh_open(p_calendar => 'CN')",
        "select sla_store_clocks(array[1::bigint])",
    ]

    @Test("a role without a grant cannot call a recompute", arguments: recomputes)
    func refused(statement: String) throws {
        try TestDatabase.with { db in
            try Clerk.with(in: db) { clerk in
                #expect(sqlState { try clerk.connection.execute(statement) } == "42501", "\(statement)")
            }
        }
    }

    @Test("events and policy changes by that role still recompute the clock")
    func triggersStillRecompute() throws {
        try TestDatabase.with { db in
            let admin = try db.connect()
            defer { admin.close() }
            let application = try admin.createApplication(authority: "BIS")
            try Clerk.with(in: db) { clerk in
                try clerk.connection.insertEvent(application, "submit", on: "2025-01-10")
                #expect(
                    try clerk.connection.value(
                        "select deadline from application_clocks where application_id = $1::bigint", [application])
                        == "2025-04-10")
                _ = try clerk.connection.execute(
                    "update sla_policies set target = 30 where authority = 'BIS' and licence_type is null")
                #expect(
                    try clerk.connection.value(
                        "select deadline from application_clocks where application_id = $1::bigint", [application])
                        == "2025-02-09")
            }
        }
    }
}
