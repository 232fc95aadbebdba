import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// `lictrack db migrate` and `db status` on empty, migrated and concurrently migrated databases.
@Suite("db migrate and db status")
struct MigrationCommandTests {
    /// How many times each version appears in the ledger, straight from PostgreSQL.
    static func ledger(_ db: TestDatabase) throws -> [Int: Int] {
        let connection = try db.connect()
        defer { connection.close() }
        var counts: [Int: Int] = [:]
        for row in try connection.query("select version, count(*) as n from lictrack_migrations group by version") {
            counts[try row.decode(Int.self, "version")] = try row.decode(Int.self, "n")
        }
        return counts
    }

    /// The versions `db status --format json` reports, by status.
    static func statusJSON(
        _ db: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [(Int, String)] {
        let outcome = try lictrack(["db", "status", "--format", "json"], database: db)
        // 0: up to date; 1: migrations pending. Either way the list is printed.
        try #require([0, 1].contains(outcome.status), "\(outcome)", sourceLocation: sourceLocation)
        let rows = try #require(
            try outcome.json() as? [[String: Any]], "\(outcome.stdout)", sourceLocation: sourceLocation)
        return rows.map { (int($0["version"]) ?? -1, $0["status"] as? String ?? "") }
    }

    @Test("an unmigrated database: app list exits 78 and says to run db migrate")
    func notMigrated() throws {
        try TestDatabase.with(migrated: false) { db in
            for arguments in [["app", "list"], ["app", "show", "1"]] {
                let outcome = try lictrack(arguments, database: db)
                expectFailure(outcome, status: 78, arguments.joined(separator: " "))
                #expect(outcome.stderr.contains("db migrate"), "no hint to migrate: \(outcome.stderr)")
            }
        }
    }

    @Test("db status lists pending migrations, db migrate applies them, and again is a no-op")
    func migrateThenNoOp() throws {
        try TestDatabase.with(migrated: false) { db in
            let pending = try Self.statusJSON(db)
            #expect(!pending.isEmpty)
            #expect(pending.allSatisfy { $0.1 == "pending" }, "\(pending)")
            #expect(pending.map(\.0) == pending.map(\.0).sorted())
            #expect(pending.map(\.0).contains(2), "the workflow migration is 0002")

            let table = try lictrack(["db", "status"], database: db)
            #expect(table.status == 1, "db status exits 1 while migrations are pending: \(table)")
            #expect(table.stderr.isEmpty)
            #expect(table.stdout.contains("pending"))
            #expect(table.stdout.contains("workflow"))

            let first = try lictrackOK(["db", "migrate"], database: db)
            #expect(first.stdout.contains("Applied"), "\(first.stdout)")
            #expect(first.stdout.contains("0002_workflow.sql"))
            let afterFirst = try Self.ledger(db)
            #expect(Set(afterFirst.keys) == Set(pending.map(\.0)))
            #expect(afterFirst.values.allSatisfy { $0 == 1 })

            let applied = try Self.statusJSON(db)
            #expect(applied.map(\.0) == pending.map(\.0))
            #expect(applied.allSatisfy { $0.1 == "applied" }, "\(applied)")

            let second = try lictrackOK(["db", "migrate"], database: db)
            #expect(second.stdout.contains("up to date"), "\(second.stdout)")
            #expect(!second.stdout.contains("Applied"))
            #expect(try Self.ledger(db) == afterFirst)

            let json = try lictrackOK(["db", "migrate", "--format", "json"], database: db)
            let object = try #require(try json.json() as? [String: Any])
            #expect((object["applied"] as? [Any])?.isEmpty == true)
            #expect(int(object["version"]) == pending.map(\.0).max())

            // And now the application commands work.
            #expect(try listedIDs([], db) == [])
        }
    }

    @Test("a database cloned from the migrated template is already up to date")
    func templateIsUpToDate() throws {
        try TestDatabase.with { db in
            let outcome = try lictrackOK(["db", "migrate"], database: db)
            #expect(outcome.stdout.contains("up to date"), "\(outcome.stdout)")
        }
    }

    @Test("two db migrate processes at once on a fresh database both succeed and apply each migration once")
    func concurrentMigrate() throws {
        try TestDatabase.with(migrated: false) { db in
            let one = LicTrackBinary.start(["db", "migrate", "--format", "json"], database: db)
            let two = LicTrackBinary.start(["db", "migrate", "--format", "json"], database: db)
            let outcomes = [try one.wait(), try two.wait()]
            for outcome in outcomes {
                #expect(outcome.status == 0, "\(outcome)")
                #expect(outcome.stderr.isEmpty, "\(outcome.stderr)")
            }
            let ledger = try Self.ledger(db)
            #expect(!ledger.isEmpty)
            #expect(ledger.values.allSatisfy { $0 == 1 }, "a version was recorded twice: \(ledger)")

            // Between them they applied every migration exactly once.
            var applied: [Int] = []
            for outcome in outcomes {
                let object = try #require(try outcome.json() as? [String: Any], "\(outcome.stdout)")
                applied += (object["applied"] as? [[String: Any]] ?? []).compactMap { int($0["version"]) }
            }
            #expect(applied.sorted() == ledger.keys.sorted())
            #expect(try Self.statusJSON(db).allSatisfy { $0.1 == "applied" })
            #expect(try listedIDs([], db) == [])
        }
    }

    @Test("db migrate works from any working directory: the binary carries its migrations")
    func migrateFromElsewhere() throws {
        try TestDatabase.with(migrated: false) { db in
            let elsewhere = URL(fileURLWithPath: "/tmp", isDirectory: true)
            let outcome = try lictrackOK(["db", "migrate"], database: db, currentDirectory: elsewhere)
            #expect(outcome.stdout.contains("Applied"))
            let status = try lictrackOK(
                ["db", "status", "--format", "json"], database: db, currentDirectory: elsewhere)
            let rows = try #require(try status.json() as? [[String: Any]])
            #expect(!rows.isEmpty)
            #expect(rows.allSatisfy { $0["status"] as? String == "applied" })
            let id = try createApplication(db, on: "2025-04-01")
            #expect(try show(id, db)["status"] as? String == "draft")
        }
    }
}
