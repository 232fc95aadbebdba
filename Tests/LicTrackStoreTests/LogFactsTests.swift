import LicTrackTestSupport
import Postgres
import Testing

/// The facts the event trigger keeps on the application row (0018) against their definition,
/// `application_log_facts()`, and the dating rule: no event before the latest status event.
@Suite("Stored log facts")
struct LogFactsTests {
    /// The stored columns that `application_log_facts()` defines.
    static let factColumns = [
        "status", "status_since", "status_event_on", "last_event", "last_event_on", "last_event_seq", "cycle_rfis",
        "stock_runs_out", "stock_feeds", "stock_recorded_on",
    ]

    /// The ids among `ids` whose stored facts differ from what their log says.
    static func differences(_ connection: PostgresConnection, _ ids: [Int64]) throws -> [Int64] {
        let stored = factColumns.map { "a.\($0)" }.joined(separator: ", ")
        let derived = factColumns.map { "f.\($0)" }.joined(separator: ", ")
        return try connection.query(
            """
            select a.id
            from applications a
            left join application_log_facts($1::bigint[], null) f on f.application_id = a.id
            where a.id = any ($1::bigint[]) and (\(stored)) is distinct from (\(derived))
            order by a.id
            """, [ids.map(String.init).joined(separator: ",").wrappedInBraces]
        ).map { try $0.decode(Int64.self, "id") }
    }

    /// A note dated today does not block a status event dated yesterday (issue 8); the order of
    /// status events is still checked, and nothing is dated before the latest status event.
    @Test func aNoteNoLongerBlocksAnEarlierStatusEvent() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try connection.createApplication()
            try connection.insertEvent(id, "submit", on: "2025-01-10")
            try connection.insertEvent(id, "accept", on: "2025-01-12")
            try connection.insertEvent(id, "note", on: "2025-01-20", note: "call with the case officer")
            try StockEventTests.stock(connection, id, on: "2025-01-21", runsOut: "2025-04-30", feeds: "Line 3")
            // Dated before the note and the stock record: accepted.
            try connection.insertEvent(id, "request-info", on: "2025-01-15")
            #expect(try connection.status(of: id) == "info_requested")
            // Before the latest status event: refused, for a status event and for a note alike.
            #expect(sqlState { try connection.insertEvent(id, "provide-info", on: "2025-01-14") } == "LT002")
            #expect(sqlState { try connection.insertEvent(id, "note", on: "2025-01-14", note: "late") } == "LT002")
            try connection.insertEvent(id, "provide-info", on: "2025-01-15")

            let row = try connection.query(
                """
                select status, status_since::text as since, last_event, last_event_on::text as last_on,
                       status_event_on::text as status_on, cycle_rfis
                from applications where id = $1::bigint
                """, [id])[0]
            #expect(try row.decode(String.self, "status") == "under_review")
            #expect(try row.decode(String.self, "since") == "2025-01-15")
            // The latest event by date is the stock record of the 21st, not the provide-info logged last.
            #expect(try row.decode(String.self, "last_event") == "stock")
            #expect(try row.decode(String.self, "last_on") == "2025-01-21")
            #expect(try row.decode(String.self, "status_on") == "2025-01-15")
            #expect(try row.decode(Int.self, "cycle_rfis") == 1)
            #expect(try Self.differences(connection, [id]) == [])

            // As of the 16th the log says: info requested since the 15th, the stock not yet recorded.
            let asOf = try connection.query(
                """
                select status, last_event, stock_runs_out from application_log_facts(array[$1::bigint], '2025-01-16')
                """, [id])[0]
            #expect(try asOf.decode(String.self, "status") == "under_review")
            #expect(try asOf.decode(String.self, "last_event") == "provide-info")
            #expect(try asOf.decodeIfPresent(String.self, "stock_runs_out") == nil)
        }
    }

    /// An item added later does not block a status event dated before it either.
    @Test func anAddedItemDoesNotBlockAnEarlierStatusEvent() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try connection.createApplication()
            try connection.insertEvent(id, "submit", on: "2025-01-10")
            try connection.execute("set lictrack.item_added_on = '2025-01-25'")
            try connection.execute(
                "insert into application_items (application_id, description, control_code) values ($1::bigint, 'Magnets', '1c902.a')",
                [id])
            try connection.execute("reset lictrack.item_added_on")
            try connection.insertEvent(id, "accept", on: "2025-01-20")
            #expect(try connection.status(of: id) == "under_review")
            #expect(
                try connection.value("select control_family from applications where id = $1::bigint", [id]) == "1C9")
            #expect(try Self.differences(connection, [id]) == [])
        }
    }

    /// The stored facts equal the log's after many histories: resubmissions, requests for
    /// information, stock records dated out of order, notes between status events.
    @Test func storedFactsEqualTheLogAfterManyHistories() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            var ids: [Int64] = []
            var generator = SeededGenerator(seed: 20_261_202)
            let walk = [
                "submit", "request-info", "provide-info", "accept", "request-info", "provide-info", "delay",
                "resume",
            ]
            for n in 0..<24 {
                let id = try connection.createApplication(authority: ["BAFA", "BIS", "ECJU", "MOFCOM"][n % 4])
                ids.append(id)
                var day = 10
                if n % 3 == 0 {
                    try connection.insertEvent(id, "submit", on: "2025-01-\(day)")
                    try connection.insertEvent(id, "request-info", on: "2025-01-\(day)")
                    try connection.insertEvent(id, "return", on: "2025-01-\(day + 1)")
                    try connection.insertEvent(
                        id, "note", on: "2025-01-\(day + 5)", note: "returned: missing end-user statement")
                    day += 2
                }
                let steps = Int.random(in: 1...walk.count, using: &generator)
                for event in walk.prefix(steps) {
                    day += Int.random(in: 0...2, using: &generator)
                    try connection.insertEvent(
                        id, event, on: String(format: "2025-03-%02d", day), reason: event == "delay" ? "hold" : nil)
                    if Bool.random(using: &generator) {
                        // A stock record or a note dated ahead, which the next status event may precede.
                        let ahead = String(format: "2025-03-%02d", day + Int.random(in: 0...3, using: &generator))
                        if Bool.random(using: &generator) {
                            try StockEventTests.stock(
                                connection, id, on: ahead,
                                runsOut: "2025-0\(Int.random(in: 4...9, using: &generator))-01",
                                feeds: "Line \(n)")
                        } else {
                            try connection.insertEvent(id, "note", on: ahead, note: "contact \(n)")
                        }
                    }
                }
            }
            #expect(try Self.differences(connection, ids) == [])
        }
    }
}

extension String {
    /// `{text}`: a PostgreSQL array literal of comma-separated numbers.
    fileprivate var wrappedInBraces: String { "{\(self)}" }
}
