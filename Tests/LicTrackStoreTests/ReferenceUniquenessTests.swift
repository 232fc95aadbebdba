import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// An authority reference names one application of its authority, enforced by the database.
@Suite("Authority references")
struct ReferenceUniquenessTests {
    /// A new application in draft with `reference`, created in SQL as a psql user would.
    static func application(_ connection: PostgresConnection, _ authority: String, _ reference: String?) throws -> Int64
    {
        try connection.query(
            """
            insert into applications (authority, applicant, destination, authority_reference, created_on)
            values ($1, 'Acme', 'DE', $2, '2025-04-01') returning id
            """, [authority, reference])[0].decode(Int64.self, "id")
    }

    @Test("a reference another application of the authority has is refused, ignoring case, naming it")
    func clashIsRefused() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let first = try Self.application(connection, "MOFCOM", "MOFCOM-DU-030001")
            let second = try Self.application(connection, "MOFCOM", "MOFCOM-DU-030002")
            // The same reference at another authority is another case.
            _ = try Self.application(connection, "BIS", "mofcom-du-030001")

            let store = ApplicationStore(connection: connection)
            var input = EventInput(event: .note, on: .date(CivilDate(iso8601: "2025-04-02")!), note: "call")
            input.authorityReference = "mofcom-du-030001"
            input.replaceReference = true
            let error = #expect(throws: LicTrackError.self) { try store.record(input, for: second) }
            #expect(error?.kind == .invalidInput)
            #expect(error?.message.contains("already belongs to application \(first) (MOFCOM)") == true, "\(error!)")
            // Nothing changed: the second keeps its own reference and the first is found by its own.
            #expect(try store.resolve("MOFCOM-DU-030002") == second)
            #expect(try connection.eventCount(of: second) == 1)

            let create = #expect(throws: LicTrackError.self) {
                try store.create(
                    ApplicationDraft(
                        authority: "MOFCOM", applicant: "Acme", destination: "DE",
                        authorityReference: "Mofcom-DU-030001"))
            }
            #expect(create?.message.contains("application \(first)") == true)
        }
    }

    @Test("replacing a reference needs replaceReference, and the record says which one it replaced")
    func replacing() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try Self.application(connection, "MOFCOM", "OLD-1")
            let store = ApplicationStore(connection: connection)
            var input = EventInput(event: .note, on: .date(CivilDate(iso8601: "2025-04-02")!), note: "new number")
            input.authorityReference = "NEW-1"
            let refused = #expect(throws: LicTrackError.self) { try store.record(input, for: id) }
            #expect(refused?.sqlState == "LT021")
            #expect(refused?.message.contains("'OLD-1'") == true && refused?.message.contains("'NEW-1'") == true)
            #expect(refused?.hint?.contains("--replace-ref") == true)

            // The same reference again is no change and needs nothing.
            input.authorityReference = "OLD-1"
            #expect(try store.record(input, for: id).replacedReference == nil)

            input.authorityReference = "NEW-1"
            input.replaceReference = true
            let event = try store.record(input, for: id)
            #expect(event.replacedReference == "OLD-1")
            #expect(event.authorityReference == "NEW-1")
            #expect(try store.resolve("new-1") == id)
            #expect(throws: LicTrackError.self) { try store.resolve("OLD-1") }
        }
    }

    @Test("the migration stops on references already shared, naming them")
    func migrationRefusesDuplicates() throws {
        try TestDatabase.with(migrated: false) { db in
            let connection = try db.connect()
            defer { connection.close() }
            _ = try Migrator(connection: connection, migrations: Migration.all.filter { $0.version < 20 }).migrate()
            let a = try Self.application(connection, "MOFCOM", "DUP-1")
            let b = try Self.application(connection, "MOFCOM", "dup-1")
            _ = try Self.application(connection, "BIS", "DUP-1")
            let error = #expect(throws: LicTrackError.self) { try Migrator(connection: connection).migrate() }
            #expect(error?.sqlState == "LT022")
            #expect(error?.message.contains("MOFCOM") == true)
            #expect(error?.message.contains("\(a), \(b)") == true, "\(error!)")
            #expect(error?.message.contains("BIS") == false)
            #expect(try connection.value("select count(*)::text from lictrack_migrations where version >= 20") == "0")
        }
    }
}
