import LicTrackAlerts
import LicTrackCore
import LicTrackReports
import LicTrackStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How deliveries look: `alerts deliveries` in JSON and CSV, and `alerts check`'s stale part.
extension AlertOutput {
    /// The keys of a delivery in JSON, and the columns of the CSV, in order.
    static let deliveryColumns = [
        "alert_id", "application_id", "level", "channel", "channel_kind", "status", "attempts", "next_attempt_at",
        "lease_until", "leased_by", "failing_since", "last_attempt_at", "delivered_at", "last_error",
        "idempotency_key",
    ]

    /// A delivery as `alerts deliveries --format json` shows it.
    static func json(_ entry: DeliveryListEntry) -> JSONValue {
        .object([
            ("alert_id", .int(entry.alertID)),
            ("application_id", .int(entry.applicationID)),
            ("level", .string(entry.level.rawValue)),
            ("channel", .string(entry.channel)),
            ("channel_kind", .string(entry.channelKind.rawValue)),
            ("status", .string(entry.status)),
            ("attempts", .int(Int64(entry.attempts))),
            ("next_attempt_at", JSONValue(entry.nextAttemptAt)),
            ("lease_until", JSONValue(entry.leaseUntil)),
            ("leased_by", JSONValue(entry.leasedBy)),
            ("failing_since", JSONValue(entry.failingSince)),
            ("last_attempt_at", JSONValue(entry.lastAttemptAt)),
            ("delivered_at", JSONValue(entry.deliveredAt)),
            ("last_error", JSONValue(entry.lastError.map(SecretMask.masking))),
            ("idempotency_key", .string(entry.idempotencyKey)),
        ])
    }

    /// A delivery as a CSV row, in ``deliveryColumns`` order.
    static func csvRow(_ entry: DeliveryListEntry) -> [String] {
        func time(_ date: Date?) -> String { date.map(Timestamp.iso8601) ?? "" }
        return [
            "\(entry.alertID)", "\(entry.applicationID)", entry.level.rawValue, entry.channel,
            entry.channelKind.rawValue, entry.status, "\(entry.attempts)", time(entry.nextAttemptAt),
            time(entry.leaseUntil), entry.leasedBy ?? "", time(entry.failingSince), time(entry.lastAttemptAt),
            time(entry.deliveredAt), SecretMask.masking(entry.lastError ?? ""), entry.idempotencyKey,
        ]
    }

    /// `alerts check`'s words for deliveries failing too long: `1 delivery to channel hook failing
    /// for over 1h (since 2026-12-01T03:00:00Z): HTTP 500 (after 3 attempts)`, or for several
    /// channels `3 deliveries failing for over 1h: channel a (2 since ...: ...); channel b (...)`.
    static func staleText(_ stale: [StaleDeliveries], after duration: String) -> String {
        func count(_ n: Int) -> String { n == 1 ? "1 delivery" : "\(n) deliveries" }
        func error(_ text: String?) -> String { nagiosText(text ?? "no error recorded", limit: 160) }
        if stale.count == 1, let only = stale.first {
            return "\(count(only.count)) to channel \(only.channel) failing for over \(duration) "
                + "(since \(Timestamp.iso8601(only.failingSince))): \(error(only.lastError))"
        }
        let total = stale.reduce(0) { $0 + $1.count }
        let channels = stale.map {
            "channel \($0.channel) (\($0.count) since \(Timestamp.iso8601($0.failingSince)): \(error($0.lastError)))"
        }
        return "\(count(total)) failing for over \(duration): \(channels.joined(separator: "; "))"
    }

    /// Text for a Nagios status line: secrets masked, one line, and no `|` (which starts the
    /// performance data).
    static func nagiosText(_ text: String, limit: Int = 480) -> String {
        DeliveryText.oneLine(SecretMask.masking(text), limit: limit).replacing("|", with: "/")
    }
}
