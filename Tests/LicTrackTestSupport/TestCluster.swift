import Postgres

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The PostgreSQL server the tests run against, and throwaway databases on it.
///
/// The server is `LICTRACK_TEST_DATABASE_URL` if set, else libpq's defaults (`PG*` variables).
/// There is no skipping: if no server is reachable, the tests that need one fail.
public enum TestCluster {
    /// The connection string for an administrative connection that may create and drop databases.
    public static var adminConnectionString: String {
        guard let value = getenv("LICTRACK_TEST_DATABASE_URL") else { return "" }
        return String(cString: value)
    }

    /// Opens a connection to the administrative database.
    ///
    /// - Throws: ``PostgresError`` of kind `.connectionFailed` if no server is reachable.
    public static func connectAdmin() throws -> PostgresConnection {
        try PostgresConnection(
            configuration: PostgresConfiguration(
                connectionString: Self.adminConnectionString,
                applicationName: "lictrack-tests"
            )
        )
    }

    /// Creates the database `name`, as a copy of `template` if given.
    ///
    /// Names must match `^[a-z0-9_]+$` (they are identifiers, which cannot be query parameters).
    ///
    /// Copying a template fails while anyone else is connected to it, so that case is retried for a few seconds.
    public static func createDatabase(named name: String, template: String? = nil) throws {
        var sql = "CREATE DATABASE \(Self.quotedIdentifier(name))"
        if let template {
            sql += " TEMPLATE \(Self.quotedIdentifier(template))"
        }
        let admin = try Self.connectAdmin()
        defer { admin.close() }
        var attempt = 0
        while true {
            do {
                try admin.execute(sql)
                return
            } catch let error as PostgresError where error.sqlState == "55006" && attempt < 50 {
                // object_in_use: another session is connected to the template.
                attempt += 1
                usleep(100_000)
            }
        }
    }

    /// Drops the database `name` if it exists, disconnecting anyone still using it.
    public static func dropDatabase(named name: String) throws {
        let admin = try Self.connectAdmin()
        defer { admin.close() }
        try admin.execute("DROP DATABASE IF EXISTS \(Self.quotedIdentifier(name)) WITH (FORCE)")
    }

    /// The admin connection string with its database replaced by `name`, as a `key=value` string.
    ///
    /// Works for URLs, `key=value` strings and the empty string (libpq defaults); everything
    /// else in the admin connection string (hosts, ports, user, password, options) is kept.
    public static func connectionString(forDatabase name: String) -> String {
        precondition(Self.isValidName(name), "TestCluster: invalid database name \(String(reflecting: name))")
        let parameters: [(keyword: String, value: String)]
        do {
            parameters = try PostgresConfiguration.parseConnectionString(Self.adminConnectionString)
        } catch {
            preconditionFailure("TestCluster: LICTRACK_TEST_DATABASE_URL is not a valid connection string: \(error)")
        }
        let kept = parameters.filter { $0.keyword != "dbname" }
        return PostgresConfiguration.formatConnectionString(kept + [(keyword: "dbname", value: name)])
    }

    /// Whether `name` is a database name the tests may use: lowercase letters, digits and underscores.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 63
            && name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "_") }
    }

    /// `name` in double quotes, after checking it is a valid test database name (a test bug otherwise).
    private static func quotedIdentifier(_ name: String) -> String {
        precondition(Self.isValidName(name), "TestCluster: invalid database name \(String(reflecting: name))")
        return "\"\(name)\""
    }
}
