import Foundation
import LicTrackStore
import Postgres

/// An isolated, fully migrated database for one test, cloned from a template.
///
/// The template is migrated once per set of migrations (its name carries their checksum), under
/// an advisory lock so that several test processes can share a cluster. Each test then gets its
/// own copy with `CREATE DATABASE ... TEMPLATE`, so tests run in parallel without seeing each other.
public struct TestDatabase: Sendable {
    public let name: String

    /// The libpq connection string for this database.
    public var connectionString: String { TestCluster.connectionString(forDatabase: name) }

    /// Opens a new connection to this database.
    public func connect() throws -> PostgresConnection {
        try PostgresConnection(configuration: PostgresConfiguration(connectionString: connectionString))
    }

    /// Runs `body` with a fresh migrated database, dropped afterwards.
    public static func with<T>(migrated: Bool = true, _ body: (TestDatabase) throws -> T) throws -> T {
        let name = "lt_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try TestCluster.createDatabase(named: String(name), template: migrated ? try templateName.get() : nil)
        defer { try? TestCluster.dropDatabase(named: String(name)) }
        return try body(TestDatabase(name: String(name)))
    }

    /// The migrated template's name, created on first use.
    static let templateName: Result<String, any Error> = Result {
        var hasher = FNV1a()
        for migration in Migration.all { hasher.add(migration.fileName + migration.sql) }
        let name = "lt_template_\(hasher.hex)"
        let admin = try TestCluster.connectAdmin()
        defer { admin.close() }
        try admin.execute("select pg_advisory_lock(7353)")
        defer { _ = try? admin.execute("select pg_advisory_unlock(7353)") }
        let exists = try admin.query("select 1 from pg_database where datname = $1", [name]).count > 0
        if !exists {
            let building = name + "_building"
            try TestCluster.dropDatabase(named: building)
            try TestCluster.createDatabase(named: building, template: nil)
            let connection = try PostgresConnection(
                configuration: PostgresConfiguration(
                    connectionString: TestCluster.connectionString(forDatabase: building)))
            try Migrator(connection: connection).migrate()
            connection.close()
            try admin.execute("alter database \"\(building)\" rename to \"\(name)\"")
        }
        return name
    }
}

/// FNV-1a, 64-bit: a stable fingerprint of the migrations for naming the template.
struct FNV1a {
    private var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
    }

    var hex: String { String(hash, radix: 16) }
}
