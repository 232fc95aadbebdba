/// A transaction isolation level, as spelled in `BEGIN ISOLATION LEVEL ...`.
public enum PostgresIsolationLevel: String, Sendable {
    /// Each statement sees the data committed before it began.
    case readCommitted = "READ COMMITTED"
    /// Every statement sees the data committed before the transaction's first statement.
    case repeatableRead = "REPEATABLE READ"
    /// As if the transactions ran one at a time.
    ///
    /// Conflicting transactions fail with SQLSTATE `40001` and must be retried.
    case serializable = "SERIALIZABLE"
}
