import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// `import_check()` (migration 0022) says in advance what the tables and triggers would refuse, so
/// that `import_apply()` inserts only rows they accept. It restates a few of their rules (codes,
/// licence types, delay reasons): these tests prove, value by value, that both agree.
@Suite("Import check agrees with the tables")
struct ImportRuleAgreementTests {
    /// Whether `import_check()` finds nothing wrong with one application whose `column` is `value`.
    static func importAccepts(
        _ connection: PostgresConnection, column: String, value: String, event: String? = nil
    )
        throws -> Bool
    {
        do {
            try connection.transaction { tx in
                try tx.execute("select import_begin()")
                try tx.execute(
                    """
                    insert into import_rows (application, authority, applicant, destination, created_on,
                                             item_description, item_control_code, item_hs_code, licence_type,
                                             event, event_on)
                    values ('K', 'BIS', 'A', 'DE', '2025-04-01', 'Gear',
                        case when $1::text = 'item_control_code' then $2::text end,
                        case when $1::text = 'item_hs_code' then $2::text end,
                        case when $1::text = 'licence_type' then $2::text end, 'submit', '2025-04-02')
                    """, [column, value])
                if let event {
                    // The event after a submission (a delay needs one), on the application's second row.
                    try tx.execute(
                        """
                        insert into import_rows (application, event, event_on, event_reason)
                        values ('K', $1::text, '2025-04-03', case when $2::text = 'event_reason' then $3::text end)
                        """, [event, column, value])
                }
                throw Rollback(accepted: try tx.query("select * from import_check()").count == 0)
            }
        } catch let rollback as Rollback {
            return rollback.accepted
        }
        return false
    }

    /// Ends a transaction by rolling it back, with what it found.
    struct Rollback: Error {
        var accepted: Bool
    }

    /// Whether the tables accept the same value, through the same inserts as `app create` and the event verbs.
    static func tablesAccept(
        _ connection: PostgresConnection, column: String, value: String, event: String? = nil
    )
        throws -> Bool
    {
        do {
            try connection.transaction { tx in
                let id = try tx.query(
                    """
                    insert into applications (authority, applicant, destination, created_on, licence_type)
                    values ('BIS', 'A', 'DE', '2025-04-01',
                            coalesce(case when $1::text = 'licence_type' then $2::text end, 'single'))
                    returning id
                    """, [column, value])[0].decode(Int64.self, "id")
                try tx.execute(
                    """
                    insert into application_items (application_id, description, control_code, hs_code)
                    values ($1::bigint, 'Gear', case when $2::text = 'item_control_code' then $3::text end,
                            case when $2::text = 'item_hs_code' then $3::text end)
                    """, [id, column, value])
                try tx.execute(
                    "insert into application_events (application_id, event, occurred_on) values ($1::bigint, 'submit', date '2025-04-02')",
                    [id])
                if let event {
                    try tx.execute(
                        """
                        insert into application_events (application_id, event, occurred_on, reason)
                        values ($1::bigint, $2::text, date '2025-04-03',
                                case when $3::text = 'event_reason' then $4::text end)
                        """, [id, event, column, value])
                }
                throw Rollback(accepted: true)
            }
            return true
        } catch let rollback as Rollback {
            return rollback.accepted
        } catch let error as PostgresError where error.kind == .server {
            return false
        }
    }

    static let cases: [(column: String, value: String, event: String?)] = [
        ("item_control_code", "1C902.a", nil), ("item_control_code", "EAR99", nil),
        ("item_control_code", "3A001.b.2", nil), ("item_control_code", "5D002/c-1", nil),
        ("item_control_code", ".1C902", nil), ("item_control_code", "1C9 02", nil),
        ("item_control_code", String(repeating: "A", count: 32), nil),
        ("item_control_code", String(repeating: "A", count: 33), nil), ("item_control_code", "1C902_a", nil),
        ("item_hs_code", "8505.11.10.00", nil), ("item_hs_code", "8505 11", nil), ("item_hs_code", "850", nil),
        ("item_hs_code", "1234567890123", nil), ("item_hs_code", "85x5", nil), ("item_hs_code", "123456789012", nil),
        ("licence_type", "single", nil), ("licence_type", "general", nil), ("licence_type", "other", nil),
        ("licence_type", "weekly", nil),
        ("event_reason", "extension", "delay"), ("event_reason", "referral", "delay"),
        ("event_reason", "hold", "delay"), ("event_reason", "backlog", "delay"), ("event_reason", "other", "delay"),
        ("event_reason", "lunch", "delay"),
    ]

    @Test("codes, licence types and delay reasons: import_check accepts exactly what the tables accept")
    func agree() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            var accepted = 0
            for (column, value, event) in Self.cases {
                let byImport = try Self.importAccepts(connection, column: column, value: value, event: event)
                let byTables = try Self.tablesAccept(connection, column: column, value: value, event: event)
                #expect(byImport == byTables, "\(column) '\(value)': import_check \(byImport), tables \(byTables)")
                if byTables { accepted += 1 }
            }
            // Both kinds are among the cases, so the comparison can fail either way.
            #expect(accepted == 16)
        }
    }
}
