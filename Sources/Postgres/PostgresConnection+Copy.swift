import CLibPQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension PostgresConnection {
    /// Runs a `COPY ... FROM STDIN` statement and sends it the data `body` writes.
    ///
    /// `body` is given a function that sends one chunk of bytes; call it as often as needed, with
    /// chunks of any size (64 KiB is a good size): the data is streamed, never held whole. The
    /// server parses the data (CSV, text) itself. If `body` throws, the copy is cancelled (the
    /// server rolls the statement back, and inside a transaction the transaction is aborted) and
    /// the error is rethrown. COPY takes no parameters: the statement must be trusted SQL.
    ///
    /// - Returns: The number of rows the server copied.
    /// - Throws: ``PostgresError`` if the statement is not a `COPY ... FROM STDIN` or the server
    ///   refuses the data (then ``PostgresError/context`` says where, such as `COPY t, line 3`);
    ///   or what `body` throws.
    @discardableResult
    public func copyIn(
        _ sql: String, _ body: (_ send: (UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws
        -> Int
    {
        let handle = try self.openHandle()
        try Self.checkNoNulBytes(sql, what: "the SQL text")
        self.noticeBuffer.clear()
        guard let started = PQexec(handle, sql) else {
            throw self.copyFailure(handle, fallback: "libpq returned no result")
        }
        let status = PQresultStatus(started)
        guard status == PGRES_COPY_IN else {
            defer { PQclear(started) }
            if status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR {
                let error = self.makeError(started, handle: handle)
                self.lastCommandError = error
                throw error
            }
            if status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH { self.abandonCopy(status, handle: handle) }
            let error = PostgresError(kind: .protocolViolation, message: "copyIn needs a COPY ... FROM STDIN statement")
            self.lastCommandError = error
            throw error
        }
        PQclear(started)

        do {
            try body { chunk in
                guard chunk.count > 0, let base = chunk.baseAddress else { return }
                let sent = base.withMemoryRebound(to: CChar.self, capacity: chunk.count) {
                    PQputCopyData(handle, $0, Int32(chunk.count))
                }
                // The server may refuse the data early (a bad row): the error is read at the end.
                if sent != 1 { throw self.copyFailure(handle, fallback: "could not send COPY data") }
            }
        } catch {
            _ = PQputCopyEnd(handle, "the client cancelled the copy")
            self.discardCopyResults(handle)
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            throw self.copyFailure(handle, fallback: "could not end the COPY")
        }
        var failure: PostgresError?
        var copied = 0
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK:
                copied = Int(String(cString: PQcmdTuples(result))) ?? 0
            case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR:
                failure = failure ?? self.makeError(result, handle: handle)
            default:
                break
            }
        }
        if let failure {
            self.lastCommandError = failure
            throw failure
        }
        if PQstatus(handle) != CONNECTION_OK {
            throw self.copyFailure(handle, fallback: "the connection was lost")
        }
        return copied
    }

    /// The error for a COPY that libpq could not run, with libpq's message when it has one.
    private func copyFailure(_ handle: OpaquePointer, fallback: String) -> PostgresError {
        let error = PostgresError(
            kind: PQstatus(handle) == CONNECTION_OK ? .protocolViolation : .connectionLost,
            message: self.scrubber.scrub(Self.errorMessage(handle) ?? fallback))
        self.lastCommandError = error
        return error
    }

    /// Reads and frees the results of a cancelled COPY.
    private func discardCopyResults(_ handle: OpaquePointer) {
        while let result = PQgetResult(handle) {
            PQclear(result)
        }
    }
}
