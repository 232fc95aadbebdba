/// An error thrown by the `Postgres` module.
///
/// Modelled on postgres-nio's `PSQLError`: ``description`` names only the ``kind`` and the
/// ``sqlState``, because server messages and details can contain row data (a duplicate key, a
/// failing value). Use ``debugDescription`` (`String(reflecting: error)`) for the full picture.
/// Every text field coming from libpq or the server has the connection's password scrubbed out.
public struct PostgresError: Error, Sendable {
    /// The broad category of a failure.
    public enum Kind: Sendable, Equatable {
        /// The connection could not be established (bad address, refused, bad connection string,
        /// no such database); ``PostgresError/sqlState`` is set when a server answered.
        case connectionFailed
        /// The server refused the credentials (SQLSTATE class `28`: wrong password, unknown role,
        /// no `pg_hba.conf` entry, a role that may not log in), or it asked for a password and none was given.
        ///
        /// Not a ``PostgresError/isConnectionFailure``: the server was reached, and trying again will not help.
        case authenticationFailed
        /// The connection broke, or was already closed, while a command was running.
        ///
        /// Whether that command took effect is unknown.
        case connectionLost
        /// The server rejected a command; ``PostgresError/sqlState`` says why.
        case server
        /// A result value could not be decoded into the requested Swift type.
        case decoding
        /// libpq or the server did something this layer does not support or expect.
        case protocolViolation
    }

    /// The broad category of the failure.
    public var kind: Kind
    /// The five-character SQLSTATE code reported by the server, such as `23505`, if any.
    public var sqlState: String?
    /// The server's primary message, or libpq's message, with the password scrubbed out.
    public var message: String
    /// The server's secondary message, if any.
    public var detail: String?
    /// The server's suggestion of what to do about the problem, if any.
    public var hint: String?
    /// The name of the constraint that was violated, if any.
    public var constraintName: String?
    /// The name of the table the error relates to, if any.
    public var tableName: String?
    /// The name of the table column the error relates to, if any.
    public var columnName: String?
    /// The name of the schema the error relates to, if any.
    public var schemaName: String?
    /// The non-localized severity reported by the server (`ERROR`, `FATAL`, `PANIC`), if any.
    public var severity: String?
    /// The result column that could not be decoded, for ``Kind/decoding`` errors.
    public var column: String?
    /// Where the server was when it failed, such as `COPY import_rows, line 3, column event_on: "x"`, if any.
    public var context: String?

    /// Creates an error from its parts.
    public init(
        kind: Kind,
        message: String,
        sqlState: String? = nil,
        detail: String? = nil,
        hint: String? = nil,
        constraintName: String? = nil,
        tableName: String? = nil,
        columnName: String? = nil,
        schemaName: String? = nil,
        severity: String? = nil,
        column: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraintName = constraintName
        self.tableName = tableName
        self.columnName = columnName
        self.schemaName = schemaName
        self.severity = severity
        self.column = column
    }

    /// Whether a retry of the whole transaction may succeed: a serialization failure (`40001`) or a deadlock (`40P01`).
    public var isSerializationFailure: Bool {
        self.sqlState == "40001" || self.sqlState == "40P01"
    }

    /// Whether the connection itself failed, was lost, or is being shut down by the server.
    ///
    /// True for ``Kind/connectionFailed`` and ``Kind/connectionLost``, for SQLSTATE class `08`
    /// (connection exception), and for `57P01`–`57P03` (administrator shutdown, crash shutdown,
    /// cannot connect now).
    public var isConnectionFailure: Bool {
        switch self.kind {
        case .connectionFailed, .connectionLost:
            return true
        case .server, .decoding, .protocolViolation, .authenticationFailed:
            break
        }
        guard let sqlState = self.sqlState else { return false }
        return sqlState.hasPrefix("08") || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03"
    }
}

extension PostgresError: CustomStringConvertible {
    /// A summary naming only the kind and the SQLSTATE, safe to log or show.
    ///
    /// The message and detail are deliberately left out: they can contain data.
    public var description: String {
        if let sqlState = self.sqlState {
            return "PostgresError(kind: \(self.kind), sqlState: \(sqlState))"
        }
        return "PostgresError(kind: \(self.kind))"
    }
}

extension PostgresError: CustomDebugStringConvertible {
    /// Every field of the error, for debugging; can contain data from the failing statement.
    public var debugDescription: String {
        var fields: [String] = ["kind: \(self.kind)"]
        func add(_ name: String, _ value: String?) {
            if let value { fields.append("\(name): \(String(reflecting: value))") }
        }
        add("sqlState", self.sqlState)
        add("severity", self.severity)
        add("message", self.message)
        add("detail", self.detail)
        add("hint", self.hint)
        add("schemaName", self.schemaName)
        add("tableName", self.tableName)
        add("columnName", self.columnName)
        add("constraintName", self.constraintName)
        add("column", self.column)
        add("context", self.context)
        return "PostgresError(\(fields.joined(separator: ", ")))"
    }
}
