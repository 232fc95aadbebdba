import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// ApplicationStore.resolve: what a user types as APP, turned into an application id.
@Suite("Resolving APP to an application")
struct ResolveTests {
    @Test func byIdAndHashId() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let store = ApplicationStore(connection: connection)
            _ = try connection.createApplication()
            let id = try connection.createApplication()
            #expect(try store.resolve("\(id)") == id)
            #expect(try store.resolve("#\(id)") == id)
            #expect(try store.resolve("  #\(id) ") == id)
        }
    }

    @Test func byAuthorityReferenceIgnoringCase() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let store = ApplicationStore(connection: connection)
            _ = try connection.createApplication(reference: "BAFA-2025-0016")
            let id = try connection.createApplication(reference: "BAFA-2025-0017")
            #expect(try store.resolve("BAFA-2025-0017") == id)
            #expect(try store.resolve("bafa-2025-0017") == id)
            #expect(try store.resolve(" Bafa-2025-0017 ") == id)
        }
    }

    /// A reference given later by an event (accept --authority-ref) resolves too.
    @Test func byReferenceRecordedWithAnEvent() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let store = ApplicationStore(connection: connection)
            let id = try connection.createApplication()
            try connection.execute(
                """
                insert into application_events (application_id, event, occurred_on, authority_reference)
                values ($1::bigint, 'submit', date '2025-01-10', 'ECJU/SIEL/2025/123')
                """, [id])
            #expect(try store.resolve("ecju/siel/2025/123") == id)
        }
    }

    @Test func ambiguousReferenceIsInvalidInput() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let store = ApplicationStore(connection: connection)
            let first = try connection.createApplication(authority: "BIS", reference: "Z1234567")
            let second = try connection.createApplication(authority: "BAFA", reference: "z1234567")
            let error = #expect(throws: LicTrackError.self) { try store.resolve("Z1234567") }
            #expect(error?.kind == .invalidInput)
            #expect(error?.message.contains("\(first), \(second)") == true)
        }
    }

    @Test func unknownReferenceIsNotFound() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let store = ApplicationStore(connection: connection)
            _ = try connection.createApplication(reference: "BAFA-2025-0017")
            let error = #expect(throws: LicTrackError.self) { try store.resolve("BAFA-2025-9999") }
            #expect(error?.kind == .notFound)
        }
    }

    /// The CLI help promises APP may be the authority reference number; some authorities' numbers are all digits.
    ///
    /// Product bug (or undocumented limitation): resolve() treats any all-digit text as an id without
    /// looking for a reference, so an application filed under reference 20250417 cannot be found by it.
    @Test func allDigitReferenceResolvesToItsApplication() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let store = ApplicationStore(connection: connection)
            let id = try connection.createApplication(authority: "MOFCOM", reference: "20250417")
            #expect(try store.resolve("20250417") == id)
        }
    }
}
