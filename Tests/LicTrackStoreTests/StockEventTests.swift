import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// The `stock` event: when the material an application covers runs out, and what it feeds.
@Suite("Stock records")
struct StockEventTests {
    static func date(_ text: String) -> CivilDate {
        guard let date = CivilDate(iso8601: text) else { preconditionFailure("not a date: \(text)") }
        return date
    }

    /// Inserts a stock event the way a psql user would.
    @discardableResult
    static func stock(
        _ connection: PostgresConnection, _ id: Int64, on: String, runsOut: String?, feeds: String?,
        event: String = "stock"
    ) throws -> PostgresRow {
        try connection.query(
            """
            insert into application_events (application_id, event, occurred_on, stock_runs_out, feeds)
            values ($1::bigint, $2, $3::date, $4::date, $5)
            returning *
            """, [id, event, on, runsOut, feeds])[0]
    }

    @Test func aStockEventChangesNoStatusInAnyStatus() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            for status in Spec.statuses {
                let id = try connection.createApplication()
                try connection.reach(status, application: id)
                let row = try Self.stock(connection, id, on: "2025-02-01", runsOut: "2025-05-31", feeds: "Line 3")
                #expect(try row.decode(String.self, "from_status") == status)
                #expect(try row.decode(String.self, "to_status") == status)
                #expect(try row.decode(String.self, "stock_runs_out") == "2025-05-31")
                #expect(try row.decode(String.self, "feeds") == "Line 3")
                #expect(try connection.status(of: id) == status)
            }
        }
    }

    @Test func aStockEventNeedsBothDetails() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try connection.createApplication()
            #expect(
                sqlState { try Self.stock(connection, id, on: "2025-02-01", runsOut: nil, feeds: "Line 3") } == "LT004")
            #expect(
                sqlState { try Self.stock(connection, id, on: "2025-02-01", runsOut: "2025-05-31", feeds: nil) }
                    == "LT004")
            #expect(
                sqlState { try Self.stock(connection, id, on: "2025-02-01", runsOut: "2025-05-31", feeds: "  ") }
                    == "LT004")
            #expect(try connection.eventCount(of: id) == 1)
        }
    }

    /// Other events refuse the stock details, with a message that says why; nothing is written.
    @Test func otherEventsRefuseStockDetails() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try connection.createApplication()
            for (event, runsOut, feeds) in [("submit", "2025-05-31", nil), ("submit", nil, "Line 3")]
                as [(String, String?, String?)]
            {
                let error = try #require(throws: PostgresError.self) {
                    try Self.stock(connection, id, on: "2025-02-01", runsOut: runsOut, feeds: feeds, event: event)
                }
                #expect(error.sqlState == "LT004")
                #expect(error.message.contains("only a stock record"))
            }
            #expect(try connection.status(of: id) == "draft")
            #expect(try connection.eventCount(of: id) == 1)
        }
    }

    /// Like a note, a stock record is skipped when provide-info looks for the status to return to,
    /// and it is held to the date order.
    @Test func provideInfoSkipsStockAndDatesStayInOrder() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try connection.createApplication()
            try connection.insertEvent(id, "submit", on: "2025-01-10")
            try connection.insertEvent(id, "accept", on: "2025-01-12")
            try connection.insertEvent(id, "request-info", on: "2025-01-15")
            try Self.stock(connection, id, on: "2025-01-16", runsOut: "2025-03-01", feeds: "Line 3")
            #expect(
                sqlState { try Self.stock(connection, id, on: "2025-01-14", runsOut: "2025-03-01", feeds: "x") }
                    == "LT002")
            try connection.insertEvent(id, "provide-info", on: "2025-01-20")
            #expect(try connection.status(of: id) == "under_review")
        }
    }

    /// `app create` with a stock date records a stock event on the creation day, in the same transaction.
    @Test func createRecordsTheStockOnTheCreationDay() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let store = ApplicationStore(connection: connection)
            var draft = ApplicationDraft(authority: "MOFCOM", applicant: "Ningbo Magnets", destination: "DE")
            draft.createdOn = Self.date("2025-04-01")
            draft.stockRunsOut = Self.date("2025-07-15")
            draft.feeds = "Rheinmotor traction-motor line 2"
            let id = try store.create(draft)
            let details = try store.details(of: id, asOf: Self.date("2025-04-02"))
            #expect(details.events.map(\.event) == ["create", "stock"])
            #expect(details.events[1].occurredOn == Self.date("2025-04-01"))
            #expect(details.events[1].stockRunsOut == Self.date("2025-07-15"))
            #expect(details.events[1].feeds == "Rheinmotor traction-motor line 2")
            #expect(details.stock?.runsOut == Self.date("2025-07-15"))
            #expect(details.stock?.recordedOn == Self.date("2025-04-01"))
            #expect(details.stock?.daysShort == nil)

            // Half the details: refused by the database, and the application is not created either.
            var half = draft
            half.feeds = nil
            let error = try #require(throws: LicTrackError.self) { try store.create(half) }
            #expect(error.kind == .invalidInput)
            #expect(try connection.value("select count(*) from applications") == "1")
        }
    }

    /// The latest stock record counts, as of the day asked about.
    @Test func theLatestStockRecordCounts() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let store = ApplicationStore(connection: connection)
            let id = try connection.createApplication()
            var input = EventInput(event: .stock, on: .date(Self.date("2025-02-01")))
            input.stockRunsOut = Self.date("2025-05-31")
            input.feeds = "Line 3"
            _ = try store.record(input, for: id)
            input.on = .date(Self.date("2025-03-01"))
            input.stockRunsOut = Self.date("2025-06-30")
            input.feeds = "Line 3 and line 4"
            let second = try store.record(input, for: id)
            #expect(second.event == "stock")
            #expect(second.stockRunsOut == Self.date("2025-06-30"))

            #expect(try store.details(of: id, asOf: Self.date("2025-02-15")).stock?.runsOut == Self.date("2025-05-31"))
            let now = try store.details(of: id, asOf: Self.date("2025-03-01")).stock
            #expect(now?.runsOut == Self.date("2025-06-30"))
            #expect(now?.feeds == "Line 3 and line 4")
            #expect(try store.details(of: id, asOf: Self.date("2025-01-31")).stock == nil)
        }
    }
}
