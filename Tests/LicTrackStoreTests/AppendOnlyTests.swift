import LicTrackTestSupport
import Postgres
import Testing

/// The event log and the items are append-only for everyone: the owner and an ordinary clerk alike.
@Suite("Append-only history")
struct AppendOnlyTests {
    static let tables = ["application_events", "application_items"]

    /// UPDATE, DELETE and TRUNCATE of each history table.
    static let statements: [String: String] = [
        "update events": "update application_events set note = 'rewritten', occurred_on = date '2025-01-01'",
        "delete events": "delete from application_events where seq = 2",
        "truncate events": "truncate application_events",
        "update items": "update application_items set description = 'something else', value = 0",
        "delete items": "delete from application_items",
        "truncate items": "truncate application_items",
    ]

    /// A snapshot of both history tables, to prove a refused statement changed nothing.
    static func snapshot(_ connection: PostgresConnection) throws -> [String?] {
        try tables.map {
            try connection.value("select string_agg(t::text, ';' order by t::text) from \($0) t")
        }
    }

    /// An application with two events and one item (from the creating transaction).
    static func seed(_ connection: PostgresConnection) throws -> Int64 {
        try connection.execute("begin")
        let application = try connection.createApplication()
        try connection.execute(
            """
            insert into application_items (application_id, description, quantity, unit, value, currency)
            values ($1::bigint, 'Permanent magnet', 12, 'pcs', 1500.00, 'EUR')
            """, [application])
        try connection.execute("commit")
        try connection.insertEvent(application, "submit", on: "2025-01-10")
        return application
    }

    @Test func refusedForTheOwner() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            _ = try Self.seed(connection)
            for table in Self.tables {
                let owner = try connection.value("select tableowner from pg_tables where tablename = $1", [table])
                try #require(owner == (try connection.value("select current_user")))
            }
            try #require(try connection.value("select rolsuper from pg_roles where rolname = current_user") == "t")

            let before = try Self.snapshot(connection)
            for statement in Self.statements.values.sorted() {
                #expect(sqlState { try connection.execute(statement) } == "LT005", "\(statement)")
            }
            #expect(try Self.snapshot(connection) == before)
        }
    }

    @Test func refusedForAClerk() throws {
        try TestDatabase.with { db in
            let admin = try db.connect()
            defer { admin.close() }
            _ = try Self.seed(admin)
            let before = try Self.snapshot(admin)
            try Clerk.with(in: db) { clerk in
                for statement in Self.statements.values.sorted() {
                    #expect(sqlState { try clerk.connection.execute(statement) } == "LT005", "\(statement)")
                }
            }
            #expect(try Self.snapshot(admin) == before)
        }
    }

    /// The clerk really holds the privileges, so it is the trigger, not a missing GRANT, that refuses.
    @Test func clerkMayInsertButNotRewrite() throws {
        try TestDatabase.with { db in
            let admin = try db.connect()
            defer { admin.close() }
            let application = try Self.seed(admin)
            try Clerk.with(in: db) { clerk in
                for table in Self.tables {
                    for privilege in ["INSERT", "UPDATE", "DELETE", "TRUNCATE"] {
                        #expect(
                            try clerk.connection.value(
                                "select has_table_privilege(current_user, $1, $2)", [table, privilege]) == "t")
                    }
                }
                try clerk.connection.insertEvent(application, "accept", on: "2025-01-20")
                let error = try #require(throws: PostgresError.self) {
                    try clerk.connection.execute("delete from application_events where seq = 3")
                }
                #expect(error.sqlState == "LT005")
                #expect(error.message == "application_events is append-only: delete is not allowed")
            }
            #expect(try admin.status(of: application) == "under_review")
            #expect(try admin.eventCount(of: application) == 3)
        }
    }
}
