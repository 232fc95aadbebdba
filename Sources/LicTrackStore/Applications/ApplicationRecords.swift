import LicTrackCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An application as `lictrack app show` presents it: details, items, history and next steps.
public struct ApplicationDetails: Sendable {
    public var id: Int64
    public var authority: String
    public var licenceType: String
    public var applicant: String
    public var exporter: String?
    public var consignee: String?
    public var endUser: String?
    public var endUse: String?
    public var destination: String
    public var authorityReference: String?
    public var owner: String?
    public var status: String
    public var statusSince: CivilDate?
    public var createdOn: CivilDate
    public var licenceNumber: String?
    public var licenceValidUntil: CivilDate?
    public var createdAt: Date
    public var createdBy: String
    public var items: [ApplicationItem]
    public var events: [ApplicationEventRecord]
    /// The status-changing events the workflow allows from the current status.
    public var nextEvents: [String]
    /// The current cycle's SLA clock on the as-of day.
    public var clock: SLAClock
    /// When the application is likely to be decided, as of the clock's day; `nil` unless its clock runs.
    public var forecast: DecisionForecast?
    /// The latest stock record up to the clock's day and the supply risk; `nil` when none was recorded.
    public var stock: SupplyRisk?
}

/// One line of goods on an application.
public struct ApplicationItem: Sendable {
    public var lineNo: Int
    public var description: String
    public var controlCode: String?
    public var hsCode: String?
    public var quantity: ExactAmount?
    public var unit: String?
    public var value: ExactAmount?
    public var currency: String?
    public var addedAt: Date
    public var addedBy: String
}

/// One row of an application's history.
public struct ApplicationEventRecord: Sendable {
    public var applicationID: Int64
    public var seq: Int
    public var event: String
    public var from: String?
    public var to: String
    public var occurredOn: CivilDate
    public var recordedAt: Date
    public var recordedBy: String
    public var actor: String?
    public var note: String?
    public var authorityReference: String?
    public var licenceNumber: String?
    public var validUntil: CivilDate?
    public var reason: String?
    /// Units by which the authority extended the deadline (delay only).
    public var extendBy: Int?
    /// The day the material runs out (stock only).
    public var stockRunsOut: CivilDate?
    /// What the material feeds (stock only).
    public var feeds: String?
    /// The authority reference this event replaced (set by ``ApplicationStore/record(_:for:)`` only,
    /// for an event recorded with ``EventInput/replaceReference``).
    public var replacedReference: String? = nil
}

/// An application as one row of `lictrack app list`.
public struct ApplicationSummary: Sendable {
    public var id: Int64
    public var authority: String
    public var licenceType: String
    public var status: String
    public var statusSince: CivilDate?
    public var applicant: String
    public var destination: String
    public var authorityReference: String?
    public var owner: String?
    public var createdOn: CivilDate
    public var lastEventOn: CivilDate?
    public var itemCount: Int
    /// The current clock's deadline (before any pause still open).
    public var deadline: CivilDate?
    /// The current clock's state on the list's as-of day.
    public var slaState: String
    public var provisional: Bool
    /// Calendar days from ``statusSince`` to the list's as-of day.
    public var daysInStatus: Int?
    /// Units left before the deadline on the as-of day (negative once past it); `nil` without a started clock.
    public var remaining: Int?
    /// Units past the deadline on the as-of day, in the clock's unit; 0 unless breached.
    public var overdue: Int
}

/// What a user records with an event verb.
public struct EventInput: Sendable {
    public var event: WorkflowEvent
    public var on: DateSpecifier?
    public var note: String?
    public var actor: String?
    public var authorityReference: String?
    public var licenceNumber: String?
    public var validUntil: CivilDate?
    public var reason: DelayReason?
    /// Units by which the authority formally extended the deadline (delay only).
    public var extendBy: Int?
    /// The day the material the application covers runs out (stock only).
    public var stockRunsOut: CivilDate?
    /// What that material feeds (stock only).
    public var feeds: String?
    /// Whether the event may replace the application's authority reference (`--replace-ref`).
    public var replaceReference = false

    public init(
        event: WorkflowEvent, on: DateSpecifier? = nil, note: String? = nil, actor: String? = nil,
        authorityReference: String? = nil, licenceNumber: String? = nil, validUntil: CivilDate? = nil,
        reason: DelayReason? = nil
    ) {
        self.event = event
        self.on = on
        self.note = note
        self.actor = actor
        self.authorityReference = authorityReference
        self.licenceNumber = licenceNumber
        self.validUntil = validUntil
        self.reason = reason
    }
}
