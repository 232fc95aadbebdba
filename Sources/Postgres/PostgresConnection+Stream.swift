import CLibPQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension PostgresConnection {
    /// Runs one SQL statement with parameters and hands its rows to `body` one at a time, as they arrive.
    ///
    /// Uses libpq's single-row mode, so only one row is held in memory however many the statement
    /// returns: what a report over 100,000 applications needs. Parameters work as in
    /// ``query(_:_:)``. If `body` throws, the statement is cancelled, the rows still in flight are
    /// discarded and the error is rethrown; the connection stays usable (inside a transaction, the
    /// transaction is aborted, as after any failed statement). Rows handed to `body` before a
    /// server error are not taken back: the error is thrown after them.
    ///
    /// - Returns: The number of rows handed to `body`.
    /// - Throws: like ``query(_:_:)``, or what `body` throws.
    @discardableResult
    public func stream(
        _ sql: String, _ parameters: [(any PostgresEncodable)?] = [], _ body: (PostgresRow) throws -> Void
    ) throws -> Int {
        let handle = try self.openHandle()
        let texts = try Self.encode(sql, parameters)
        let values = texts.map { $0.map { strdup($0) } ?? nil }
        defer { values.forEach { free($0) } }
        let valuePointers = values.map { UnsafePointer($0) }
        self.noticeBuffer.clear()
        self.statementObserver?(sql)
        guard PQsendQueryParams(handle, sql, Int32(valuePointers.count), nil, valuePointers, nil, nil, 0) == 1 else {
            throw self.sendFailure(handle)
        }
        guard PQsetSingleRowMode(handle) == 1 else {
            self.discardResults(handle)
            throw self.sendFailure(handle)
        }
        var delivered = 0
        var failure: (any Error)?
        var columns: PostgresResult.Storage?
        while let result = PQgetResult(handle) {
            guard failure == nil else {
                PQclear(result)
                continue
            }
            let status = PQresultStatus(result)
            switch status {
            case PGRES_SINGLE_TUPLE:
                let storage =
                    columns.map { PostgresResult.Storage(handle: result, sameColumnsAs: $0) }
                    ?? PostgresResult.Storage(handle: result)
                columns = columns ?? storage
                do {
                    try body(PostgresRow(storage: storage, row: 0))
                    delivered += 1
                } catch {
                    failure = error
                    self.cancelRunningStatement(handle)
                }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                PQclear(result)
            case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR:
                let error = self.makeError(result, handle: handle)
                PQclear(result)
                self.lastCommandError = error
                failure = error
            case PGRES_COPY_OUT, PGRES_COPY_IN, PGRES_COPY_BOTH:
                PQclear(result)
                self.abandonCopy(status, handle: handle)
                failure = PostgresError(
                    kind: .protocolViolation, message: "COPY to or from the client is not supported")
            default:
                let statusName = PQresStatus(status).map { String(cString: $0) } ?? "\(status.rawValue)"
                PQclear(result)
                failure = PostgresError(kind: .protocolViolation, message: "unexpected result status \(statusName)")
            }
        }
        if failure == nil, PQstatus(handle) != CONNECTION_OK {
            failure = PostgresError(
                kind: .connectionLost,
                message: self.scrubber.scrub(Self.errorMessage(handle) ?? "the connection was lost"))
        }
        if let failure {
            if let error = failure as? PostgresError { self.lastCommandError = error }
            throw failure
        }
        return delivered
    }

    /// The error for a statement libpq could not send (or put in single-row mode).
    private func sendFailure(_ handle: OpaquePointer) -> PostgresError {
        let error = PostgresError(
            kind: PQstatus(handle) == CONNECTION_OK ? .protocolViolation : .connectionLost,
            message: self.scrubber.scrub(Self.errorMessage(handle) ?? "libpq could not send the statement"))
        self.lastCommandError = error
        return error
    }

    /// Asks the server to cancel the statement this connection is running; the rows and the
    /// cancellation error still to come are read and discarded by the caller.
    private func cancelRunningStatement(_ handle: OpaquePointer) {
        guard let cancel = PQgetCancel(handle) else { return }
        defer { PQfreeCancel(cancel) }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
    }

    /// Reads and frees every result still pending on the connection.
    private func discardResults(_ handle: OpaquePointer) {
        while let result = PQgetResult(handle) {
            PQclear(result)
        }
    }
}
