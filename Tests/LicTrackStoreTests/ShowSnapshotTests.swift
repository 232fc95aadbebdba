import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// `app show` reads in one snapshot: an event committed by another session between two of its reads
/// shows in none of them.
@Suite("app show reads one snapshot")
struct ShowSnapshotTests {
    /// The events a submitted application allows next, from the specification (not the database).
    static let afterSubmit = Spec.transitionEvents.filter { Spec.target(of: $0, from: "submitted") != nil }

    /// What one `show` sent, and whether the other session's event went in during it.
    final class Watch {
        var statements: [String] = []
        var committed = false
    }

    /// Runs `show` on an application in `submitted` while another session records `accept` on it
    /// just before the items are read, after the application row was read.
    static func showWhileAccepting(
        _ db: TestDatabase, _ body: (Int64, ApplicationStore) throws -> ApplicationDetails
    )
        throws -> (ApplicationDetails, Watch, Int64, PostgresConnection)
    {
        let connection = try db.connect()
        let writer = try db.connect()
        defer { writer.close() }
        let id = try connection.createApplication(authority: "BAFA", createdOn: "2025-01-02")
        try connection.insertEvent(id, "submit", on: "2025-01-10")

        let watch = Watch()
        connection.statementObserver = { sql in
            watch.statements.append(sql)
            guard !watch.committed, sql.contains("from application_items") else { return }
            do {
                try writer.insertEvent(id, "accept", on: "2025-01-20")
                watch.committed = true
            } catch {
                Issue.record("the other session could not record accept: \(error)")
            }
        }
        let details = try body(id, ApplicationStore(connection: connection))
        connection.statementObserver = nil
        return (details, watch, id, connection)
    }

    @Test func showSeesNoEventCommittedBetweenItsReads() throws {
        try TestDatabase.with { db in
            let (details, watch, id, connection) = try Self.showWhileAccepting(db) { id, store in
                try store.show("\(id)", asOf: CivilDate(iso8601: "2025-01-31"))
            }
            defer { connection.close() }
            #expect(watch.committed)

            // Everything as it was before accept: status, history and next events agree.
            #expect(details.status == "submitted")
            #expect(details.statusSince == CivilDate(iso8601: "2025-01-10"))
            #expect(details.events.map(\.event) == ["create", "submit"])
            #expect(details.events.last?.to == details.status)
            #expect(details.nextEvents == Self.afterSubmit)

            // One transaction, read-only and repeatable read, around every statement.
            let begins = watch.statements.filter { $0.hasPrefix("BEGIN") }
            #expect(begins == ["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"])
            #expect(watch.statements.first == begins.first)
            #expect(watch.statements.last == "COMMIT")
            #expect(watch.statements.count >= 8, "resolve, application, items, events, next, clock, outlook")

            // The event did commit: a new show sees it.
            let after = try ApplicationStore(connection: connection).show("\(id)")
            #expect(after.status == "under_review")
            #expect(after.events.map(\.event) == ["create", "submit", "accept"])
        }
    }

    @Test func detailsAloneIsOneSnapshotToo() throws {
        try TestDatabase.with { db in
            let (details, watch, _, connection) = try Self.showWhileAccepting(db) { id, store in
                try store.details(of: id)
            }
            defer { connection.close() }
            #expect(watch.committed)
            #expect(details.status == "submitted")
            #expect(details.events.map(\.event) == ["create", "submit"])
            #expect(details.nextEvents == Self.afterSubmit)
            #expect(watch.statements.filter { $0.hasPrefix("BEGIN") }.count == 1)
        }
    }

    @Test func showOfAnUnknownKeyLeavesNoTransactionOpen() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let error = #expect(throws: LicTrackError.self) {
                try ApplicationStore(connection: connection).show("NO-SUCH-REF")
            }
            #expect(error?.kind == .notFound)
            #expect(!connection.isInTransaction)
        }
    }
}
