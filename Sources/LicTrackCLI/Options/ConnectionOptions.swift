import ArgumentParser
import LicTrackStore
import Postgres

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the database is.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "libpq connection URL or key=value string (default: $LICTRACK_DATABASE_URL, then libpq's PG* defaults).",
            valueName: "url"))
    var databaseURL: String?

    /// The connection string to use: the option, else the environment, else libpq's defaults.
    var connectionString: String? {
        if let databaseURL, !databaseURL.isEmpty { return databaseURL }
        if let value = getenv("LICTRACK_DATABASE_URL") {
            let text = String(cString: value)
            return text.isEmpty ? nil : text
        }
        return nil
    }

    /// Opens a connection, or fails with a database-unavailable error.
    func connect() throws -> PostgresConnection {
        try Self.connect(connectionString)
    }

    /// Opens a connection with this connection string (nil: libpq's defaults), or fails with a
    /// database-unavailable error. For work that opens more than one (the alert job's channels).
    ///
    /// A session whose reported settings the decoders would misread (a pooler that dropped the
    /// startup options, on a database without them) is closed and refused with exit 78.
    static func connect(_ connectionString: String?) throws -> PostgresConnection {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(
                configuration: PostgresConfiguration(connectionString: connectionString))
        } catch let error as PostgresError {
            throw LicTrackError(error)
        }
        do {
            try SessionSettings.verify(connection)
        } catch {
            connection.close()
            throw error
        }
        return connection
    }
}

/// Who is acting, where a shared database account is used.
struct ActorOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("The person acting, recorded with each event (default: $LICTRACK_ACTOR).", valueName: "name")
    )
    var actor: String?

    var resolved: String? {
        if let actor, !actor.isEmpty { return actor }
        if let value = getenv("LICTRACK_ACTOR") {
            let text = String(cString: value)
            return text.isEmpty ? nil : text
        }
        return nil
    }
}
