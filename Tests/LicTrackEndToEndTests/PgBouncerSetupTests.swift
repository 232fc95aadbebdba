import Foundation
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// What pgbouncer needs from its configuration and the database, and `db migrate` through it
/// (Docs/operations.md, "Behind pgbouncer").
@Suite("Behind pgbouncer: settings and migrations", .enabled(if: PgBouncer.shouldRun, pgbouncerSkipReason))
struct PgBouncerSetupTests {
    @Test("without ignore_startup_parameters = options, lictrack exits 78 naming the setting")
    func startupOptionsRefused() throws {
        try TestDatabase.with { db in
            try setSessionDefaults(on: db)
            let bouncer = try PgBouncer.start(PgBouncer.Settings(ignoresOptions: false))
            defer { bouncer.stop() }
            let outcome = try Pooled(bouncer: bouncer, database: db).run(["app", "list"])
            expectFailure(outcome, status: 78, "app list")
            #expect(outcome.stderr.contains("unsupported startup parameter: options"), "\(outcome.stderr)")
            #expect(outcome.stderr.contains("ignore_startup_parameters = options"), "\(outcome.stderr)")
            #expect(outcome.stdout.isEmpty)
        }
    }

    @Test("a database without IntervalStyle set: every command exits 78 and writes nothing")
    func sessionDefaultsMissing() throws {
        try TestDatabase.with { db in
            // DateStyle alone: the cluster's default IntervalStyle, postgres, is what lictrack then gets.
            let direct = try db.connect()
            try direct.execute(
                "do $$ begin execute format('alter database %I set datestyle = %L', current_database(), 'ISO, YMD'); end $$"
            )
            direct.close()
            let bouncer = try PgBouncer.start()
            defer { bouncer.stop() }
            let pooled = Pooled(bouncer: bouncer, database: db)
            let before = try rowCounts(db)
            let created = try pooled.run([
                "app", "create", "--authority", "BIS", "--applicant", "Nobody", "--destination", "DE",
            ])
            expectFailure(created, status: 78, "app create")
            #expect(created.stderr.contains("IntervalStyle 'postgres'"), "\(created.stderr)")
            #expect(created.stderr.contains("SET IntervalStyle = 'iso_8601'"), "\(created.stderr)")
            #expect(try rowCounts(db) == before)
            expectFailure(try pooled.run(["db", "status"]), status: 78, "db status")
        }
    }

    /// With one server connection, a session advisory lock taken by one `db migrate` stays on the
    /// server session that the other then gets, so the other would take it again at once and both
    /// would apply the same migrations. The lock is transaction-scoped, so they take turns.
    @Test("two db migrate processes through a pool of one server connection apply each migration once")
    func concurrentMigrate() throws {
        try TestDatabase.with(migrated: false) { db in
            try setSessionDefaults(on: db)
            let bouncer = try PgBouncer.start(PgBouncer.Settings(poolSize: 1))
            defer { bouncer.stop() }
            let url = Pooled(bouncer: bouncer, database: db).url
            let runs = (0..<2).map { _ in
                LicTrackBinary.start(
                    ["db", "migrate", "--format", "json"], environment: ["LICTRACK_DATABASE_URL": url])
            }
            let outcomes = try runs.map { try $0.wait() }
            var applied: [Int] = []
            for outcome in outcomes {
                #expect(outcome.status == 0, "\(outcome)")
                let object = try #require(try outcome.json() as? [String: Any], "\(outcome.stdout)")
                applied += (object["applied"] as? [[String: Any]] ?? []).compactMap { int($0["version"]) }
            }
            let all = Migration.all.map(\.version)
            #expect(applied.sorted() == all)
            let connection = try db.connect()
            defer { connection.close() }
            let ledger = try connection.query("select version from lictrack_migrations order by version")
                .map { try $0.decode(Int.self, "version") }
            #expect(ledger == all)
            // No advisory lock is left behind on any server session.
            let locks = try connection.query(
                """
                select count(*) as n from pg_locks
                where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())
                """)
            #expect(try locks[0].decode(Int.self, "n") == 0)
        }
    }
}
