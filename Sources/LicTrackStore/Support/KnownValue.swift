import LicTrackCore
import Postgres

/// Reading a database value into one of the Swift enums that name the database's values.
///
/// The enums (`SLAClock.State`, `AlertLevel`, `AlertChannelKind`, …) mirror lists that live in
/// SQL, and tests prove both agree. A value the enum does not know means this lictrack is older
/// than the schema, or the schema was changed by hand: it is an error naming the column and the
/// value (exit 70), never a silent default.
extension PostgresRow {
    /// The value of `column` as a case of `T`.
    ///
    /// - Throws: ``LicTrackError`` `.internal` naming the column and the value when `T` has no such
    ///   case; the `PostgresError` of ``decode(_:_:)`` when the column is missing or NULL.
    func decodeKnown<T: RawRepresentable>(_ type: T.Type, _ column: String) throws -> T where T.RawValue == String {
        try T.known(try decode(String.self, column), column: column)
    }

    /// The value of `column` as a case of `T`, or `nil` when it is NULL.
    ///
    /// - Throws: ``LicTrackError`` `.internal` naming the column and the value when `T` has no such case.
    func decodeKnownIfPresent<T: RawRepresentable>(_ type: T.Type, _ column: String) throws -> T?
    where T.RawValue == String {
        try decodeIfPresent(String.self, column).map { try T.known($0, column: column) }
    }
}

extension PostgresRow {
    /// The value of `column`, checked to be a case of `T` (a status, an event, a licence type, a
    /// delay reason), as its text: for the records that carry these values as strings.
    ///
    /// - Throws: ``LicTrackError`` `.internal` naming the column and the value when `T` has no such case.
    func decodeKnownText<T: RawRepresentable>(_ type: T.Type, _ column: String) throws -> String
    where T.RawValue == String {
        try decodeKnown(type, column).rawValue
    }

    /// Like ``decodeKnownText(_:_:)``, or `nil` when the value is NULL.
    func decodeKnownTextIfPresent<T: RawRepresentable>(_ type: T.Type, _ column: String) throws -> String?
    where T.RawValue == String {
        try decodeKnownIfPresent(type, column)?.rawValue
    }
}

extension RawRepresentable where RawValue == String {
    /// The case named `value`, read from `column` of the database.
    ///
    /// - Throws: ``LicTrackError/unknownDatabaseValue(_:column:)`` when there is none.
    static func known(_ value: String, column: String) throws -> Self {
        guard let known = Self(rawValue: value) else {
            throw LicTrackError.unknownDatabaseValue(value, column: column)
        }
        return known
    }
}

extension LicTrackError {
    /// The error for a value read from the database that the Swift enum naming its column lacks.
    public static func unknownDatabaseValue(_ value: String, column: String) -> LicTrackError {
        LicTrackError(
            .internal, "the database returned \(quoted(value)) for \(column), a value this lictrack does not know",
            hint: "see 'lictrack db status': a newer schema needs a newer lictrack")
    }
}
