import LicTrackTestSupport
import Postgres
import Testing

/// The event log is complete: numbered without gaps, chained status to status, and in step with applications.
@Suite("A complete event log")
struct EventLogTests {
    /// A long life: every kind of status change and notes, ending approved with a note after.
    static let life: [(event: String, on: String, reason: String?)] = [
        ("note", "2025-01-05", nil),
        ("submit", "2025-01-10", nil),
        ("request-info", "2025-01-15", nil),
        ("provide-info", "2025-01-15", nil),
        ("accept", "2025-01-20", nil),
        ("delay", "2025-02-01", "referral"),
        ("request-info", "2025-02-05", nil),
        ("provide-info", "2025-02-06", nil),
        ("resume", "2025-03-01", nil),
        ("approve", "2025-04-01", nil),
        ("note", "2025-04-02", nil),
    ]

    @Test func logIsNumberedChainedAndInStep() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            for step in Self.life {
                try connection.insertEvent(
                    application, step.event, on: step.on, reason: step.reason,
                    note: step.event == "note" ? "phone call" : nil,
                    licenceNumber: step.event == "approve" ? "DE-2025-0001" : nil)
            }

            let events = try connection.query(
                "select * from application_events where application_id = $1::bigint order by seq", [application])
            #expect(events.count == Self.life.count + 1)  // the create event as well
            #expect(try events.map { try $0.decode(String.self, "event") } == ["create"] + Self.life.map(\.event))
            #expect(try events.map { try $0.decode(Int.self, "seq") } == Array(1...events.count))

            var previous: String? = nil
            var statusSince: String? = nil
            for row in events {
                let from = try row.decodeIfPresent(String.self, "from_status")
                let to = try row.decode(String.self, "to_status")
                let seq = try row.decode(Int.self, "seq")
                #expect(from == previous, "event \(seq)")
                if to != previous { statusSince = try row.decode(String.self, "occurred_on") }
                previous = to
            }
            let app = try connection.query(
                "select status, status_since, last_event_on, last_event_seq from applications where id = $1::bigint",
                [application])[0]
            #expect(try app.decode(String.self, "status") == previous)
            #expect(try app.decode(String.self, "status") == "approved")
            #expect(try app.decodeIfPresent(String.self, "status_since") == statusSince)
            #expect(try app.decodeIfPresent(String.self, "status_since") == "2025-04-01")
            #expect(try app.decodeIfPresent(String.self, "last_event_on") == "2025-04-02")
            #expect(try app.decode(Int.self, "last_event_seq") == events.count)
        }
    }

    /// Logs of different applications are numbered independently, each from 1.
    @Test func eachApplicationCountsFromOne() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let first = try connection.createApplication()
            let second = try connection.createApplication(authority: "ECJU")
            try connection.insertEvent(first, "submit", on: "2025-01-10")
            try connection.insertEvent(second, "withdraw", on: "2025-01-10")
            try connection.insertEvent(first, "accept", on: "2025-01-11")
            let firstSeqs = try connection.query(
                "select seq from application_events where application_id = $1::bigint order by seq", [first]
            ).map { try $0.decode(Int.self, "seq") }
            let secondSeqs = try connection.query(
                "select seq from application_events where application_id = $1::bigint order by seq", [second]
            ).map { try $0.decode(Int.self, "seq") }
            #expect(firstSeqs == [1, 2, 3])
            #expect(secondSeqs == [1, 2])
        }
    }

    /// A refused event leaves no trace: no gap in the numbering, no change to the application.
    @Test func refusedEventLeavesNoGap() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            try connection.insertEvent(application, "submit", on: "2025-01-10")
            #expect(sqlState { try connection.insertEvent(application, "resume", on: "2025-01-11") } == "LT001")
            #expect(sqlState { try connection.insertEvent(application, "accept", on: "2025-01-09") } == "LT002")
            try connection.insertEvent(application, "accept", on: "2025-01-12")
            let seqs = try connection.query(
                "select seq from application_events where application_id = $1::bigint order by seq", [application]
            ).map { try $0.decode(Int.self, "seq") }
            #expect(seqs == [1, 2, 3])
            #expect(
                try connection.value("select last_event_on from applications where id = $1::bigint", [application])
                    == "2025-01-12")
        }
    }

    /// The create event carries the creation date and the authority reference given at creation.
    @Test func createEventRecordsTheCreation() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication(createdOn: "2025-01-02", reference: "BAFA-2025-17")
            let create = try connection.query(
                "select * from application_events where application_id = $1::bigint", [application])
            try #require(create.count == 1)
            #expect(try create[0].decode(Int.self, "seq") == 1)
            #expect(try create[0].decode(String.self, "event") == "create")
            #expect(create[0].isNull("from_status"))
            #expect(try create[0].decode(String.self, "to_status") == "draft")
            #expect(try create[0].decode(String.self, "occurred_on") == "2025-01-02")
            #expect(try create[0].decode(String.self, "authority_reference") == "BAFA-2025-17")
        }
    }
}
