import LicTrackCore

/// One open application as `lictrack report delays` shows it: where it stands, for how long, how
/// late it is, when it is likely to be decided and whether its material runs out first.
///
/// Every value comes from `application_outlook()` and `report_delays()` in
/// `Database/migrations/0009_report_delays.sql`; nothing here is computed in Swift.
public struct DelayRow: Sendable, Equatable {
    public var id: Int64
    /// The day the row describes (the report's `--as-of`, or today in the authority's time zone).
    public var asOf: CivilDate
    public var authority: String
    public var authorityReference: String?
    public var status: String
    /// The day the application entered its status (as of ``asOf``).
    public var statusSince: CivilDate?
    /// Calendar days from ``statusSince`` to ``asOf``.
    public var daysInStatus: Int?
    public var destination: String
    public var applicant: String
    public var owner: String?
    /// The current cycle's clock as of ``asOf``, exactly as `app show --as-of` gives it.
    public var clock: SLAClock
    /// Units past the deadline, in the clock's unit; 0 unless the clock is breached.
    public var overdue: Int
    /// Requests for information in the current cycle (since the last submission).
    public var rfis: Int
    /// The last event recorded up to ``asOf`` (a note or stock record included), and its day.
    public var lastEvent: String?
    public var lastEventOn: CivilDate?
    /// When the application is likely to be decided; `nil` when its clock is not running.
    public var forecast: DecisionForecast?
    /// The latest stock record and the supply risk; `nil` when no stock was recorded.
    public var supply: SupplyRisk?
}

/// When an application is likely to be decided, from the decisions its authority made in the last year.
///
/// The sample is the authority's decisions (approve, deny) dated in the 365 days up to the as-of
/// day, narrowed to the application's control-code family when that family has at least 20, and
/// conditioned on the time already spent: only decisions whose clock's elapsed exceeded this
/// clock's elapsed count. ``p50`` and ``p90`` are those decisions' elapsed at the nearest-rank 50th
/// and 90th percentiles (`percentile_disc`), placed on the authority's calendar from this clock.
public struct DecisionForecast: Sendable, Equatable {
    /// The reason given when there are fewer than 5 decisions to go on: no date is invented.
    public static let tooFew = "too few decided applications"

    /// How many decisions the percentiles rest on (after conditioning).
    public var sample: Int
    /// The expected decision day at the median; `nil` with fewer than 5 decisions.
    public var p50: CivilDate?
    /// The day by which 90% of comparable applications were decided; `nil` with fewer than 5.
    public var p90: CivilDate?
    /// The percentiles themselves: the clock's elapsed units at decision.
    public var p50Elapsed: Int?
    public var p90Elapsed: Int?
    /// Why there is no date: ``tooFew``, or "beyond the loaded calendar"; `nil` when there are dates.
    public var reason: String?
    /// True when a date depends on a calendar year that is provisional or not loaded.
    public var provisional: Bool
}

/// The latest stock record of an application and whether the licence is likely to come too late.
///
/// At risk when the p90 forecast, or the deadline when there is no forecast, falls after the day
/// the stock runs out; never for a decided application.
public struct SupplyRisk: Sendable, Equatable {
    /// The day the material the application covers runs out.
    public var runsOut: CivilDate
    /// What that material feeds.
    public var feeds: String
    /// The day the stock record was made.
    public var recordedOn: CivilDate
    /// Calendar days from ``runsOut`` to the p90 date (or the deadline); `nil` when not at risk.
    public var daysShort: Int?

    /// Whether the material runs out before the licence is likely to come.
    public var atRisk: Bool { daysShort != nil }
}
