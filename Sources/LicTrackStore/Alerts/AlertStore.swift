import LicTrackCore
import Postgres

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Raises, lists and acknowledges SLA alerts: the outbox of `0005_alerts.sql`.
///
/// Each public method is one short transaction (or one statement). Delivering
/// (`AlertStore+Delivery.swift`) claims deliveries with a lease, and records what happened in
/// another statement: no transaction stays open while anything is sent. Channels are in
/// `AlertStore+Channels.swift`.
public struct AlertStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// A store on an open database.
    public init(_ database: Database) {
        self.init(connection: database.connection)
    }

    // MARK: - Raising

    /// Raises every alert that has fallen due (as of `asOf`, or today in each authority's time
    /// zone) and queues its deliveries, in one transaction; returns the alerts raised now.
    public func raise(asOf: CivilDate?) throws -> [SLAAlert] {
        try LicTrackError.translating {
            try connection.transaction { tx in
                try tx.query("select * from alerts_raise($1::date)", [asOf]).map(Self.alert(from:))
            }
        }
    }

    // MARK: - Listing, acknowledging, monitoring

    /// Every alert (or only the unacknowledged ones), oldest first, with its delivery state.
    public func list(unacknowledgedOnly: Bool = false) throws -> [AlertListEntry] {
        try LicTrackError.translating {
            try connection.query(
                """
                select al.*, a.authority_reference,
                       count(d.alert_id) filter (where d.status = 'delivered') as delivered,
                       count(d.alert_id) filter (where d.status <> 'delivered') as pending,
                       count(d.alert_id) filter (where d.status <> 'delivered' and d.attempts > 0) as failing,
                       (select d2.last_error from alert_deliveries d2
                        where d2.alert_id = al.id and d2.status <> 'delivered' and d2.last_error is not null
                        order by d2.attempts desc, d2.channel_id
                        limit 1) as last_error
                from sla_alerts al
                join applications a on a.id = al.application_id
                left join alert_deliveries d on d.alert_id = al.id
                where not $1::boolean or al.acknowledged_at is null
                group by al.id, a.authority_reference
                order by al.id
                """, [unacknowledgedOnly]
            ).map { row in
                AlertListEntry(
                    alert: try Self.alert(from: row),
                    authorityReference: try row.decodeIfPresent("authority_reference"),
                    delivered: try row.decode(Int.self, "delivered"), pending: try row.decode(Int.self, "pending"),
                    failing: try row.decode(Int.self, "failing"), lastError: try row.decodeIfPresent("last_error"))
            }
        }
    }

    /// Acknowledges an alert; acknowledging it again changes nothing.
    ///
    /// - Throws: ``LicTrackError`` `.notFound` if there is no such alert.
    public func acknowledge(_ id: Int64, note: String?, actor: String?) throws -> AcknowledgeOutcome {
        try LicTrackError.translating {
            try connection.transaction { tx in
                let updated = try tx.query(
                    """
                    update sla_alerts
                    set acknowledged_at = now(),
                        acknowledged_by = coalesce(nullif(btrim($2), ''), session_user),
                        ack_note = nullif(btrim($3), '')
                    where id = $1::bigint and acknowledged_at is null
                    returning *
                    """, [id, actor, note])
                if let row = updated.first {
                    return .acknowledged(try Self.alert(from: row))
                }
                guard let row = try tx.query("select * from sla_alerts where id = $1::bigint", [id]).first else {
                    throw LicTrackError(.notFound, "alert \(id) does not exist", hint: "see 'lictrack alerts list'")
                }
                return .alreadyAcknowledged(try Self.alert(from: row))
            }
        }
    }

    /// Counts application cycles by their worst unacknowledged alert level, counting clocks whose
    /// next alert has fallen due (today in the authority's time zone) but was not raised yet as
    /// the level it would be raised at. Unacknowledged supply_risk alerts are counted apart
    /// (``AlertCheckCounts/supplyRisk``): they say nothing about the deadline.
    ///
    /// What is due and at which level is `alerts_due()`'s answer (migration 0019), the same
    /// function `alerts_raise()` raises from, so `alerts check` and `alerts run` cannot disagree.
    public func checkCounts() throws -> AlertCheckCounts {
        try LicTrackError.translating {
            try connection.transaction(readOnly: true) { tx in
                let row = try tx.query(
                    """
                    with open_alerts as (
                        select al.application_id, al.cycle, al.level
                        from sla_alerts al
                        where al.acknowledged_at is null and al.level <> 'supply_risk'
                    ),
                    supply as (
                        select distinct al.application_id, al.cycle
                        from sla_alerts al
                        where al.acknowledged_at is null and al.level = 'supply_risk'
                    ),
                    behind as (
                        select d.application_id, d.cycle, d.level
                        from alerts_due(null) d
                    ),
                    worst as (
                        select x.application_id, x.cycle, bool_or(x.level = 'breached') as breached
                        from (select * from open_alerts union all select * from behind) x
                        group by x.application_id, x.cycle
                    )
                    select (select count(*) from worst where breached) as breached,
                           (select count(*) from worst where not breached) as due_soon,
                           (select count(*) from behind) as behind,
                           (select count(*) from supply) as supply_risk
                    """)[0]
                return AlertCheckCounts(
                    breached: try row.decode(Int.self, "breached"), dueSoon: try row.decode(Int.self, "due_soon"),
                    notYetRaised: try row.decode(Int.self, "behind"),
                    supplyRisk: try row.decode(Int.self, "supply_risk"))
            }
        }
    }

    // MARK: - Decoding

    static func alert(from row: PostgresRow) throws -> SLAAlert {
        let level = try row.decodeKnown(AlertLevel.self, "level")
        return SLAAlert(
            id: try row.decode(Int64.self, "id"), applicationID: try row.decode(Int64.self, "application_id"),
            cycle: try row.decode(Int.self, "cycle"), level: level,
            deadline: try row.decode(CivilDate.self, "deadline"),
            authority: try row.decode(String.self, "authority"), raisedOn: try row.decode(CivilDate.self, "raised_on"),
            raisedAt: try row.decode(Date.self, "raised_at"),
            idempotencyKey: try row.decode(String.self, "idempotency_key"),
            acknowledgedAt: try row.decodeIfPresent("acknowledged_at"),
            acknowledgedBy: try row.decodeIfPresent("acknowledged_by"), ackNote: try row.decodeIfPresent("ack_note"),
            stockRunsOut: try row.decodeIfPresent("stock_runs_out"), feeds: try row.decodeIfPresent("feeds"),
            daysShort: try row.decodeIfPresent("days_short"))
    }

    /// A channel from the columns `AlertStore.channelColumns` selects.
    static func channel(from row: PostgresRow) throws -> AlertChannel {
        let kind = try row.decodeKnown(AlertChannelKind.self, "kind")
        return AlertChannel(
            id: try row.decode(Int64.self, "id"), name: try row.decode(String.self, "name"), kind: kind,
            target: try row.decodeIfPresent("target"),
            authorities: try row.decodeIfPresent([String].self, "authorities"),
            levels: try row.decodeIfPresent([String].self, "levels")?.map {
                try AlertLevel.known($0, column: "levels")
            },
            headersFromEnvironment: try row.decodeIfPresent([String].self, "headers_from_env")?
                .compactMap { HeaderFromEnvironment($0) } ?? [],
            enabled: try row.decode(Bool.self, "enabled"), createdAt: try row.decodeIfPresent("created_at"),
            createdBy: try row.decodeIfPresent("created_by"))
    }

    /// The columns of `alert_channels c` that ``channel(from:)`` reads.
    static let channelColumns = """
        c.id, c.name, c.kind, c.target, c.authorities, c.levels, c.headers_from_env, c.enabled, c.created_at,
        c.created_by
        """
}
