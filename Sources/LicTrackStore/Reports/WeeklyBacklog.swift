import LicTrackCore
import Postgres

/// The open backlog of one authority at the end of one week: a point of `report delays`' chart.
///
/// Counted by `report_open_backlog_weekly()` (migration 0013) as `report throughput` counts its
/// open backlog: cycles submitted on or before ``weekEnd`` and not decided by the end of that day.
public struct WeeklyBacklog: Sendable, Equatable {
    /// The week's last day: the report day, or a multiple of 7 days before it.
    public var weekEnd: CivilDate
    public var authority: String
    /// Applications with the authority (submitted, not yet decided) at the end of ``weekEnd``.
    public var open: Int

    public init(weekEnd: CivilDate, authority: String, open: Int) {
        self.weekEnd = weekEnd
        self.authority = authority
        self.open = open
    }
}

extension ReportStore {
    /// The open backlog per authority at the end of each of the `weeks` weeks that end on `asOf`.
    ///
    /// Oldest week first, authorities in code order within a week; one row per week for every
    /// authority with applications in scope (zeros included), none when nothing is in scope.
    public func weeklyBacklog(asOf: CivilDate, weeks: Int = 26, filter: ReportFilter) throws -> [WeeklyBacklog] {
        try LicTrackError.translating {
            try filter.validate(on: connection)
            return try connection.query(
                """
                select week_end, authority, open
                from report_open_backlog_weekly($1::date, $2::integer, $3::text[], $4::text[], $5::text[], $6::text[])
                """, [asOf, weeks] + filter.parameters
            ).map { row in
                WeeklyBacklog(
                    weekEnd: try row.decode(CivilDate.self, "week_end"),
                    authority: try row.decode(String.self, "authority"), open: try row.decode(Int.self, "open"))
            }
        }
    }
}
