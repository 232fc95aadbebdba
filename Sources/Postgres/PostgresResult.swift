import CLibPQ

/// The rows of one successful command, in order.
///
/// Owns the underlying `PGresult`, which is freed when the last copy of the result (or of one of
/// its rows) goes away. A `PGresult` is read-only once created, so results can be shared
/// across threads.
public struct PostgresResult: Sendable {
    /// Owner of the `PGresult`, plus what is worth computing once.
    final class Storage: @unchecked Sendable {
        let handle: OpaquePointer
        let rowCount: Int
        let columnNames: [String]
        let columnIndexes: [String: Int]

        /// Takes ownership of `handle`.
        init(handle: OpaquePointer) {
            self.handle = handle
            self.rowCount = Int(PQntuples(handle))
            let columnCount = Int(PQnfields(handle))
            var names: [String] = []
            var indexes: [String: Int] = [:]
            names.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                let name = PQfname(handle, Int32(column)).map { String(cString: $0) } ?? ""
                names.append(name)
                if indexes[name] == nil { indexes[name] = column }
            }
            self.columnNames = names
            self.columnIndexes = indexes
        }

        /// Takes ownership of `handle`, a result with the same columns as `template` (the rows of
        /// one streamed statement), without reading the column names again.
        init(handle: OpaquePointer, sameColumnsAs template: Storage) {
            self.handle = handle
            self.rowCount = Int(PQntuples(handle))
            self.columnNames = template.columnNames
            self.columnIndexes = template.columnIndexes
        }

        deinit {
            PQclear(self.handle)
        }
    }

    let storage: Storage

    /// The result column names, in order; empty for commands that return no rows.
    public var columnNames: [String] { self.storage.columnNames }

    /// The number of rows the command affected.
    ///
    /// Rows inserted, updated, deleted, selected, moved, fetched or copied; 0 when not applicable.
    public var affectedRows: Int {
        guard let text = PQcmdTuples(self.storage.handle) else { return 0 }
        return Int(String(cString: text)) ?? 0
    }

    /// The command tag, such as `INSERT 0 1` or `SELECT 3`.
    public var commandTag: String {
        PQcmdStatus(self.storage.handle).map { String(cString: $0) } ?? ""
    }
}

extension PostgresResult: RandomAccessCollection {
    public typealias Index = Int
    public typealias Element = PostgresRow

    /// Always 0.
    public var startIndex: Int { 0 }

    /// The number of rows.
    public var endIndex: Int { self.storage.rowCount }

    /// The row at `position`.
    public subscript(position: Int) -> PostgresRow {
        precondition(position >= 0 && position < self.storage.rowCount, "PostgresResult: row index out of range")
        return PostgresRow(storage: self.storage, row: position)
    }
}
