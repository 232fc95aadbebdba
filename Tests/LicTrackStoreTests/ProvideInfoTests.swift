import LicTrackTestSupport
import Postgres
import Testing

/// provide-info returns an application to the status it was in when information was requested.
@Suite("provide-info returns to the status before the request")
struct ProvideInfoTests {
    /// The statuses from which information can be requested.
    static let origins: [String] = ["submitted", "under_review", "delayed"]

    @Test("back to the origin", arguments: origins)
    func returnsToOrigin(origin: String) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            try connection.reach(origin, application: application)
            try connection.insertEvent(application, "request-info", on: "2025-02-01")
            #expect(try connection.status(of: application) == "info_requested")

            let row = try connection.insertEvent(application, "provide-info", on: "2025-02-10")
            #expect(try row.decode(String.self, "from_status") == "info_requested")
            #expect(try row.decode(String.self, "to_status") == origin)
            #expect(try connection.status(of: application) == origin)
            #expect(
                try connection.value("select status_since from applications where id = $1::bigint", [application])
                    == "2025-02-10")
        }
    }

    /// A note recorded while information is outstanding must not change where provide-info leads.
    ///
    /// Product bug: the trigger takes the from_status of the latest event whose to_status is
    /// info_requested, which is the note (info_requested -> info_requested), so the application
    /// stays info_requested.
    @Test("back to the origin after a note in between", arguments: origins)
    func returnsToOriginAfterNote(origin: String) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            try connection.reach(origin, application: application)
            try connection.insertEvent(application, "request-info", on: "2025-02-01")
            try connection.insertEvent(application, "note", on: "2025-02-03", note: "called the case officer")

            let row = try connection.insertEvent(application, "provide-info", on: "2025-02-10")
            #expect(try row.decode(String.self, "to_status") == origin)
            #expect(try connection.status(of: application) == origin)
        }
    }

    /// An item added while information is outstanding (an add-item event) must not change it either.
    @Test func returnsToOriginAfterAddItem() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            try connection.reach("under_review", application: application)
            try connection.insertEvent(application, "request-info", on: "2025-02-01")
            try connection.execute(
                "insert into application_items (application_id, description) values ($1::bigint, 'Spare rotor')",
                [application])

            let row = try connection.insertEvent(application, "provide-info", on: nil)
            #expect(try row.decode(String.self, "to_status") == "under_review")
            #expect(try connection.status(of: application) == "under_review")
        }
    }

    /// The UPDATE guard agrees: after a note, setting the origin status directly is a legal
    /// transition done the wrong way (LT006), not an illegal one (LT001).
    @Test func guardRecognisesOriginAfterNote() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            try connection.reach("submitted", application: application)
            try connection.insertEvent(application, "request-info", on: "2025-02-01")
            try connection.insertEvent(application, "note", on: "2025-02-03", note: "called the case officer")
            #expect(
                sqlState {
                    try connection.execute(
                        "update applications set status = 'submitted' where id = $1::bigint", [application])
                } == "LT006")
        }
    }
}
