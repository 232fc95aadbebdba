import Postgres

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Applies the embedded migrations to a database, safely and at most once each.
///
/// - Each migration runs in its own transaction together with its ledger row, so a failure
///   leaves the database at the previous version.
/// - A transaction-scoped advisory lock, taken in each of those transactions, serialises concurrent
///   `db migrate` runs: a second run waits for the migration being applied, then finds it in the
///   ledger and moves on. Nothing is held between transactions, so this also holds behind a pooler
///   in transaction mode (pgbouncer), where consecutive transactions may run on different server
///   sessions and a session lock could be left behind on one of them.
/// - A migration whose text changed after it was applied is refused, as is a database that
///   carries migrations this binary does not know.
public struct Migrator {
    /// Key of the advisory lock taken while migrating ("lictrack" in ASCII, as a bigint).
    static let advisoryLockKey: Int64 = 0x6C69_6374_7261_636B

    let connection: PostgresConnection
    let migrations: [Migration]

    public init(connection: PostgresConnection, migrations: [Migration] = Migration.all) {
        self.connection = connection
        self.migrations = migrations
    }

    /// A migrator for an open database, with every migration built into this lictrack.
    public init(_ database: Database) {
        self.init(connection: database.connection)
    }

    /// Applies every pending migration and returns the ones applied by this call.
    @discardableResult
    public func migrate() throws -> [Migration] {
        try LicTrackError.translating {
            let pending = try connection.transaction(maxAttempts: 1) { tx in
                try tx.execute("select pg_advisory_xact_lock($1::bigint)", [Self.advisoryLockKey])
                try tx.executeScript(Self.ledgerDDL)
                let states = try currentStates()
                try Self.refuseInconsistent(states)
                return Set(states.filter { $0.status == .pending }.map(\.version))
            }
            var applied: [Migration] = []
            for migration in migrations where pending.contains(migration.version) {
                let didApply = try connection.transaction(maxAttempts: 1) { tx in
                    // After the lock, this statement's snapshot sees what a concurrent run committed.
                    try tx.execute("select pg_advisory_xact_lock($1::bigint)", [Self.advisoryLockKey])
                    let recorded = try tx.query(
                        "select 1 from lictrack_migrations where version = $1::integer", [migration.version])
                    guard recorded.isEmpty else { return false }
                    try tx.executeScript(migration.sql)
                    try tx.execute(
                        """
                        insert into lictrack_migrations (version, name, checksum)
                        values ($1::integer, $2, encode(sha256(convert_to($3, 'UTF8')), 'hex'))
                        """,
                        [migration.version, migration.name, migration.sql])
                    return true
                }
                if didApply { applied.append(migration) }
            }
            return applied
        }
    }

    /// Lists every migration, known to this binary or recorded in the database, with its state.
    public func status() throws -> [MigrationState] {
        try LicTrackError.translating {
            let exists = try connection.query("select to_regclass('lictrack_migrations') is not null as present")
            guard try exists[0].decode(Bool.self, "present") else {
                return migrations.map {
                    MigrationState(version: $0.version, name: $0.name, status: .pending)
                }
            }
            return try currentStates()
        }
    }

    /// Compares the ledger with the embedded migrations.
    func currentStates() throws -> [MigrationState] {
        let rows = try connection.query(
            "select version, name, checksum, applied_at, applied_by from lictrack_migrations order by version")
        var ledger: [Int: (name: String, checksum: String, appliedAt: Date, appliedBy: String)] = [:]
        for row in rows {
            ledger[try row.decode(Int.self, "version")] = (
                try row.decode(String.self, "name"), try row.decode(String.self, "checksum"),
                try row.decode(Date.self, "applied_at"), try row.decode(String.self, "applied_by")
            )
        }
        var states: [MigrationState] = []
        for migration in migrations {
            guard let recorded = ledger.removeValue(forKey: migration.version) else {
                states.append(MigrationState(version: migration.version, name: migration.name, status: .pending))
                continue
            }
            let checksum = try connection.query(
                "select encode(sha256(convert_to($1, 'UTF8')), 'hex') as checksum", [migration.sql])[0]
                .decode(String.self, "checksum")
            states.append(
                MigrationState(
                    version: migration.version, name: migration.name,
                    status: checksum == recorded.checksum ? .applied : .changed,
                    appliedAt: recorded.appliedAt, appliedBy: recorded.appliedBy))
        }
        for (version, recorded) in ledger {
            states.append(
                MigrationState(
                    version: version, name: recorded.name, status: .unknown, appliedAt: recorded.appliedAt,
                    appliedBy: recorded.appliedBy))
        }
        return states.sorted { $0.version < $1.version }
    }

    static func refuseInconsistent(_ states: [MigrationState]) throws {
        if let changed = states.first(where: { $0.status == .changed }) {
            throw LicTrackError(
                .configuration,
                "migration \(changed.version) (\(changed.name)) was changed after it was applied to this database",
                hint: "applied migrations are never edited; add a new migration instead")
        }
        if let unknown = states.first(where: { $0.status == .unknown }) {
            throw LicTrackError(
                .configuration,
                "the database has migration \(unknown.version) (\(unknown.name)), which this lictrack does not know",
                hint: "use a newer lictrack")
        }
    }

    static let ledgerDDL = """
        create table if not exists lictrack_migrations (
            version     integer primary key,
            name        text not null,
            checksum    text not null,
            applied_at  timestamptz not null default now(),
            applied_by  text not null default session_user
        );
        comment on table lictrack_migrations is
            'Schema migrations applied by lictrack db migrate, with the SHA-256 of each file''s text.';
        """
}
