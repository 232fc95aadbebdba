import LicTrackTestSupport
import Postgres

/// A fresh connection to the test server's administrative database.
func connect() throws -> PostgresConnection {
    try TestCluster.connectAdmin()
}

/// A name no other test uses, such as `skew_1f3a9c2e7b4d5a60`, for tables and databases.
func uniqueName(_ prefix: String) -> String {
    let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    return "\(prefix)_\(String(repeating: "0", count: 16 - suffix.count))\(suffix)"
}

/// The admin connection string's parameters with `changes` applied, as a `key=value` string.
func adminConnectionString(replacing changes: [String: String]) throws -> String {
    var parameters = try PostgresConfiguration.parseConnectionString(TestCluster.adminConnectionString)
    parameters.removeAll { changes[$0.keyword] != nil }
    parameters += changes.sorted { $0.key < $1.key }.map { (keyword: $0.key, value: $0.value) }
    return PostgresConfiguration.formatConnectionString(parameters)
}

/// Where the test server actually is (host or socket directory, port, user), whatever the admin connection string says.
func serverAddress() throws -> (host: String, port: String, user: String) {
    let row = try connect().query(
        """
        SELECT coalesce(host(inet_server_addr()), split_part(current_setting('unix_socket_directories'), ',', 1)) AS host,
               current_setting('port') AS port, current_user AS "user"
        """
    )[0]
    return (
        try row.decode(String.self, "host"), try row.decode(String.self, "port"), try row.decode(String.self, "user")
    )
}
