import LicTrackCore
import Postgres

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where one run of the alert job starts from: what is due, and what is waiting.
public struct DeliveryRunStart: Sendable {
    /// The database's clock when the run started: deliveries due by then are this run's to send.
    public var dueBy: Date
    /// Deliveries not yet done (pending or being sent), whenever they are due.
    public var pending: Int
    /// The enabled channels with deliveries due by ``dueBy``, by name.
    public var channels: [AlertChannel]
}

/// Delivering: claiming deliveries with a lease and recording what happened, each in one
/// statement (`alert_deliveries_claim` and `alert_deliveries_record`, migration 0011), plus the
/// views of what is stuck.
extension AlertStore {
    /// The run's start and the channels it has work for, in one statement.
    public func deliveryRunStart() throws -> DeliveryRunStart {
        try LicTrackError.translating {
            let rows = try connection.query(
                """
                select r.due_by, r.pending, \(Self.channelColumns)
                from (select clock_timestamp() as due_by,
                             (select count(*) from alert_deliveries
                              where status in ('pending', 'sending')) as pending) r
                left join alert_channels c
                  on c.enabled
                 and exists (select 1 from alert_deliveries d
                             where d.channel_id = c.id and d.status in ('pending', 'sending')
                               and d.next_attempt_at <= r.due_by)
                order by c.name
                """)
            let first = rows[0]
            return DeliveryRunStart(
                dueBy: try first.decode(Date.self, "due_by"), pending: try first.decode(Int.self, "pending"),
                channels: try rows.filter { $0["id"] != nil }.map { try Self.channel(from: $0) })
        }
    }

    /// Claims up to `limit` of the channel's deliveries due by `dueBy`, leased to `leaseToken` for
    /// `leaseSeconds`; an empty batch when none is left (or another run holds them all).
    public func claim(
        _ channel: AlertChannel, limit: Int, dueBy: Date, leaseSeconds: Double, leaseToken: String,
        leasedBy: String
    ) throws -> DeliveryBatch {
        try LicTrackError.translating {
            let rows = try connection.query(
                """
                select * from alert_deliveries_claim(
                    $1::bigint, $2::integer, $3::timestamptz, make_interval(secs => $4::double precision),
                    $5::uuid, $6::text)
                """, [channel.id, limit, dueBy, leaseSeconds, leaseToken, leasedBy])
            return DeliveryBatch(
                channel: channel, leaseToken: leaseToken,
                deliveries: try rows.map { try Self.pendingDelivery(from: $0, channel: channel) })
        }
    }

    /// Records what happened to a claimed batch, in one statement; returns how many deliveries
    /// were recorded (fewer than given only if a lease expired and another run took them over).
    @discardableResult
    public func record(_ batch: DeliveryBatch, _ results: [(alertID: Int64, result: DeliveryResult)]) throws -> Int {
        var delivered: [String] = []
        var failed: [String] = []
        var errors: [String] = []
        var released: [String] = []
        for (alertID, result) in results {
            switch result {
            case .delivered: delivered.append(String(alertID))
            case .failed(let message):
                failed.append(String(alertID))
                errors.append(message)
            case .notSent: released.append(String(alertID))
            }
        }
        return try LicTrackError.translating {
            try connection.query(
                """
                select alert_deliveries_record(
                    $1::bigint, $2::uuid, $3::text[]::bigint[], $4::text[]::bigint[], $5::text[],
                    $6::text[]::bigint[]) as n
                """,
                [
                    batch.channel.id, batch.leaseToken, delivered, failed, errors, released,
                ])[0].decode(Int.self, "n")
        }
    }

    /// How many of the channel's deliveries are due by `dueBy` and not leased.
    public func dueCount(_ channel: AlertChannel, dueBy: Date) throws -> Int {
        try LicTrackError.translating {
            try connection.query(
                """
                select count(*) as n from alert_deliveries
                where channel_id = $1::bigint and status in ('pending', 'sending') and next_attempt_at <= $2::timestamptz
                """, [channel.id, dueBy])[0].decode(Int.self, "n")
        }
    }

    /// The number of deliveries not yet done (pending or being sent), whenever they are next due.
    public func pendingDeliveryCount() throws -> Int {
        try LicTrackError.translating {
            try connection.query(
                "select count(*) as n from alert_deliveries where status in ('pending', 'sending')")[0]
                .decode(Int.self, "n")
        }
    }

    // MARK: - Seeing what is stuck

    /// Deliveries, by alert and channel: all of them, or only the failing ones (not delivered,
    /// at least one failed attempt), of every channel or of one.
    ///
    /// - Throws: ``LicTrackError`` `.notFound` for a channel name that names no channel.
    public func deliveries(failingOnly: Bool, channel: String?) throws -> [DeliveryListEntry] {
        try LicTrackError.translating {
            if let channel { _ = try self.channel(named: channel) }
            return try connection.query(
                """
                select d.alert_id, al.application_id, al.level, c.name as channel, c.kind as channel_kind,
                       d.status, d.attempts, d.next_attempt_at, d.lease_until, d.leased_by, d.failing_since,
                       d.last_attempt_at, d.delivered_at, d.last_error, al.idempotency_key::text as idempotency_key
                from alert_deliveries d
                join alert_channels c on c.id = d.channel_id
                join sla_alerts al on al.id = d.alert_id
                where ($1::text is null or c.name = $1::text)
                  and (not $2::boolean or (d.status <> 'delivered' and d.attempts > 0))
                order by d.alert_id, c.name
                """, [channel, failingOnly]
            ).map { row in
                let status = try row.decode(String.self, "status")
                return DeliveryListEntry(
                    alertID: try row.decode(Int64.self, "alert_id"),
                    applicationID: try row.decode(Int64.self, "application_id"),
                    level: try row.decodeKnown(AlertLevel.self, "level"),
                    channel: try row.decode(String.self, "channel"),
                    channelKind: try row.decodeKnown(AlertChannelKind.self, "channel_kind"),
                    status: status, attempts: try row.decode(Int.self, "attempts"),
                    nextAttemptAt: status == "delivered" ? nil : try row.decodeIfPresent("next_attempt_at"),
                    leaseUntil: try row.decodeIfPresent("lease_until"), leasedBy: try row.decodeIfPresent("leased_by"),
                    failingSince: try row.decodeIfPresent("failing_since"),
                    lastAttemptAt: try row.decodeIfPresent("last_attempt_at"),
                    deliveredAt: try row.decodeIfPresent("delivered_at"),
                    lastError: try row.decodeIfPresent("last_error"),
                    idempotencyKey: try row.decode(String.self, "idempotency_key"))
            }
        }
    }

    /// Makes a channel's failing deliveries due now; returns how many.
    ///
    /// - Throws: ``LicTrackError`` `.notFound` for a channel name that names no channel.
    public func retry(channel name: String) throws -> Int {
        try LicTrackError.translating {
            let channel = try self.channel(named: name)
            return try connection.query("select alert_deliveries_retry($1::bigint) as n", [channel.id])[0]
                .decode(Int.self, "n")
        }
    }

    /// Per enabled channel, the deliveries that have been failing for longer than `seconds`.
    public func staleDeliveries(olderThan seconds: Double) throws -> [StaleDeliveries] {
        try LicTrackError.translating {
            try connection.query(
                "select * from alert_deliveries_stale(make_interval(secs => $1::double precision))", [seconds]
            ).map { row in
                StaleDeliveries(
                    channel: try row.decode(String.self, "channel"),
                    kind: try row.decodeKnown(AlertChannelKind.self, "kind"),
                    count: try row.decode(Int.self, "deliveries"),
                    failingSince: try row.decode(Date.self, "failing_since"),
                    lastError: try row.decodeIfPresent("last_error"))
            }
        }
    }

    static func pendingDelivery(from row: PostgresRow, channel: AlertChannel) throws -> PendingDelivery {
        let level = try row.decodeKnown(AlertLevel.self, "level")
        return PendingDelivery(
            alertID: try row.decode(Int64.self, "alert_id"), channel: channel,
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
