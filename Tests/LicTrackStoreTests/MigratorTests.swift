import Foundation
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// The migrator applies each embedded migration once, even concurrently, and refuses a tampered ledger.
@Suite("Migrator")
struct MigratorTests {
    static var allVersions: [Int] { Migration.all.map(\.version) }

    static func ledger(_ connection: PostgresConnection) throws -> [Int] {
        try connection.query("select version from lictrack_migrations order by version").map {
            try $0.decode(Int.self, "version")
        }
    }

    @Test func embeddedMigrationsAreNumberedUniquely() {
        #expect(!Migration.all.isEmpty)
        #expect(Set(Self.allVersions).count == Migration.all.count)
        #expect(Self.allVersions == Self.allVersions.sorted())
        #expect(Migration.all.prefix(3).map(\.name) == ["reference_codes", "workflow", "calendars"])
    }

    @Test func migratesAnEmptyDatabaseOnce() throws {
        try TestDatabase.with(migrated: false) { db in
            let connection = try db.connect()
            defer { connection.close() }
            let migrator = Migrator(connection: connection)
            #expect(try migrator.status().map(\.status) == Array(repeating: .pending, count: Migration.all.count))

            let applied = try migrator.migrate()
            #expect(applied.map(\.version) == Self.allVersions)
            #expect(try Self.ledger(connection) == Self.allVersions)
            #expect(try connection.value("select to_regclass('application_events') is not null") == "t")

            #expect(try migrator.migrate().isEmpty)
            let states = try migrator.status()
            #expect(states.map(\.version) == Self.allVersions)
            #expect(states.allSatisfy { $0.status == .applied })
            #expect(states.allSatisfy { $0.appliedAt != nil && $0.appliedBy != nil })
            #expect(try Self.ledger(connection) == Self.allVersions)
        }
    }

    /// Two migrators on two connections, started together on one empty database, both succeed.
    @Test func concurrentMigrationsApplyEachVersionOnce() throws {
        try TestDatabase.with(migrated: false) { db in
            final class Outcomes: @unchecked Sendable {
                let lock = NSLock()
                var applied: [[Int]] = []
                var errors: [String] = []
                func record(_ body: () throws -> [Int]) {
                    do {
                        let versions = try body()
                        lock.withLock { applied.append(versions) }
                    } catch {
                        lock.withLock { errors.append(String(describing: error)) }
                    }
                }
            }
            let outcomes = Outcomes()
            let ready = DispatchGroup()
            let start = DispatchSemaphore(value: 0)
            let done = DispatchGroup()
            for _ in 0..<2 {
                ready.enter()
                done.enter()
                let thread = Thread {
                    let connection = Result { try db.connect() }
                    ready.leave()
                    start.wait()
                    outcomes.record { try Migrator(connection: try connection.get()).migrate().map(\.version) }
                    (try? connection.get())?.close()
                    done.leave()
                }
                thread.start()
            }
            #expect(ready.wait(timeout: .now() + 30) == .success)
            start.signal()
            start.signal()
            #expect(done.wait(timeout: .now() + 120) == .success)

            #expect(outcomes.errors.isEmpty, "\(outcomes.errors)")
            #expect(outcomes.applied.count == 2)
            #expect(outcomes.applied.flatMap { $0 }.sorted() == Self.allVersions)
            let connection = try db.connect()
            defer { connection.close() }
            #expect(try Self.ledger(connection) == Self.allVersions)
            #expect(try Migrator(connection: connection).status().allSatisfy { $0.status == .applied })
        }
    }

    @Test func changedMigrationIsRefused() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try connection.execute("update lictrack_migrations set checksum = 'x' where version = 2")
            let migrator = Migrator(connection: connection)
            let states = try migrator.status()
            #expect(states.first { $0.version == 2 }?.status == .changed)
            #expect(states.filter { $0.version != 2 }.allSatisfy { $0.status == .applied })
            let error = try #require(throws: LicTrackError.self) { try migrator.migrate() }
            #expect(error.kind == .configuration)
            #expect(error.message.contains("migration 2"))
        }
    }

    @Test func unknownMigrationIsRefused() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try connection.execute(
                "insert into lictrack_migrations (version, name, checksum) values (999, 'from_the_future', 'abc')")
            let migrator = Migrator(connection: connection)
            let states = try migrator.status()
            let unknown = try #require(states.first { $0.version == 999 })
            #expect(unknown.status == .unknown)
            #expect(unknown.name == "from_the_future")
            #expect(states.filter { $0.version != 999 }.allSatisfy { $0.status == .applied })
            let error = try #require(throws: LicTrackError.self) { try migrator.migrate() }
            #expect(error.kind == .configuration)
            #expect(error.message.contains("999"))
        }
    }

    /// A pending migration is not applied while the ledger is inconsistent.
    @Test func nothingIsAppliedPastATamperedLedger() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let last = try #require(Self.allVersions.last)
            try connection.execute("delete from lictrack_migrations where version = $1::integer", [last])
            try connection.execute("update lictrack_migrations set checksum = 'x' where version = 1")
            let migrator = Migrator(connection: connection)
            #expect(try migrator.status().first { $0.version == last }?.status == .pending)
            #expect(throws: LicTrackError.self) { try migrator.migrate() }
            #expect(try Self.ledger(connection) == Array(Self.allVersions.dropLast()))
        }
    }
}
