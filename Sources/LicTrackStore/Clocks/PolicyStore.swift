import LicTrackCore
import Postgres

/// Reads and changes SLA policies. A change recomputes the open clocks it affects, in the database.
public struct PolicyStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// A store on an open database.
    public init(_ database: Database) {
        self.init(connection: database.connection)
    }

    /// Every policy, by authority then licence type (defaults first).
    public func list() throws -> [SLAPolicy] {
        try LicTrackError.translating {
            try connection.query(Self.select + " order by authority, licence_type nulls first").map(Self.policy)
        }
    }

    /// The policy that applies to an authority and licence type (falling back to the default).
    public func policy(authority: String, licenceType: String? = nil) throws -> SLAPolicy {
        try LicTrackError.translating {
            let rows = try connection.query(
                "select " + Self.columns + " from sla_policy_for($1, $2)", [authority, licenceType])
            guard let row = rows.first else {
                throw LicTrackError(
                    .notFound, "no SLA policy for \(authority)", hint: "see 'lictrack policy list'")
            }
            return try Self.policy(row)
        }
    }

    /// Changes (or, for a licence type without its own policy yet, creates) a policy and returns it
    /// with the number of the authority's open clocks, which the change recomputed.
    ///
    /// What a change means is `sla_policy_set()`'s (migration 0019), which a psql user can call
    /// too: fields not given keep their value, a new licence-type policy starts as a copy of the
    /// default, calendar days need no calendar. The database recomputes every open clock of the
    /// authority in the same transaction; a concurrent first set of the same policy waits and then
    /// changes it.
    ///
    /// - Throws: ``LicTrackError`` `.notFound` for an unknown authority; `.invalidInput` for a
    ///   policy the database refuses (LT007), or the first policy of an authority without a start
    ///   status, target and unit.
    public func set(authority: String, licenceType: String?, _ change: SLAPolicyChange) throws -> (SLAPolicy, Int) {
        try LicTrackError.translating {
            try connection.transaction { tx in
                let policy = try tx.query(
                    "select " + Self.columns
                        + """
                         from sla_policy_set(
                            p_authority => $1, p_licence_type => $2::licence_type, p_start_status => $3,
                            p_target => $4::integer, p_unit => $5, p_calendar => $6,
                            p_pause_statuses => $7::text[], p_warn_before => $8::integer, p_source => $9,
                            p_basis => $10)
                        """,
                    [
                        authority, licenceType, change.startStatus, change.target, change.unit, change.calendar,
                        change.pauseStatuses, change.warnBefore, change.source,
                        change.basis,
                    ]
                ).map(Self.policy)[0]
                let open = try tx.query(
                    """
                    select count(*) as n from application_clocks k
                    where k.authority = $1 and k.ended_on is null
                    """, [authority])[0].decode(Int.self, "n")
                return (policy, open)
            }
        }
    }

    static let columns = """
        authority, licence_type, start_status, target, unit, calendar,
        pause_statuses, warn_before, source, basis, updated_at,
        updated_by
        """

    static let select = "select " + columns + " from sla_policies"

    static func policy(_ row: PostgresRow) throws -> SLAPolicy {
        var policy = SLAPolicy(
            authority: try row.decode(String.self, "authority"), licenceType: try row.decodeIfPresent("licence_type"),
            startStatus: try row.decode(String.self, "start_status"), target: try row.decode(Int.self, "target"),
            unit: try row.decode(String.self, "unit"), calendar: try row.decodeIfPresent("calendar"),
            pauseStatuses: try row.decode([String].self, "pause_statuses"),
            warnBefore: try row.decode(Int.self, "warn_before"), source: try row.decodeIfPresent("source"),
            basis: try row.decodeIfPresent("basis"))
        policy.updatedAt = try row.decodeIfPresent("updated_at")
        policy.updatedBy = try row.decodeIfPresent("updated_by")
        return policy
    }
}
