import CLibPQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension PostgresConnection {
    /// Runs one SQL statement with `$1`, `$2`, ... parameters and returns its rows.
    ///
    /// Parameters are sent separately from the SQL, as text with no declared type (cast in the
    /// SQL: `$1::date`); `nil` is SQL `NULL`. Never build SQL by interpolating values.
    ///
    /// - Throws: ``PostgresError``: ``PostgresError/Kind/server`` if the server rejects the
    ///   statement, ``PostgresError/Kind/connectionLost`` if the connection breaks or is closed.
    ///   An `EncodingError` if a ``PostgresJSON`` parameter cannot be encoded.
    public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> PostgresResult {
        try self.run(sql, parameters, clearingNotices: true)
    }

    /// Runs one SQL statement with parameters and returns the number of rows it affected.
    ///
    /// The count comes from the command tag: rows inserted, updated, deleted, selected, and so on;
    /// 0 for statements without a count, such as `CREATE TABLE`.
    ///
    /// - Throws: like ``query(_:_:)``.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> Int {
        try self.run(sql, parameters, clearingNotices: true).affectedRows
    }

    /// Runs a script of several `;`-separated statements, without parameters.
    ///
    /// Uses libpq's simple query protocol, so only trusted SQL (migration files) belongs here.
    /// Unless the script manages transactions itself, the server runs it as one implicit
    /// transaction: an error rolls back the statements before it.
    ///
    /// - Throws: like ``query(_:_:)``, for the first statement that fails.
    public func executeScript(_ sql: String) throws {
        let handle = try self.openHandle()
        try Self.checkNoNulBytes(sql, what: "the SQL script")
        self.noticeBuffer.clear()
        self.statementObserver?(sql)
        _ = try self.makeResult(PQexec(handle, sql))
    }

    /// Runs `sql` with the extended query protocol and text parameters.
    func run(_ sql: String, _ parameters: [(any PostgresEncodable)?], clearingNotices: Bool) throws -> PostgresResult {
        let handle = try self.openHandle()
        let texts = try Self.encode(sql, parameters)
        let values = texts.map { $0.map { strdup($0) } ?? nil }
        defer { values.forEach { free($0) } }
        let valuePointers = values.map { UnsafePointer($0) }
        if clearingNotices { self.noticeBuffer.clear() }
        self.statementObserver?(sql)
        let result = PQexecParams(handle, sql, Int32(valuePointers.count), nil, valuePointers, nil, nil, 0)
        return try self.makeResult(result)
    }

    /// Checks `sql` and turns `parameters` into the text libpq sends (`nil` for SQL `NULL`).
    static func encode(_ sql: String, _ parameters: [(any PostgresEncodable)?]) throws -> [String?] {
        try Self.checkNoNulBytes(sql, what: "the SQL text")
        var texts: [String?] = []
        texts.reserveCapacity(parameters.count)
        for (offset, parameter) in parameters.enumerated() {
            guard let parameter else {
                texts.append(nil)
                continue
            }
            let text: String
            if let throwing = parameter as? any PostgresThrowingEncodable {
                text = try throwing.postgresEncodedText()
            } else {
                text = parameter.postgresText
            }
            try Self.checkNoNulBytes(text, what: "parameter $\(offset + 1)")
            texts.append(text)
        }
        guard texts.count <= Int(UInt16.max) else {
            throw PostgresError(
                kind: .protocolViolation,
                message: "\(texts.count) parameters; PostgreSQL accepts at most \(UInt16.max)"
            )
        }
        return texts
    }

    /// The libpq handle, or a ``PostgresError/Kind/connectionLost`` error if the connection was closed.
    func openHandle() throws -> OpaquePointer {
        guard let handle = self.handle else {
            throw PostgresError(kind: .connectionLost, message: "the connection is closed")
        }
        return handle
    }

    /// Turns a `PGresult` into a ``PostgresResult``, or into the error it reports.
    private func makeResult(_ result: OpaquePointer?) throws -> PostgresResult {
        let handle = try self.openHandle()
        guard let result else {
            let error = PostgresError(
                kind: PQstatus(handle) == CONNECTION_OK ? .protocolViolation : .connectionLost,
                message: self.scrubber.scrub(Self.errorMessage(handle) ?? "libpq returned no result")
            )
            self.lastCommandError = error
            throw error
        }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(storage: PostgresResult.Storage(handle: result))
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR:
            let error = self.makeError(result, handle: handle)
            PQclear(result)
            self.lastCommandError = error
            throw error
        case PGRES_COPY_OUT, PGRES_COPY_IN, PGRES_COPY_BOTH:
            PQclear(result)
            self.abandonCopy(status, handle: handle)
            let error = PostgresError(kind: .protocolViolation, message: "COPY to or from the client is not supported")
            self.lastCommandError = error
            throw error
        default:
            let statusName = PQresStatus(status).map { String(cString: $0) } ?? "\(status.rawValue)"
            PQclear(result)
            let error = PostgresError(kind: .protocolViolation, message: "unexpected result status \(statusName)")
            self.lastCommandError = error
            throw error
        }
    }

    /// Builds the error for a failed `result`, with every diagnostic field the server sent.
    func makeError(_ result: OpaquePointer, handle: OpaquePointer) -> PostgresError {
        func field(_ code: Int32) -> String? {
            PQresultErrorField(result, code).map { self.scrubber.scrub(String(cString: $0)) }
        }
        let sqlState = field(LTPQ_DIAG_SQLSTATE)
        let kind: PostgresError.Kind
        if PQstatus(handle) != CONNECTION_OK {
            kind = .connectionLost
        } else if sqlState == nil {
            kind = .protocolViolation  // Generated by libpq itself, not by the server.
        } else {
            kind = .server
        }
        let fallbackMessage = PQresultErrorMessage(result).map { String(cString: $0).trimmingWhitespace() }
        var error = PostgresError(
            kind: kind,
            message: field(LTPQ_DIAG_MESSAGE_PRIMARY)
                ?? self.scrubber.scrub(fallbackMessage.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown error"),
            sqlState: sqlState,
            detail: field(LTPQ_DIAG_MESSAGE_DETAIL),
            hint: field(LTPQ_DIAG_MESSAGE_HINT),
            constraintName: field(LTPQ_DIAG_CONSTRAINT_NAME),
            tableName: field(LTPQ_DIAG_TABLE_NAME),
            columnName: field(LTPQ_DIAG_COLUMN_NAME),
            schemaName: field(LTPQ_DIAG_SCHEMA_NAME),
            severity: field(LTPQ_DIAG_SEVERITY_NONLOCALIZED) ?? field(LTPQ_DIAG_SEVERITY)
        )
        error.context = field(LTPQ_DIAG_CONTEXT)
        return error
    }

    /// Gets the connection out of COPY mode after an unexpected `COPY` command, discarding its data.
    func abandonCopy(_ status: ExecStatusType, handle: OpaquePointer) {
        if status == PGRES_COPY_IN {
            _ = PQputCopyEnd(handle, "COPY FROM STDIN is not supported")
        } else {
            while true {
                var buffer: UnsafeMutablePointer<CChar>?
                let length = PQgetCopyData(handle, &buffer, 0)
                if let buffer { PQfreemem(buffer) }
                if length < 0 { break }
            }
        }
        while let result = PQgetResult(handle) {
            PQclear(result)
        }
    }

    /// Throws if `text` contains a NUL byte, which C strings would silently cut off and PostgreSQL text cannot hold.
    ///
    /// The error carries SQLSTATE 22021 (character not in repertoire), what the server says of a NUL in text,
    /// although it is raised here, before anything is sent.
    static func checkNoNulBytes(_ text: String, what: String) throws {
        if text.utf8.contains(0) {
            throw PostgresError(
                kind: .protocolViolation, message: "\(what) contains a NUL byte, which PostgreSQL text cannot hold",
                sqlState: "22021")
        }
    }
}
