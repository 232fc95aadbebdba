import LicTrackTestSupport
import Postgres
import Testing

/// Details that belong to particular events: a delay's reason, an approval's licence, a note's text.
@Suite("Event details")
struct EventDetailsTests {
    @Test func delayWithoutReasonIsRefused() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            try connection.reach("submitted", application: application)
            #expect(sqlState { try connection.insertEvent(application, "delay", on: "2025-02-01") } == "LT004")
            #expect(try connection.status(of: application) == "submitted")
            let row = try connection.insertEvent(application, "delay", on: "2025-02-01", reason: "backlog")
            #expect(try row.decode(String.self, "reason") == "backlog")
        }
    }

    /// A licence number or validity date on anything but an approval is refused.
    @Test func licenceOnlyOnApproval() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let draft = try connection.createApplication()
            let submitted = try connection.createApplication()
            try connection.reach("submitted", application: submitted)
            for event in ["submit", "accept", "delay", "deny", "return", "withdraw", "note"] {
                let application = event == "submit" ? draft : submitted
                let reason = event == "delay" ? "hold" : nil
                let note = event == "note" ? "licence arrived?" : nil
                #expect(
                    sqlState {
                        try connection.insertEvent(
                            application, event, on: "2025-02-01", reason: reason, note: note, licenceNumber: "LIC-1")
                    } == "LT004", "\(event) with a licence number")
                #expect(
                    sqlState {
                        try connection.insertEvent(
                            application, event, on: "2025-02-01", reason: reason, note: note, validUntil: "2026-02-01")
                    } == "LT004", "\(event) with a validity date")
            }
            #expect(try connection.status(of: draft) == "draft")
            #expect(try connection.status(of: submitted) == "submitted")
            #expect(try connection.eventCount(of: submitted) == 2)
        }
    }

    /// An approval stores its licence on the application.
    @Test func approvalCarriesTheLicence() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            try connection.reach("submitted", application: application)
            #expect(
                sqlState {
                    try connection.insertEvent(
                        application, "approve", on: "2025-02-01", licenceNumber: "LIC-1", validUntil: "2025-01-31")
                } == "LT004")
            try connection.insertEvent(
                application, "approve", on: "2025-02-01", licenceNumber: "LIC-1", validUntil: "2026-01-31")
            let app = try connection.query(
                "select licence_number, licence_valid_until::text as until from applications where id = $1::bigint",
                [application])[0]
            #expect(try app.decode(String.self, "licence_number") == "LIC-1")
            #expect(try app.decode(String.self, "until") == "2026-01-31")
        }
    }

    /// Only a delay takes a reason; a note needs text.
    @Test func reasonOnlyOnDelayAndNoteNeedsText() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            #expect(
                sqlState { try connection.insertEvent(application, "submit", on: "2025-01-10", reason: "hold") }
                    == "LT004")
            #expect(sqlState { try connection.insertEvent(application, "note", on: "2025-01-10") } == "LT004")
            #expect(
                sqlState { try connection.insertEvent(application, "note", on: "2025-01-10", note: "   ") } == "LT004")
            #expect(try connection.eventCount(of: application) == 1)
        }
    }
}
