#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A query parameter sent as JSON text, for `$1::jsonb` or `$1::json`.
///
/// ```swift
/// try connection.execute("INSERT INTO events (payload) VALUES ($1::jsonb)", [PostgresJSON(payload)])
/// ```
///
/// Keys are sorted so the text is deterministic. If the value cannot be encoded (a `Double.nan`,
/// say), the query throws the `EncodingError` before anything is sent.
public struct PostgresJSON<Value: Encodable>: PostgresEncodable {
    /// The value to encode.
    public var value: Value

    /// Wraps `value` for sending as JSON.
    public init(_ value: Value) {
        self.value = value
    }

    /// The JSON text of ``value``.
    ///
    /// Traps if the value cannot be encoded; queries use a throwing path instead, so this only
    /// matters when reading the property directly.
    public var postgresText: String {
        do {
            return try self.postgresEncodedText()
        } catch {
            preconditionFailure("PostgresJSON: cannot encode \(Value.self) as JSON: \(error)")
        }
    }
}

extension PostgresJSON: PostgresThrowingEncodable {
    func postgresEncodedText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self.value), as: UTF8.self)
    }
}

extension PostgresJSON: Sendable where Value: Sendable {}
