#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A value that can be sent to the server as a text-format query parameter.
///
/// Parameters are always sent as text with no declared type, so the SQL decides the type with a
/// cast such as `$1::date` or `$1::numeric`. `nil` parameters are sent as SQL `NULL`.
public protocol PostgresEncodable {
    /// The value in PostgreSQL's text input format.
    var postgresText: String { get }
}

/// A parameter whose text form can fail to be produced, such as ``PostgresJSON``.
///
/// The connection calls ``postgresEncodedText()`` so that such failures are thrown from the
/// query instead of trapping in ``PostgresEncodable/postgresText``.
protocol PostgresThrowingEncodable: PostgresEncodable {
    /// The value in PostgreSQL's text input format, or an error if it cannot be produced.
    func postgresEncodedText() throws -> String
}

extension String: PostgresEncodable {
    /// The string itself.
    public var postgresText: String { self }
}

extension Substring: PostgresEncodable {
    /// The substring as a string.
    public var postgresText: String { String(self) }
}

extension Int: PostgresEncodable {
    /// The decimal digits, with a leading `-` if negative.
    public var postgresText: String { String(self) }
}

extension Int32: PostgresEncodable {
    /// The decimal digits, with a leading `-` if negative.
    public var postgresText: String { String(self) }
}

extension Int64: PostgresEncodable {
    /// The decimal digits, with a leading `-` if negative.
    public var postgresText: String { String(self) }
}

extension Bool: PostgresEncodable {
    /// `true` or `false`.
    public var postgresText: String { self ? "true" : "false" }
}

extension Double: PostgresEncodable {
    /// The shortest text that reads back as the same `Double`; `NaN`, `Infinity` or `-Infinity` for the special values.
    public var postgresText: String {
        if self.isNaN { return "NaN" }
        if self.isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return self.description
    }
}

extension Decimal: PostgresEncodable {
    /// The exact decimal digits with `.` as the separator, whatever the locale; `NaN` for NaN.
    public var postgresText: String { self.description }
}

extension Date: PostgresEncodable {
    /// An ISO 8601 UTC timestamp such as `2025-04-07T10:11:12.345Z`.
    ///
    /// At least millisecond and at most microsecond precision (PostgreSQL's own precision);
    /// read it with `$1::timestamptz`.
    public var postgresText: String { PostgresTimestamp.format(self) }
}

extension UUID: PostgresEncodable {
    /// The canonical lowercase form, such as `e621e1f8-c36c-495a-93fc-0c247a3e6e5f`.
    public var postgresText: String { self.uuidString.lowercased() }
}
