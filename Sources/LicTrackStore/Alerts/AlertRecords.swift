import LicTrackCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How urgent an SLA alert is.
public enum AlertLevel: String, CaseIterable, Sendable, Comparable {
    /// The deadline is near: the clock reached its warn-on day.
    case dueSoon = "due_soon"
    /// The deadline has passed.
    case breached
    /// The material the application covers runs out before the licence is likely to come
    /// (`application_outlook()`'s supply risk); raised once per cycle and stock date.
    case supplyRisk = "supply_risk"

    /// Upper case words for subjects and one-line summaries: `DUE SOON`, `BREACHED`, `SUPPLY RISK`.
    public var shouting: String {
        switch self {
        case .dueSoon: return "DUE SOON"
        case .breached: return "BREACHED"
        case .supplyRisk: return "SUPPLY RISK"
        }
    }

    /// Urgency: due soon, then supply risk (a warning, like due soon), then breached.
    private var rank: Int {
        switch self {
        case .dueSoon: return 0
        case .supplyRisk: return 1
        case .breached: return 2
        }
    }

    public static func < (lhs: AlertLevel, rhs: AlertLevel) -> Bool {
        lhs.rank < rhs.rank
    }
}

/// One raised SLA alert (a row of `sla_alerts`).
public struct SLAAlert: Sendable {
    public var id: Int64
    public var applicationID: Int64
    public var cycle: Int
    public var level: AlertLevel
    public var deadline: CivilDate
    public var authority: String
    /// The day (as of) on which the alert job found it due.
    public var raisedOn: CivilDate
    public var raisedAt: Date
    /// Sent with every delivery attempt so that receivers can drop re-sends.
    public var idempotencyKey: String
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    public var ackNote: String?
    /// A supply risk's stock record: the day the material runs out, what it feeds, and the
    /// calendar days by which the licence is likely to come too late; `nil` for other levels.
    public var stockRunsOut: CivilDate? = nil
    public var feeds: String? = nil
    public var daysShort: Int? = nil

    public var isAcknowledged: Bool { acknowledgedAt != nil }
}

/// An alert as `lictrack alerts list` shows it: with its application and where its deliveries stand.
public struct AlertListEntry: Sendable {
    public var alert: SLAAlert
    public var authorityReference: String?
    /// Deliveries done.
    public var delivered: Int
    /// Deliveries not yet done (including the failing ones).
    public var pending: Int
    /// Pending deliveries that have failed at least once.
    public var failing: Int
    /// The most recent error of a failing delivery.
    public var lastError: String?
}

/// What `lictrack alerts check` reports: application cycles by their worst unacknowledged level.
public struct AlertCheckCounts: Sendable, Equatable {
    /// Application cycles with an unacknowledged (or not yet raised) breached alert.
    public var breached: Int
    /// Application cycles with an unacknowledged (or not yet raised) due_soon alert and no breach.
    public var dueSoon: Int
    /// Clocks whose next alert has fallen due but has not been raised yet (the alert job is behind).
    public var notYetRaised: Int
    /// Application cycles with an unacknowledged supply_risk alert (a warning, whatever their clock).
    public var supplyRisk: Int

    public init(breached: Int, dueSoon: Int, notYetRaised: Int, supplyRisk: Int = 0) {
        self.breached = breached
        self.dueSoon = dueSoon
        self.notYetRaised = notYetRaised
        self.supplyRisk = supplyRisk
    }
}

/// The result of `lictrack alerts ack`.
public enum AcknowledgeOutcome: Sendable {
    /// Acknowledged now.
    case acknowledged(SLAAlert)
    /// It had been acknowledged before; nothing changed.
    case alreadyAcknowledged(SLAAlert)
}

/// One delivery (alert × channel) claimed for sending, with everything a channel needs.
///
/// It is leased to the run that claimed it (status `sending` until the lease expires), so no
/// other run sends it meanwhile; the run records the outcome with ``AlertStore/record(_:)``.
public struct PendingDelivery: Sendable {
    public var alertID: Int64
    public var channel: AlertChannel
    /// Failed attempts so far.
    public var attempts: Int
    public var level: AlertLevel
    public var applicationID: Int64
    public var cycle: Int
    public var authority: String
    public var authorityReference: String?
    public var applicant: String
    public var destination: String
    public var owner: String?
    public var status: String
    public var deadline: CivilDate
    public var raisedOn: CivilDate
    public var idempotencyKey: String
    /// The JSON document every channel delivers (`alert_payload()`), on one line.
    public var payload: String
}

/// What a channel reports for one delivery it was given.
public enum DeliveryResult: Sendable, Equatable {
    /// Delivered: written and fsynced, a 2xx answer, sendmail exit 0.
    case delivered
    /// An attempt failed, for this reason; the delivery backs off and is retried later.
    case failed(String)
    /// Not tried (the channel's share of the run ran out first): due again at once, no attempt counted.
    case notSent
}

/// The deliveries of one channel claimed in one statement, leased to one run.
public struct DeliveryBatch: Sendable {
    public var channel: AlertChannel
    /// The run's lease token: only this run can record these deliveries while the lease holds.
    public var leaseToken: String
    public var deliveries: [PendingDelivery]
}

/// A delivery as `lictrack alerts deliveries` lists it.
public struct DeliveryListEntry: Sendable {
    public var alertID: Int64
    public var applicationID: Int64
    public var level: AlertLevel
    public var channel: String
    public var channelKind: AlertChannelKind
    /// `pending`, `sending` or `delivered`.
    public var status: String
    /// Attempts made (failed ones, and the successful one for a delivered delivery).
    public var attempts: Int
    /// When it is next due; nil once delivered. For a `sending` delivery, when its lease expires.
    public var nextAttemptAt: Date?
    /// For a `sending` delivery: when its lease expires, and who holds it.
    public var leaseUntil: Date?
    public var leasedBy: String?
    /// When the failures since the last success began; nil when not failing.
    public var failingSince: Date?
    public var lastAttemptAt: Date?
    public var deliveredAt: Date?
    public var lastError: String?
    public var idempotencyKey: String
}

/// One channel's deliveries that have been failing for too long (`lictrack alerts check`).
public struct StaleDeliveries: Sendable, Equatable {
    public var channel: String
    public var kind: AlertChannelKind
    /// How many deliveries.
    public var count: Int
    /// When the oldest of them started failing.
    public var failingSince: Date
    /// The most recent error among them.
    public var lastError: String?
}
