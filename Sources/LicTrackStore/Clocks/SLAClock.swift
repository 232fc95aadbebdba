import LicTrackCore

/// An application's SLA clock as of a day, as the database computed it.
///
/// Every number here comes from `sla_clock_as_of()` in `Database/migrations/0004_sla.sql`: the
/// counting rules live there and only there.
public struct SLAClock: Sendable, Equatable {
    /// The states a clock can be in on a given day.
    public enum State: String, CaseIterable, Sendable {
        case notStarted = "not_started"
        case onTrack = "on_track"
        case dueSoon = "due_soon"
        case breached
        case paused
        case met
        case missed
    }

    public var asOf: CivilDate
    /// The application cycle (1 for the first submission, 2 after a return and resubmission).
    public var cycle: Int?
    /// The target in units, extensions included.
    public var target: Int?
    /// Units added by formal extensions.
    public var extensionUnits: Int?
    /// `working_days` or `calendar_days`.
    public var unit: String?
    public var calendar: String?
    public var startedOn: CivilDate?
    public var deadline: CivilDate?
    public var elapsed: Int?
    public var remaining: Int?
    /// Units paused so far in this cycle.
    public var paused: Int?
    public var state: State
    /// True when the deadline depends on a calendar year that is provisional or not loaded.
    public var provisional: Bool
}
