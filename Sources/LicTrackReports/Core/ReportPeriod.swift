import LicTrackCore

/// The days a period report covers (`--from`, `--to`), both included.
public struct ReportPeriod: Sendable, Equatable {
    public var from: CivilDate
    public var to: CivilDate

    /// A period; `from` must not be after `to` (the CLI checks this and reports both dates).
    public init(from: CivilDate, to: CivilDate) {
        precondition(from <= to, "a period from \(from) to \(to) ends before it starts")
        self.from = from
        self.to = to
    }

    /// How many days it covers, both ends included.
    public var days: Int { to.daysSinceEpoch - from.daysSinceEpoch + 1 }

    /// The period as a header line: `Period: 2025-01-01 to 2025-12-31 (365 days)`.
    public var parameter: ReportParameter {
        ReportParameter("Period", "\(from) to \(to) (\(days) day\(days == 1 ? "" : "s"))")
    }
}
