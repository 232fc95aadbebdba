import LicTrackCore
import Postgres

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Raises, delivers, lists and acknowledges SLA alerts: the outbox of `0005_alerts.sql`.
///
/// Each public method is one short transaction. Delivery is one transaction per delivery:
/// claim it (`FOR UPDATE SKIP LOCKED`), send it, record the outcome, commit. So two runs at the
/// same time never send one delivery twice, and a run killed after sending but before committing
/// leaves only that delivery pending, to be re-sent with the same idempotency key.
public struct AlertStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    // MARK: - Raising and delivering

    /// Raises every alert that has fallen due (as of `asOf`, or today in each authority's time
    /// zone) and queues its deliveries, in one transaction; returns the alerts raised now.
    public func raise(asOf: CivilDate?) throws -> [SLAAlert] {
        try LicTrackError.translating {
            try connection.transaction { tx in
                try tx.query("select * from alerts_raise($1::date)", [asOf]).map(Self.alert(from:))
            }
        }
    }

    /// Claims the next pending delivery due by `dueBy`, hands it to `send`, and records what `send`
    /// reports, all in one transaction. Returns nil when no delivery is due (or all the due ones
    /// are being sent by another run).
    ///
    /// Pass the run's start (``databaseNow()``) as `dueBy`: a failed attempt is rescheduled after
    /// it, so each delivery is tried at most once per run and the loop ends.
    ///
    /// `send` runs while the delivery is locked and before the commit; it must not throw (a
    /// channel's failure is a ``DeliveryResult/failed(_:)``). The transaction is never retried,
    /// since that would send twice.
    public func deliverNext(
        dueBy: Date, _ send: (PendingDelivery) -> DeliveryResult
    ) throws -> DeliveryOutcome? {
        try LicTrackError.translating {
            try connection.transaction(maxAttempts: 1) { tx -> DeliveryOutcome? in
                let rows = try tx.query(
                    """
                    with claimed as (
                        -- One due delivery, locked; the partial index on pending rows serves the
                        -- order and the limit, so this costs the same however many alerts exist.
                        select p.alert_id, p.channel_id, p.attempts, p.next_attempt_at
                        from alert_deliveries p
                        where p.status = 'pending'
                          and p.next_attempt_at <= $1::timestamptz
                          and exists (select 1 from alert_channels e where e.id = p.channel_id and e.enabled)
                        order by p.next_attempt_at, p.alert_id, p.channel_id
                        limit 1
                        for update of p skip locked
                    )
                    select d.alert_id, d.channel_id, d.attempts,
                           c.name as channel_name, c.kind as channel_kind, c.target as channel_target,
                           array_to_string(c.authorities, ',') as channel_authorities,
                           array_to_string(c.levels, ',') as channel_levels, c.enabled as channel_enabled,
                           al.level, al.application_id, al.cycle, al.authority, al.deadline, al.raised_on,
                           al.idempotency_key, a.authority_reference, a.applicant, a.destination, a.owner, a.status,
                           alert_payload(d.alert_id)::text as payload
                    from claimed d
                    join alert_channels c on c.id = d.channel_id
                    join sla_alerts al on al.id = d.alert_id
                    join applications a on a.id = al.application_id
                    """, [dueBy])
                guard let row = rows.first else { return nil }
                let delivery = try Self.pendingDelivery(from: row)
                let result = send(delivery)
                switch result {
                case .delivered:
                    try tx.execute(
                        "select alert_delivery_succeeded($1::bigint, $2::bigint)",
                        [delivery.alertID, delivery.channel.id])
                case .failed(let message):
                    try tx.execute(
                        "select alert_delivery_failed($1::bigint, $2::bigint, $3)",
                        [delivery.alertID, delivery.channel.id, message])
                }
                return DeliveryOutcome(delivery: delivery, result: result)
            }
        }
    }

    /// The database's current time: the cut-off for one run's deliveries.
    public func databaseNow() throws -> Date {
        try LicTrackError.translating {
            try connection.query("select clock_timestamp() as now")[0].decode(Date.self, "now")
        }
    }

    /// The number of deliveries not yet done, whenever they are next due.
    public func pendingDeliveryCount() throws -> Int {
        try LicTrackError.translating {
            try connection.query("select count(*) as n from alert_deliveries where status = 'pending'")[0]
                .decode(Int.self, "n")
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
                       count(d.alert_id) filter (where d.status = 'pending') as pending,
                       count(d.alert_id) filter (where d.status = 'pending' and d.attempts > 0) as failing,
                       (select d2.last_error from alert_deliveries d2
                        where d2.alert_id = al.id and d2.status = 'pending' and d2.last_error is not null
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
    /// the level it would be raised at.
    public func checkCounts() throws -> AlertCheckCounts {
        try LicTrackError.translating {
            try connection.transaction(readOnly: true) { tx in
                let row = try tx.query(
                    """
                    with open_alerts as (
                        select al.application_id, al.cycle, al.level
                        from sla_alerts al
                        where al.acknowledged_at is null
                    ),
                    behind as (
                        select k.application_id, k.cycle,
                               case when authority_today(k.authority) > k.deadline then 'breached'
                                    else 'due_soon' end as level
                        from application_clocks k
                        where k.next_alert_on is not null
                          and k.next_alert_on <= current_date + 1
                          and k.next_alert_on <= authority_today(k.authority)
                    ),
                    worst as (
                        select x.application_id, x.cycle, bool_or(x.level = 'breached') as breached
                        from (select * from open_alerts union all select * from behind) x
                        group by x.application_id, x.cycle
                    )
                    select (select count(*) from worst where breached) as breached,
                           (select count(*) from worst where not breached) as due_soon,
                           (select count(*) from behind) as behind
                    """)[0]
                return AlertCheckCounts(
                    breached: try row.decode(Int.self, "breached"), dueSoon: try row.decode(Int.self, "due_soon"),
                    notYetRaised: try row.decode(Int.self, "behind"))
            }
        }
    }

    // MARK: - Channels

    /// Adds a delivery channel. It receives the alerts raised from now on.
    public func addChannel(_ draft: AlertChannelDraft) throws -> AlertChannel {
        if let problem = draft.problem {
            throw LicTrackError(.invalidInput, problem)
        }
        let authorities = PostgresTextArray(draft.authorities)
        let levels = PostgresTextArray(draft.levels.map(\.rawValue))
        return try LicTrackError.translating {
            do {
                return try connection.transaction { tx in
                    let unknown = try tx.query(
                        """
                        select u.code from unnest($1::text[]) as u(code)
                        where not exists (select 1 from authorities a where a.code = u.code)
                        """, [authorities]
                    ).map { try $0.decode(String.self, "code") }
                    if !unknown.isEmpty {
                        throw LicTrackError(
                            .invalidInput, "unknown authority: \(unknown.joined(separator: ", "))",
                            hint: "see 'lictrack authority list'")
                    }
                    let row = try tx.query(
                        """
                        insert into alert_channels (name, kind, target, authorities, levels)
                        values ($1, $2, $3, nullif($4::text[], '{}'), nullif($5::text[], '{}'))
                        returning id, name, kind, target, array_to_string(authorities, ',') as authorities_text,
                                  array_to_string(levels, ',') as levels_text, enabled, created_at, created_by
                        """, [draft.name, draft.kind.rawValue, draft.target, authorities, levels])[0]
                    return try Self.channel(from: row)
                }
            } catch let error as PostgresError
                where error.sqlState == "23505" && error.constraintName == "alert_channels_name_key"
            {
                throw LicTrackError(
                    .invalidInput, "an alert channel named '\(draft.name)' already exists",
                    hint: "see 'lictrack alerts channel list'", sqlState: error.sqlState)
            }
        }
    }

    /// Every delivery channel, by name.
    public func channels() throws -> [AlertChannel] {
        try LicTrackError.translating {
            try connection.query(
                """
                select id, name, kind, target, array_to_string(authorities, ',') as authorities_text,
                       array_to_string(levels, ',') as levels_text, enabled, created_at, created_by
                from alert_channels
                order by name
                """
            ).map { try Self.channel(from: $0) }
        }
    }

    /// Enables or disables a channel; returns whether that changed anything.
    ///
    /// A disabled channel keeps its pending deliveries (they wait) and gets no new alerts.
    ///
    /// - Throws: ``LicTrackError`` `.notFound` if there is no channel of that name.
    @discardableResult
    public func setChannel(_ name: String, enabled: Bool) throws -> Bool {
        try LicTrackError.translating {
            try connection.transaction { tx in
                let rows = try tx.query(
                    "select enabled from alert_channels where name = $1 for update", [name])
                guard let row = rows.first else {
                    throw LicTrackError(
                        .notFound, "no alert channel is named '\(name)'", hint: "see 'lictrack alerts channel list'")
                }
                if try row.decode(Bool.self, "enabled") == enabled { return false }
                try tx.execute("update alert_channels set enabled = $2::boolean where name = $1", [name, enabled])
                return true
            }
        }
    }

    // MARK: - Decoding

    static func alert(from row: PostgresRow) throws -> SLAAlert {
        let levelText = try row.decode(String.self, "level")
        guard let level = AlertLevel(rawValue: levelText) else {
            throw PostgresError(kind: .decoding, message: "unknown alert level \(levelText)", column: "level")
        }
        return SLAAlert(
            id: try row.decode(Int64.self, "id"), applicationID: try row.decode(Int64.self, "application_id"),
            cycle: try row.decode(Int.self, "cycle"), level: level,
            deadline: try row.decode(CivilDate.self, "deadline"),
            authority: try row.decode(String.self, "authority"), raisedOn: try row.decode(CivilDate.self, "raised_on"),
            raisedAt: try row.decode(Date.self, "raised_at"),
            idempotencyKey: try row.decode(String.self, "idempotency_key"),
            acknowledgedAt: try row.decodeIfPresent("acknowledged_at"),
            acknowledgedBy: try row.decodeIfPresent("acknowledged_by"), ackNote: try row.decodeIfPresent("ack_note"))
    }

    static func channel(from row: PostgresRow, prefix: String = "") throws -> AlertChannel {
        let kindText = try row.decode(String.self, prefix + "kind")
        guard let kind = AlertChannelKind(rawValue: kindText) else {
            throw PostgresError(kind: .decoding, message: "unknown channel kind \(kindText)", column: prefix + "kind")
        }
        let authoritiesColumn = prefix.isEmpty ? "authorities_text" : prefix + "authorities"
        let levelsColumn = prefix.isEmpty ? "levels_text" : prefix + "levels"
        let authorities = try row.decodeIfPresent(String.self, authoritiesColumn).map {
            $0.split(separator: ",").map(String.init)
        }
        let levels = try row.decodeIfPresent(String.self, levelsColumn).map {
            $0.split(separator: ",").compactMap { AlertLevel(rawValue: String($0)) }
        }
        return AlertChannel(
            id: try row.decode(Int64.self, prefix.isEmpty ? "id" : "channel_id"),
            name: try row.decode(String.self, prefix + "name"), kind: kind,
            target: try row.decodeIfPresent(prefix + "target"), authorities: authorities, levels: levels,
            enabled: try row.decode(Bool.self, prefix + "enabled"),
            createdAt: prefix.isEmpty ? try row.decodeIfPresent("created_at") : nil,
            createdBy: prefix.isEmpty ? try row.decodeIfPresent("created_by") : nil)
    }

    static func pendingDelivery(from row: PostgresRow) throws -> PendingDelivery {
        let levelText = try row.decode(String.self, "level")
        guard let level = AlertLevel(rawValue: levelText) else {
            throw PostgresError(kind: .decoding, message: "unknown alert level \(levelText)", column: "level")
        }
        return PendingDelivery(
            alertID: try row.decode(Int64.self, "alert_id"), channel: try Self.channel(from: row, prefix: "channel_"),
            attempts: try row.decode(Int.self, "attempts"), level: level,
            applicationID: try row.decode(Int64.self, "application_id"), cycle: try row.decode(Int.self, "cycle"),
            authority: try row.decode(String.self, "authority"),
            authorityReference: try row.decodeIfPresent("authority_reference"),
            applicant: try row.decode(String.self, "applicant"),
            destination: try row.decode(String.self, "destination"),
            owner: try row.decodeIfPresent("owner"), status: try row.decode(String.self, "status"),
            deadline: try row.decode(CivilDate.self, "deadline"), raisedOn: try row.decode(CivilDate.self, "raised_on"),
            idempotencyKey: try row.decode(String.self, "idempotency_key"),
            payload: try row.decode(String.self, "payload"))
    }
}
