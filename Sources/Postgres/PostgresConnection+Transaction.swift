import CLibPQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension PostgresConnection {
    /// Runs `body` inside a transaction, committing if it returns and rolling back if it throws.
    ///
    /// If the body or the `COMMIT` fails with a serialization failure or deadlock
    /// (``PostgresError/isSerializationFailure``), the transaction is rolled back and the whole
    /// body runs again, up to `maxAttempts` times in all, after a short jittered exponential
    /// backoff. So the body must be safe to repeat: do not let it change outside state that a
    /// retry would change twice. A lost connection is never retried, since whether the `COMMIT`
    /// took effect is unknown.
    ///
    /// If the body catches a failed statement and returns normally, the transaction cannot commit;
    /// it is rolled back and the statement's error is thrown.
    ///
    /// Transactions do not nest: calling this while ``isInTransaction`` is true is a programming
    /// error and stops the program. Use `SAVEPOINT` in the body for partial rollback.
    ///
    /// - Parameters:
    ///   - isolation: The isolation level; use ``PostgresIsolationLevel/serializable`` for read-then-write logic.
    ///   - readOnly: Whether to start the transaction `READ ONLY`.
    ///   - maxAttempts: How many times to run the body at most; at least 1.
    ///   - body: The work to do, given this connection.
    /// - Returns: What the successful attempt of `body` returned.
    /// - Throws: The error of the last attempt: from `BEGIN`, the body, or `COMMIT`.
    public func transaction<T>(
        isolation: PostgresIsolationLevel = .readCommitted,
        readOnly: Bool = false,
        maxAttempts: Int = 5,
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        precondition(maxAttempts >= 1, "PostgresConnection.transaction: maxAttempts must be at least 1")
        precondition(
            !self.isInTransaction,
            "PostgresConnection.transaction: a transaction is already open on this connection; transactions do not nest"
        )
        var attempt = 1
        while true {
            do {
                return try self.transactionAttempt(isolation: isolation, readOnly: readOnly, body)
            } catch let error as PostgresError
                where attempt < maxAttempts && error.isSerializationFailure && !error.isConnectionFailure
                && self.isUsable
            {
                Self.backOff(attempt: attempt)
                attempt += 1
            }
        }
    }

    /// Runs `body` once between `BEGIN` and `COMMIT`, rolling back on any error.
    private func transactionAttempt<T>(
        isolation: PostgresIsolationLevel,
        readOnly: Bool,
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        var begin = "BEGIN ISOLATION LEVEL \(isolation.rawValue)"
        if readOnly { begin += " READ ONLY" }
        _ = try self.run(begin, [], clearingNotices: true)
        self.lastCommandError = nil

        let value: T
        do {
            value = try body(self)
        } catch {
            self.rollBackQuietly()
            throw error
        }

        if let handle = self.handle, PQtransactionStatus(handle) == PQTRANS_INERROR {
            let error =
                self.lastCommandError
                ?? PostgresError(
                    kind: .server,
                    message: "current transaction is aborted, commands ignored until end of transaction block",
                    sqlState: "25P02"
                )
            self.rollBackQuietly()
            throw error
        }
        do {
            _ = try self.run("COMMIT", [], clearingNotices: false)
        } catch {
            self.rollBackQuietly()
            throw error
        }
        return value
    }

    /// Whether the connection is open and healthy.
    private var isUsable: Bool {
        guard let handle = self.handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Sends `ROLLBACK` if a transaction is open, ignoring any failure (such as a lost connection).
    private func rollBackQuietly() {
        guard self.isUsable, self.isInTransaction else { return }
        _ = try? self.run("ROLLBACK", [], clearingNotices: false)
    }

    /// Sleeps before retry number `attempt`: 5 ms × 2^attempt plus 0–10 ms of jitter, at most 200 ms.
    private static func backOff(attempt: Int) {
        let milliseconds = min(200, 5 * (1 << min(attempt, 6)) + Int.random(in: 0...10))
        var request = timespec(tv_sec: 0, tv_nsec: milliseconds * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR {
            request = remaining
        }
    }
}
