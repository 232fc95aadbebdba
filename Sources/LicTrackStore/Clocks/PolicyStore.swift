import LicTrackCore
import Postgres

/// Reads and changes SLA policies. A change recomputes the open clocks it affects, in the database.
public struct PolicyStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
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

    /// Changes (or, for a licence type without its own policy yet, creates) a policy and returns it.
    ///
    /// Fields not given keep their value; a new licence-type policy starts as a copy of the default.
    /// The database recomputes every open clock of the authority in the same transaction.
    public func set(authority: String, licenceType: String?, _ change: SLAPolicyChange) throws -> (SLAPolicy, Int) {
        try LicTrackError.translating {
            try connection.transaction { tx in
                let pauses = change.pauseStatuses.map { PostgresTextArray($0) }
                let exists = try tx.query("select 1 from sla_policies where authority = $1", [authority]).count > 0
                if !exists, try tx.query("select 1 from authorities where code = $1", [authority]).count == 0 {
                    throw LicTrackError(
                        .notFound, "no authority \(authority)", hint: "see 'lictrack authority list'")
                }
                if !exists && (change.startStatus == nil || change.target == nil || change.unit == nil) {
                    throw LicTrackError(
                        .invalidInput, "\(authority) has no SLA policy yet",
                        hint: "give --starts-at, --target and --unit (and --calendar for working days)")
                }
                let rows = try tx.query(
                    """
                    with base as (
                        select * from sla_policy_for($1, $2)
                    ), updated as (
                        update sla_policies p set
                            start_status   = coalesce($3, p.start_status),
                            target         = coalesce($4::integer, p.target),
                            unit           = coalesce($5, p.unit),
                            calendar       = case when coalesce($5, p.unit) = 'calendar_days' and $6::text is null
                                                  then null else coalesce($6, p.calendar) end,
                            pause_statuses = coalesce($7::text[], p.pause_statuses),
                            warn_before    = coalesce($8::integer, p.warn_before),
                            source         = coalesce($9, p.source),
                            basis          = coalesce($10, p.basis)
                        where p.authority = $1 and p.licence_type is not distinct from $2
                        returning p.id
                    ), inserted as (
                        insert into sla_policies (authority, licence_type, start_status, target, unit, calendar,
                                                  pause_statuses, warn_before, source, basis)
                        select $1, $2, coalesce($3, b.start_status), coalesce($4::integer, b.target),
                               coalesce($5, b.unit),
                               case when coalesce($5, b.unit) = 'calendar_days' and $6::text is null
                                    then null else coalesce($6, b.calendar) end,
                               coalesce($7::text[], b.pause_statuses, array['info_requested']),
                               coalesce($8::integer, b.warn_before, 5),
                               coalesce($9, b.source), coalesce($10, b.basis)
                        from (select) as one left join base b on true
                        where not exists (select 1 from updated)
                        returning id
                    )
                    select id from updated union all select id from inserted
                    """,
                    [
                        authority, licenceType, change.startStatus, change.target, change.unit, change.calendar,
                        pauses, change.warnBefore, change.source, change.basis,
                    ])
                guard !rows.isEmpty else {
                    throw LicTrackError(.notFound, "no SLA policy for \(authority)", hint: "see 'lictrack policy list'")
                }
                let policy = try tx.query(
                    Self.select + " where authority = $1 and licence_type is not distinct from $2",
                    [authority, licenceType]
                ).map(Self.policy)[0]
                let open = try tx.query(
                    """
                    select count(*) as n from application_clocks k
                    join applications a on a.id = k.application_id
                    where k.authority = $1 and k.ended_on is null
                    """, [authority])[0].decode(Int.self, "n")
                return (policy, open)
            }
        }
    }

    static let columns = """
        authority, licence_type, start_status, target, unit, calendar,
        array_to_string(pause_statuses, ',') as pause_statuses, warn_before, source, basis, updated_at,
        updated_by
        """

    static let select = "select " + columns + " from sla_policies"

    static func policy(_ row: PostgresRow) throws -> SLAPolicy {
        var policy = SLAPolicy(
            authority: try row.decode(String.self, "authority"), licenceType: try row.decodeIfPresent("licence_type"),
            startStatus: try row.decode(String.self, "start_status"), target: try row.decode(Int.self, "target"),
            unit: try row.decode(String.self, "unit"), calendar: try row.decodeIfPresent("calendar"),
            pauseStatuses: try row.decode(String.self, "pause_statuses").split(separator: ",").map(String.init),
            warnBefore: try row.decode(Int.self, "warn_before"), source: try row.decodeIfPresent("source"),
            basis: try row.decodeIfPresent("basis"))
        policy.updatedAt = try row.decodeIfPresent("updated_at")
        policy.updatedBy = try row.decodeIfPresent("updated_by")
        return policy
    }
}
