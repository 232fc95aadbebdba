import Postgres

/// The session settings lictrack reads its answers with, checked when a connection opens.
///
/// Every connection asks for UTF-8, `DateStyle` `ISO, YMD` and `IntervalStyle` `iso_8601` (see
/// `PostgresConnection`), the last two through the startup `options`. A connection pooler in
/// transaction mode, such as pgbouncer with `ignore_startup_parameters = options`, drops those
/// options, so the server's own defaults apply instead; they must then be set on the database or
/// role (`ALTER DATABASE lictrack SET intervalstyle = 'iso_8601'`). ``verify(_:)`` compares what the
/// server reports with what the decoders need, without a round trip, and refuses a session that
/// would be misread.
public enum SessionSettings {
    /// One reported setting lictrack depends on.
    public struct Requirement: Sendable {
        /// The setting's name as the server reports it, such as `IntervalStyle`.
        public var name: String
        /// The value lictrack asks for, as `ALTER DATABASE ... SET` takes it.
        public var value: String
        /// What an acceptable reported value looks like, for the error message.
        public var expected: String
        /// Whether a reported value is acceptable.
        public var accepts: @Sendable (String) -> Bool
    }

    /// The settings checked, in the order they are checked.
    ///
    /// `DateStyle` only needs the ISO output format (`ISO, MDY` prints dates as `ISO, YMD` does,
    /// and lictrack sends dates only as `YYYY-MM-DD`, which every order reads the same way).
    public static let requirements: [Requirement] = [
        Requirement(name: "client_encoding", value: "UTF8", expected: "UTF8") { $0.uppercased() == "UTF8" },
        Requirement(name: "DateStyle", value: "ISO, YMD", expected: "ISO, followed by any order") {
            $0.uppercased().hasPrefix("ISO")
        },
        Requirement(name: "IntervalStyle", value: "iso_8601", expected: "iso_8601") { $0.lowercased() == "iso_8601" },
    ]

    /// Throws a ``LicTrackError`` of kind `configuration` (exit 78) if the server reports a setting
    /// that the decoders would misread: the first such, the value it has, and how to fix it.
    ///
    /// A setting the server does not report at all is not checked (PostgreSQL reports all three).
    public static func verify(_ connection: PostgresConnection) throws {
        for requirement in requirements {
            guard let reported = connection.parameterStatus(requirement.name), !requirement.accepts(reported)
            else { continue }
            let database = connection.databaseName.map {
                "\"" + $0.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
            }
            throw LicTrackError(
                .configuration,
                "the database session has \(requirement.name) \(LicTrackError.quoted(reported)), and lictrack needs "
                    + "\(requirement.expected): a connection pooler such as pgbouncer dropped lictrack's startup options",
                hint:
                    "set it on the database: ALTER DATABASE \(database ?? "lictrack") SET \(requirement.name) = "
                    + "'\(requirement.value)'; see Docs/operations.md, 'Behind pgbouncer'")
        }
    }
}
