import LicTrackTestSupport
import Postgres
import Testing

/// Items: numbered, normalised, exact, validated, and logged when added after creation.
@Suite("Application items")
struct ItemTests {
    static func addItem(
        _ connection: PostgresConnection, _ application: Int64, description: String = "Rotor assembly",
        hsCode: String? = nil, quantity: String? = nil, unit: String? = nil, value: String? = nil,
        currency: String? = nil
    ) throws {
        try connection.execute(
            """
            insert into application_items (application_id, description, hs_code, quantity, unit, value, currency)
            values ($1::bigint, $2, $3, $4::numeric, $5, $6::numeric, $7)
            """, [application, description, hsCode, quantity, unit, value, currency])
    }

    @Test func itemsInTheCreatingTransactionAreNotLogged() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.transaction { tx in
                let id = try tx.createApplication()
                try Self.addItem(tx, id, description: "Magnet")
                try Self.addItem(tx, id, description: "Coil")
                return id
            }
            #expect(try connection.eventCount(of: application) == 1)
            let lines = try connection.query(
                "select line_no, description from application_items where application_id = $1::bigint order by line_no",
                [application])
            #expect(try lines.map { try $0.decode(Int.self, "line_no") } == [1, 2])
            #expect(try lines.map { try $0.decode(String.self, "description") } == ["Magnet", "Coil"])
        }
    }

    @Test func itemsAddedLaterLogAnAddItemEvent() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.transaction { tx in
                let id = try tx.createApplication()
                try Self.addItem(tx, id, description: "Magnet")
                return id
            }
            try connection.reach("under_review", application: application)
            try Self.addItem(connection, application, description: "Spare coil")

            let event = try connection.query(
                """
                select seq, event, from_status, to_status, occurred_on = authority_today('BAFA') as today, note
                from application_events where application_id = $1::bigint order by seq desc limit 1
                """, [application])[0]
            #expect(try event.decode(Int.self, "seq") == 4)
            #expect(try event.decode(String.self, "event") == "add-item")
            #expect(try event.decode(String.self, "from_status") == "under_review")
            #expect(try event.decode(String.self, "to_status") == "under_review")
            #expect(try event.decode(Bool.self, "today"))
            #expect(try event.decode(String.self, "note").contains("Spare coil"))
            #expect(try connection.status(of: application) == "under_review")
            #expect(
                try connection.value(
                    "select max(line_no) from application_items where application_id = $1::bigint", [application])
                    == "2")
        }
    }

    @Test func hsCodeIsStoredAsDigits() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            for (typed, stored) in [("8505.11.00", "85051100"), ("8505 11 00", "85051100"), ("850511", "850511")] {
                try connection.rolledBack {
                    try Self.addItem(connection, application, hsCode: typed)
                    #expect(
                        try connection.value(
                            "select hs_code from application_items where application_id = $1::bigint", [application])
                            == stored, "\(typed)")
                }
            }
            #expect(sqlState { try Self.addItem(connection, application, hsCode: "85-05") } == "23514")
        }
    }

    @Test func valuesKeepTheirScale() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            try Self.addItem(
                connection, application, quantity: "2.500", unit: "kg", value: "182500.00", currency: "EUR")
            let row = try connection.query(
                "select value::text as value, quantity::text as quantity from application_items where application_id = $1::bigint",
                [application])[0]
            #expect(try row.decode(String.self, "value") == "182500.00")
            #expect(try row.decode(String.self, "quantity") == "2.500")
        }
    }

    @Test func unknownCurrencyIsRefused() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            let error = try #require(throws: PostgresError.self) {
                try Self.addItem(connection, application, value: "10.00", currency: "XYZ")
            }
            #expect(error.sqlState == "23503")
            #expect(error.constraintName == "application_items_currency_fkey")
            #expect(try connection.eventCount(of: application) == 1)
        }
    }

    @Test func valueWithoutCurrencyIsRefused() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            let error = try #require(throws: PostgresError.self) {
                try Self.addItem(connection, application, value: "10.00")
            }
            #expect(error.sqlState == "23514")
            #expect(error.constraintName == "item_value_needs_currency")
            #expect(
                sqlState { try Self.addItem(connection, application, currency: "USD") } == "23514",
                "a currency without a value")
            #expect(try connection.value("select count(*) from application_items") == "0")
            #expect(try connection.eventCount(of: application) == 1)
        }
    }

    /// Items cannot be added once an application is approved, denied or withdrawn.
    @Test func noItemsOnAFinalApplication() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            for status in ["approved", "denied", "withdrawn"] {
                let application = try connection.createApplication()
                try connection.reach(status, application: application)
                let events = try connection.eventCount(of: application)
                #expect(sqlState { try Self.addItem(connection, application) } == "LT001", "\(status)")
                #expect(try connection.eventCount(of: application) == events)
            }
            #expect(try connection.value("select count(*) from application_items") == "0")
        }
    }

    @Test func itemForMissingApplicationIsNotFound() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            #expect(sqlState { try Self.addItem(connection, 424_242) } == "LT404")
        }
    }
}
