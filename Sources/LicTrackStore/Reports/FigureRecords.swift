import LicTrackCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// The rows of `report aging`, `report authority` and `report throughput`, as FigureReportStore
// reads them from report_aging(), report_authority(), report_processing_times() and
// report_throughput() (migration 0010). Every figure is computed in SQL; these only carry them.

/// One bucket of `report aging`: the open applications of an authority whose clock has used a
/// given share of its statutory target.
public struct AgingBucket: Sendable, Equatable {
    /// A share of the target (elapsed / (target + extensions) as of the day); an edge belongs to the lower bucket.
    ///
    /// The cases mirror `report_aging_buckets()`, in its order; a test proves they agree.
    public enum Bucket: String, Sendable, CaseIterable {
        /// Half the target or less.
        case upToHalf = "0-50%"
        /// More than half, at most 80%.
        case upToEightyPercent = "50-80%"
        /// More than 80%, at most all of it: the deadline day is here.
        case upToDeadline = "80-100%"
        /// More than the target: breached.
        case over
        /// No clock to measure: not started, no deadline, or no policy.
        case noClock = "no_clock"
    }

    /// The authority's code.
    public var authority: String
    /// Which share of the target.
    public var bucket: Bucket
    /// How many open applications are in the bucket.
    public var count: Int
    /// Their ids, ascending.
    public var applicationIDs: [Int64]

    public init(authority: String, bucket: Bucket, count: Int, applicationIDs: [Int64]) {
        self.authority = authority
        self.bucket = bucket
        self.count = count
        self.applicationIDs = applicationIDs
    }
}

/// How `report authority --by` splits an authority's figures.
///
/// The raw values are the ones `report_authority()` accepts; a test proves they agree.
public enum AuthorityGrouping: String, Sendable, CaseIterable {
    /// By control-code family: the first 3 characters of the first item's control code.
    case controlCode = "control-code"
    /// By destination country.
    case destination
}

/// The figures of one period of `report authority` for an authority (or one of its groups).
///
/// Rates are exact decimals as SQL rounded them: shares to 4 places, RFIs per application to 2.
/// Percentiles are nearest-rank: each is a value that was observed.
public struct PeriodFigures: Sendable, Equatable {
    /// The period's first day.
    public var from: CivilDate
    /// The period's last day (inclusive).
    public var to: CivilDate
    /// Decisions dated in the period: approved + denied + returned + withdrawn.
    public var decided: Int
    /// Licences granted.
    public var approved: Int
    /// Licences refused.
    public var denied: Int
    /// Returned without action.
    public var returned: Int
    /// Withdrawn by the applicant.
    public var withdrawn: Int
    /// approved / decided; nil when nothing was decided.
    public var approvalRate: Decimal?
    /// The unit of the clock figures (`working_days`, `calendar_days`), `mixed` when units differ, nil without clocks.
    public var clockUnit: String?
    /// Median of the clocks' elapsed units at the decision.
    public var clockDaysP50: Int?
    /// 90th percentile of the clocks' elapsed units at the decision.
    public var clockDaysP90: Int?
    /// Median of the calendar days from submission to decision.
    public var calendarDaysP50: Int?
    /// 90th percentile of the calendar days from submission to decision.
    public var calendarDaysP90: Int?
    /// The share of decided clocks that were decided by their deadline; nil when none had started.
    public var withinTarget: Decimal?
    /// Requests for information per decided application; nil when nothing was decided.
    public var rfisPerApplication: Decimal?
    /// Applications still open at the end of the period's last day.
    public var openAtEnd: Int

    public init(
        from: CivilDate, to: CivilDate, decided: Int = 0, approved: Int = 0, denied: Int = 0, returned: Int = 0,
        withdrawn: Int = 0, approvalRate: Decimal? = nil, clockUnit: String? = nil, clockDaysP50: Int? = nil,
        clockDaysP90: Int? = nil, calendarDaysP50: Int? = nil, calendarDaysP90: Int? = nil,
        withinTarget: Decimal? = nil, rfisPerApplication: Decimal? = nil, openAtEnd: Int = 0
    ) {
        self.from = from
        self.to = to
        self.decided = decided
        self.approved = approved
        self.denied = denied
        self.returned = returned
        self.withdrawn = withdrawn
        self.approvalRate = approvalRate
        self.clockUnit = clockUnit
        self.clockDaysP50 = clockDaysP50
        self.clockDaysP90 = clockDaysP90
        self.calendarDaysP50 = calendarDaysP50
        self.calendarDaysP90 = calendarDaysP90
        self.withinTarget = withinTarget
        self.rfisPerApplication = rfisPerApplication
        self.openAtEnd = openAtEnd
    }
}

/// One row of `report authority`: an authority (or a group of it), this period and the one before.
public struct AuthorityFigures: Sendable, Equatable {
    /// The authority's code.
    public var authority: String
    /// The control-code family or destination with `--by`; nil without it (or for applications without a control code).
    public var group: String?
    /// The figures for `--from`...`--to`.
    public var current: PeriodFigures
    /// The same figures for the period of equal length just before, so a trend can be read.
    public var previous: PeriodFigures

    public init(authority: String, group: String?, current: PeriodFigures, previous: PeriodFigures) {
        self.authority = authority
        self.group = group
        self.current = current
        self.previous = previous
    }
}

/// One point of the processing-time distribution (the `report authority` chart): how many
/// decisions of an authority came when the clock showed `clockDays` elapsed units.
public struct ProcessingTime: Sendable, Equatable {
    /// The authority's code.
    public var authority: String
    /// The clock's unit (`working_days` or `calendar_days`).
    public var clockUnit: String
    /// Elapsed units at the decision.
    public var clockDays: Int
    /// Decisions at that count.
    public var decided: Int

    public init(authority: String, clockUnit: String, clockDays: Int, decided: Int) {
        self.authority = authority
        self.clockUnit = clockUnit
        self.clockDays = clockDays
        self.decided = decided
    }
}

/// The periods `report throughput --by` counts in.
///
/// The raw values are the ones `report_throughput()` accepts; a test proves they agree.
public enum ThroughputInterval: String, Sendable, CaseIterable {
    /// ISO weeks, Monday to Sunday, labelled like 2025-W14.
    case week
    /// Calendar months, labelled like 2025-04.
    case month
}

/// One row of `report throughput`: an authority's flow in one week or month.
public struct ThroughputPeriod: Sendable, Equatable {
    /// The period's label: `2025-W14` or `2025-04`.
    public var period: String
    /// Its first day (a Monday, or the 1st).
    public var start: CivilDate
    /// Its last day (inclusive).
    public var end: CivilDate
    /// The authority's code.
    public var authority: String
    /// Submissions dated in the period, resubmissions included.
    public var submitted: Int
    /// Decisions dated in the period (approve, deny, return, withdraw).
    public var decided: Int
    /// Applications open at the end of the period's last day: the backlog.
    public var openAtEnd: Int

    public init(
        period: String, start: CivilDate, end: CivilDate, authority: String, submitted: Int, decided: Int,
        openAtEnd: Int
    ) {
        self.period = period
        self.start = start
        self.end = end
        self.authority = authority
        self.submitted = submitted
        self.decided = decided
        self.openAtEnd = openAtEnd
    }
}
