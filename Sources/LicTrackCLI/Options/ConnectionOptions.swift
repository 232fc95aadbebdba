import ArgumentParser
import LicTrackStore

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

    /// The connection string to use: the option, else `$LICTRACK_DATABASE_URL`, else `nil` (libpq's defaults).
    var connectionString: String? {
        Database.connectionString(databaseURL)
    }

    /// Opens the database, or fails with a database-unavailable or authentication error (or exit 78
    /// for a session whose settings the decoders would misread, such as behind a pooler that
    /// dropped the startup options).
    func connect() throws -> Database {
        try Database(url: databaseURL)
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
