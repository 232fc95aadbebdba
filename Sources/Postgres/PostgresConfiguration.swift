/// How to reach a PostgreSQL server.
public struct PostgresConfiguration: Sendable {
    /// A libpq connection string: a URL (`postgresql://...`) or `key=value` pairs.
    ///
    /// `nil` or `""` means libpq's defaults: the `PG*` environment variables, the service file and `.pgpass`.
    /// A bare word without `=` is taken as a database name, as libpq does.
    public var connectionString: String?

    /// The name the server shows for this client in `pg_stat_activity`.
    ///
    /// Passed as libpq's `fallback_application_name`, so `application_name` in the connection
    /// string or the `PGAPPNAME` environment variable take precedence.
    public var applicationName: String

    /// Creates a configuration.
    public init(connectionString: String? = nil, applicationName: String = "lictrack") {
        self.connectionString = connectionString
        self.applicationName = applicationName
    }
}
