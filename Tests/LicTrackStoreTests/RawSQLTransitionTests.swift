import LicTrackTestSupport
import Postgres
import Testing

/// Every transition event from every status, inserted into `application_events` as a psql user would.
@Suite("Raw-SQL transitions")
struct RawSQLTransitionTests {
    /// Tries all ten transition events on one application in `from`, each in a rolled-back transaction.
    @Test("each transition event from a status", arguments: Spec.statuses)
    func eachEvent(from: String) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            try connection.reach(from, application: application)
            try #require(try connection.status(of: application) == from)
            let countBefore = try connection.eventCount(of: application)

            for event in Spec.transitionEvents {
                let expected = Spec.target(of: event, from: from, origin: Spec.infoRequestOrigin)
                let reason = event == "delay" ? "hold" : nil
                if let expected {
                    try connection.rolledBack {
                        let row = try connection.insertEvent(application, event, on: "2025-02-01", reason: reason)
                        #expect(try row.decode(String.self, "to_status") == expected, "\(event) from \(from)")
                        #expect(try row.decodeIfPresent(String.self, "from_status") == from, "\(event) from \(from)")
                        #expect(try row.decode(Int.self, "seq") == countBefore + 1, "\(event) from \(from)")
                        #expect(try connection.status(of: application) == expected, "\(event) from \(from)")
                        #expect(try connection.eventCount(of: application) == countBefore + 1)
                        #expect(
                            try connection.value(
                                "select status_since from applications where id = $1::bigint", [application])
                                == "2025-02-01", "\(event) from \(from)")
                    }
                } else {
                    let state = sqlState {
                        try connection.rolledBack {
                            _ = try connection.insertEvent(application, event, on: "2025-02-01", reason: reason)
                        }
                    }
                    #expect(state == "LT001", "\(event) from \(from) should be illegal")
                }
                #expect(try connection.status(of: application) == from, "after \(event) from \(from)")
                #expect(try connection.eventCount(of: application) == countBefore, "after \(event) from \(from)")
            }
        }
    }

    /// The illegal-transition error names the event and status and lists what is allowed.
    @Test func illegalTransitionExplainsItself() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            let error = try #require(throws: PostgresError.self) {
                try connection.insertEvent(application, "approve", on: "2025-01-10")
            }
            #expect(error.sqlState == "LT001")
            #expect(error.detail == "event=approve status=draft")
            #expect(error.hint == "allowed from draft: submit, withdraw")
        }
    }

    /// A final status allows no further status change, and the hint says so.
    @Test func finalStatusHintSaysFinal() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            try connection.reach("denied", application: application)
            let error = try #require(throws: PostgresError.self) {
                try connection.insertEvent(application, "submit", on: "2025-02-01")
            }
            #expect(error.sqlState == "LT001")
            #expect(error.hint == "denied is final; no further status changes are allowed")
        }
    }

    /// A second create event is refused: an application is created once.
    @Test func secondCreateIsIllegal() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            #expect(sqlState { try connection.insertEvent(application, "create", on: "2025-01-10") } == "LT001")
            #expect(try connection.eventCount(of: application) == 1)
        }
    }

    /// An event for an application that does not exist fails with LT404.
    @Test func eventForMissingApplicationIsNotFound() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            #expect(sqlState { try connection.insertEvent(987_654, "submit", on: "2025-01-10") } == "LT404")
        }
    }
}
