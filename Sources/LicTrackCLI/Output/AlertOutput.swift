import LicTrackAlerts
import LicTrackCore
import LicTrackReports
import LicTrackStore

/// How alerts, channels and alert runs look in JSON, tables and warnings.
///
/// Every URL and error shown goes through ``SecretMask``: a webhook URL's password and its
/// secret-looking query values never reach the screen, a log or a monitoring system.
enum AlertOutput {
    // MARK: - Alerts

    /// An alert as `alerts run` lists what it raised.
    static func json(_ alert: SLAAlert) -> JSONValue {
        .object(
            [
                ("id", .int(alert.id)),
                ("application_id", .int(alert.applicationID)),
                ("cycle", .int(Int64(alert.cycle))),
                ("level", .string(alert.level.rawValue)),
                ("deadline", JSONValue(alert.deadline)),
                ("authority", .string(alert.authority)),
                ("raised_on", JSONValue(alert.raisedOn)),
                ("idempotency_key", .string(alert.idempotencyKey)),
            ] + stockMembers(alert))
    }

    /// `stock_runs_out`, `feeds` and `days_short`, for a supply_risk alert only.
    static func stockMembers(_ alert: SLAAlert) -> [(String, JSONValue)] {
        guard alert.level == .supplyRisk else { return [] }
        return [
            ("stock_runs_out", JSONValue(alert.stockRunsOut)),
            ("feeds", JSONValue(alert.feeds)),
            ("days_short", alert.daysShort.map { .int(Int64($0)) } ?? .null),
        ]
    }

    /// An alert as `alerts list` shows it.
    static func json(_ entry: AlertListEntry) -> JSONValue {
        let alert = entry.alert
        return .object(
            [
                ("id", .int(alert.id)),
                ("application_id", .int(alert.applicationID)),
                ("cycle", .int(Int64(alert.cycle))),
                ("level", .string(alert.level.rawValue)),
                ("deadline", JSONValue(alert.deadline)),
                ("authority", .string(alert.authority)),
                ("authority_reference", JSONValue(entry.authorityReference)),
                ("raised_on", JSONValue(alert.raisedOn)),
                ("raised_at", JSONValue(alert.raisedAt)),
                ("idempotency_key", .string(alert.idempotencyKey)),
                ("acknowledged", .bool(alert.isAcknowledged)),
                ("acknowledged_at", JSONValue(alert.acknowledgedAt)),
                ("acknowledged_by", JSONValue(alert.acknowledgedBy)),
                ("ack_note", JSONValue(alert.ackNote)),
                (
                    "deliveries",
                    .object([
                        ("delivered", .int(Int64(entry.delivered))),
                        ("pending", .int(Int64(entry.pending))),
                        ("failed", .int(Int64(entry.failing))),
                        ("last_error", JSONValue(entry.lastError.map(SecretMask.masking))),
                    ])
                ),
            ] + stockMembers(alert))
    }

    /// `2 delivered, 1 failing: HTTP 500 ...`, or `-` when no channel took the alert.
    static func deliveryState(_ entry: AlertListEntry) -> String {
        var parts: [String] = []
        if entry.delivered > 0 { parts.append("\(entry.delivered) delivered") }
        let waiting = entry.pending - entry.failing
        if waiting > 0 { parts.append("\(waiting) pending") }
        if entry.failing > 0 {
            parts.append("\(entry.failing) failing" + (entry.lastError.map { ": \(maskedError($0))" } ?? ""))
        }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    // MARK: - Channels

    /// A channel as `alerts channel list` shows it, its target masked.
    static func json(_ channel: AlertChannel) -> JSONValue {
        .object([
            ("id", .int(channel.id)),
            ("name", .string(channel.name)),
            ("kind", .string(channel.kind.rawValue)),
            ("target", JSONValue(channel.target.map(SecretMask.masking))),
            ("authorities", channel.authorities.map { JSONValue($0) } ?? .null),
            ("levels", channel.levels.map { JSONValue($0.map(\.rawValue)) } ?? .null),
            ("headers_from_env", JSONValue(channel.headersFromEnvironment.map(\.text))),
            ("enabled", .bool(channel.enabled)),
            ("created_at", JSONValue(channel.createdAt)),
            ("created_by", JSONValue(channel.createdBy)),
        ])
    }

    /// `, MOFCOM only, breached only` for a channel's filters.
    static func filterText(_ channel: AlertChannel) -> String {
        var text = ""
        if let authorities = channel.authorities { text += ", \(authorities.joined(separator: "/")) only" }
        if let levels = channel.levels { text += ", \(levels.map(\.rawValue).joined(separator: "/")) only" }
        return text
    }

    // MARK: - A run

    /// `alerts run --format json`: as_of, raised, delivered, failed, pending.
    static func json(_ result: AlertRunResult, asOf: CivilDate?) -> JSONValue {
        .object([
            ("as_of", JSONValue(asOf)),
            ("raised", .array(result.raised.map(json))),
            ("delivered", .int(Int64(result.delivered))),
            ("failed", .int(Int64(result.failed))),
            ("pending", .int(Int64(result.pending))),
        ])
    }

    /// `alerts run` as a table: one line per raised alert, then the summary.
    static func table(_ result: AlertRunResult, asOf: CivilDate?) -> [String] {
        var lines = result.raised.map { alert in
            let what =
                alert.level == .supplyRisk
                ? "stock runs out \(alert.stockRunsOut.map { "\($0)" } ?? "-")"
                    + " (\(alert.daysShort ?? 0) days short), deadline \(alert.deadline)"
                : "deadline \(alert.deadline)"
            return "Raised alert \(alert.id): \(alert.level.shouting) application \(alert.applicationID) "
                + "(\(alert.authority), cycle \(alert.cycle)), \(what)."
        }
        let count = result.raised.count == 1 ? "1 alert" : "\(result.raised.count) alerts"
        let day = asOf.map { " as of \($0)" } ?? ""
        lines.append(
            "Raised \(count)\(day); delivered \(result.delivered), failed \(result.failed), pending \(result.pending).")
        return lines
    }

    /// At most this many failure warnings per channel; the rest are counted in one more line.
    static let warningsPerChannel = 20

    /// The `lictrack: warning:` lines of a run: each failed delivery (up to
    /// ``warningsPerChannel`` per channel), and each channel that stopped with deliveries left.
    static func warnings(_ result: AlertRunResult) -> [String] {
        var lines: [String] = []
        for channel in result.channels {
            for failure in channel.failures.prefix(warningsPerChannel) {
                lines.append(
                    "lictrack: warning: alert \(failure.alertID) to channel \(failure.channel) failed "
                        + "(attempt \(failure.attempt)); it will be retried: \(maskedError(failure.message))")
            }
            if channel.failures.count > warningsPerChannel {
                lines.append(
                    "lictrack: warning: channel \(channel.channel): \(channel.failures.count - warningsPerChannel) "
                        + "more failed deliveries (see 'lictrack alerts deliveries --failing')")
            }
            if let stop = channel.stop, channel.leftDue > 0 {
                let why =
                    stop == .failing
                    ? "its receiver is failing" : "its share of the run (--channel-time) ran out"
                let left = channel.leftDue == 1 ? "1 delivery waits" : "\(channel.leftDue) deliveries wait"
                lines.append(
                    "lictrack: warning: channel \(channel.channel) stopped for this run because \(why); "
                        + "\(left) for the next run")
            }
        }
        return lines
    }

    /// An error message as shown: secrets masked, on one line.
    static func maskedError(_ message: String) -> String {
        DeliveryText.oneLine(SecretMask.masking(message))
    }
}
