#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How one authority's clock is counted (per licence type where it differs).
public struct SLAPolicy: Sendable, Equatable {
    public var authority: String
    /// NULL in the database: the authority's default policy.
    public var licenceType: String?
    /// The status whose first entry in a cycle starts the clock.
    public var startStatus: String
    public var target: Int
    /// `working_days` or `calendar_days`.
    public var unit: String
    public var calendar: String?
    public var pauseStatuses: [String]
    public var warnBefore: Int
    public var source: String?
    /// The legal basis of the clock in plain words, quoted in escalation evidence.
    public var basis: String?
    public var updatedAt: Date?
    public var updatedBy: String?

    public init(
        authority: String, licenceType: String? = nil, startStatus: String, target: Int, unit: String,
        calendar: String?, pauseStatuses: [String], warnBefore: Int, source: String? = nil, basis: String? = nil
    ) {
        self.authority = authority
        self.licenceType = licenceType
        self.startStatus = startStatus
        self.target = target
        self.unit = unit
        self.calendar = calendar
        self.pauseStatuses = pauseStatuses
        self.warnBefore = warnBefore
        self.source = source
        self.basis = basis
    }
}

/// A change to a policy: only the fields given are changed.
public struct SLAPolicyChange: Sendable {
    public var startStatus: String?
    public var target: Int?
    public var unit: String?
    public var calendar: String?
    public var pauseStatuses: [String]?
    public var warnBefore: Int?
    public var source: String?
    /// The legal basis of the clock in plain words.
    public var basis: String?

    public init() {}
}
