import CLibPQ

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One row of a ``PostgresResult``, whose values are read by column name.
///
/// Values arrive in PostgreSQL's text format. When two result columns share a name, the first wins;
/// alias them in the SQL to tell them apart.
public struct PostgresRow: Sendable {
    let storage: PostgresResult.Storage
    let row: Int

    /// The index of `column`, or `nil` if the result has no such column.
    private func columnIndex(_ column: String) -> Int32? {
        self.storage.columnIndexes[column].map { Int32($0) }
    }

    /// The raw text of `column`, or `nil` if it is SQL `NULL` or there is no such column.
    public subscript(column: String) -> String? {
        guard let index = self.columnIndex(column) else { return nil }
        return self.text(at: index)
    }

    /// Whether `column` is SQL `NULL`; also true if the result has no such column.
    public func isNull(_ column: String) -> Bool {
        guard let index = self.columnIndex(column) else { return true }
        return PQgetisnull(self.storage.handle, Int32(self.row), index) != 0
    }

    /// Decodes `column` as a `T`.
    ///
    /// - Throws: ``PostgresError`` of kind ``PostgresError/Kind/decoding``, naming the column,
    ///   if the column does not exist, is `NULL`, or does not hold a valid `T`.
    public func decode<T: PostgresDecodable>(_ type: T.Type, _ column: String) throws -> T {
        guard let value = try self.decodeIfPresent(type, column) else {
            throw PostgresError(kind: .decoding, message: "unexpected NULL for \(T.self)", column: column)
        }
        return value
    }

    /// Decodes `column` as a `T`, inferring `T` from the context.
    ///
    /// - Throws: like ``decode(_:_:)``.
    public func decode<T: PostgresDecodable>(_ column: String) throws -> T {
        try self.decode(T.self, column)
    }

    /// Decodes `column` as a `T`, or returns `nil` if it is SQL `NULL`.
    ///
    /// - Throws: ``PostgresError`` of kind ``PostgresError/Kind/decoding``, naming the column,
    ///   if the column does not exist or does not hold a valid `T`.
    public func decodeIfPresent<T: PostgresDecodable>(_ type: T.Type, _ column: String) throws -> T? {
        guard let index = self.columnIndex(column) else {
            throw PostgresError(
                kind: .decoding, message: "no column named \(String(reflecting: column))", column: column)
        }
        guard let text = self.text(at: index) else { return nil }
        do {
            return try T(postgresText: text)
        } catch var error as PostgresError {
            error.column = column
            if error.kind != .decoding { error.kind = .decoding }
            throw error
        } catch {
            throw PostgresError(kind: .decoding, message: "cannot decode \(T.self): \(error)", column: column)
        }
    }

    /// Decodes `column` as a `T`, or returns `nil` if it is SQL `NULL`, inferring `T` from the context.
    ///
    /// - Throws: like ``decodeIfPresent(_:_:)``.
    public func decodeIfPresent<T: PostgresDecodable>(_ column: String) throws -> T? {
        try self.decodeIfPresent(T.self, column)
    }

    /// Decodes the JSON text of `column` (`json` or `jsonb`) as a `T`.
    ///
    /// - Throws: ``PostgresError`` of kind ``PostgresError/Kind/decoding``, naming the column,
    ///   if the column does not exist, is `NULL`, or is not valid JSON for `T`.
    public func decodeJSON<T: Decodable>(
        _ type: T.Type, _ column: String, decoder: JSONDecoder = JSONDecoder()
    )
        throws -> T
    {
        let text = try self.decode(String.self, column)
        do {
            return try decoder.decode(T.self, from: Data(text.utf8))
        } catch {
            throw PostgresError(kind: .decoding, message: "cannot decode JSON as \(T.self): \(error)", column: column)
        }
    }

    /// The text at column `index` of this row, or `nil` for SQL `NULL`.
    private func text(at index: Int32) -> String? {
        let handle = self.storage.handle
        let row = Int32(self.row)
        guard PQgetisnull(handle, row, index) == 0, let value = PQgetvalue(handle, row, index) else { return nil }
        let length = Int(PQgetlength(handle, row, index))
        return value.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
        }
    }
}
