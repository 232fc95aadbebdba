import CLibPQ

/// The server's reported settings, read without a round trip.
///
/// The server reports some settings (`DateStyle`, `IntervalStyle`, `TimeZone`, `client_encoding`,
/// `server_version`, ...) when the connection starts and again whenever they change; libpq keeps the
/// latest value of each. A connection pooler such as pgbouncer reports its pool's values instead,
/// and may have dropped the startup options this connection asked for, so a caller that relies on a
/// setting can check it here.
extension PostgresConnection {
    /// The current value of the reported setting `name` (`PQparameterStatus`), such as `ISO, YMD` for
    /// `DateStyle`; `nil` if the server did not report it, or once the connection is closed.
    ///
    /// Names are matched as the server spells them: `DateStyle`, `IntervalStyle`, `client_encoding`.
    public func parameterStatus(_ name: String) -> String? {
        guard let handle = self.handle, let value = PQparameterStatus(handle, name) else { return nil }
        return String(cString: value)
    }

    /// The database name this connection asked for (`PQdb`), as the server or pooler knows it;
    /// `nil` once the connection is closed.
    public var databaseName: String? {
        guard let handle = self.handle, let name = PQdb(handle) else { return nil }
        return String(cString: name)
    }
}
