import LicTrackCore
import Postgres

/// Which applications a report covers: the `--authority`, `--destination`, `--control-code` and
/// `--owner` options of every `lictrack report`.
///
/// The filters are ANDed; the values of one filter are ORed; an empty list does not filter. The
/// matching itself is SQL's (`report_scope()` in migration 0008), so every report and a psql user
/// agree on what a filter means.
public struct ReportFilter: Sendable, Equatable {
    /// Authority codes (matched upper case).
    public var authorities: [String]
    /// ISO 3166-1 alpha-2 destination codes (matched upper case).
    public var destinations: [String]
    /// Control-code prefixes: an application matches when one of its items' codes starts with one, ignoring case.
    public var controlCodes: [String]
    /// Internal owners, ignoring case.
    public var owners: [String]

    public init(
        authorities: [String] = [], destinations: [String] = [], controlCodes: [String] = [], owners: [String] = []
    ) {
        self.authorities = authorities.map { $0.trimmed.uppercased() }
        self.destinations = destinations.map { $0.trimmed.uppercased() }
        self.controlCodes = controlCodes.map(\.trimmed)
        self.owners = owners.map(\.trimmed)
    }

    /// The four arrays, in `report_scope`'s parameter order, as `text[]` parameters.
    ///
    /// Every report is an SQL function that takes these four after its own parameters and passes
    /// them to `report_scope`, so no SQL text is assembled in Swift.
    var parameters: [any PostgresEncodable] {
        [authorities, destinations, controlCodes, owners]
    }

    /// The filters as a JSON-ready dictionary: what every report's `"filters"` key carries.
    public var summary: [String: [String]] {
        ["authority": authorities, "destination": destinations, "control_code": controlCodes, "owner": owners]
    }

    /// Checks that every authority and destination exists.
    ///
    /// An unknown code is a usage error (exit 64), not an empty report: a typo must not read as "nothing is late".
    public func validate(in database: Database) throws {
        try validate(on: database.connection)
    }

    /// Checks that every authority and destination exists, on a connection.
    public func validate(on connection: PostgresConnection) throws {
        try LicTrackError.translating {
            if let code = try Self.firstUnknown(
                authorities,
                "select v from unnest($1::text[]) v where not exists (select 1 from authorities t where t.code = v)",
                on: connection)
            {
                throw LicTrackError(
                    .usage, "--authority: unknown authority \(LicTrackError.quoted(code))",
                    hint: "expected an authority code; see 'lictrack authority list'")
            }
            if let code = try Self.firstUnknown(
                destinations,
                "select v from unnest($1::text[]) v where not exists (select 1 from countries t where t.code = v)",
                on: connection)
            {
                throw LicTrackError(
                    .usage, "--destination: unknown country \(LicTrackError.quoted(code))",
                    hint: "expected an ISO 3166-1 alpha-2 code such as DE")
            }
        }
    }

    /// The first of `codes` that `sql` (given them as `$1::text[]`) reports as unknown.
    private static func firstUnknown(
        _ codes: [String], _ sql: String, on connection: PostgresConnection
    ) throws
        -> String?
    {
        guard !codes.isEmpty else { return nil }
        return try connection.query(sql + " limit 1", [codes]).first?.decode(String.self, "v")
    }
}
