import LicTrackCore
import Postgres

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads the figures of `report aging`, `report authority` and `report throughput`.
///
/// Each method is one call of its SQL function (migration 0010), with its own parameters followed
/// by the filter's four arrays: every definition, bucket edge, percentile and period boundary is
/// SQL's. The rows are few (authorities × buckets, groups or periods), so they are read at once.
/// An unknown authority or destination in the filter is a usage error, never an empty report.
public struct FigureReportStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// A store on an open database.
    public init(_ database: Database) {
        self.init(connection: database.connection)
    }

    /// Open applications on `asOf` per authority, in buckets of the share of the target used.
    ///
    /// Every bucket of each authority with open applications in scope, in bucket order; none when nothing is open.
    public func aging(asOf: CivilDate, filter: ReportFilter = ReportFilter()) throws -> [AgingBucket] {
        try filter.validate(on: connection)
        return try LicTrackError.translating {
            try connection.query(
                """
                select authority, bucket, count, application_ids
                from report_aging($1::date, $2::text[], $3::text[], $4::text[], $5::text[])
                """, [asOf] + filter.parameters
            ).map { row in
                let label = try row.decode(String.self, "bucket")
                guard let bucket = AgingBucket.Bucket(rawValue: label) else {
                    throw LicTrackError(
                        .internal, "report_aging returned an unknown bucket \(LicTrackError.quoted(label))")
                }
                return AgingBucket(
                    authority: try row.decode(String.self, "authority"), bucket: bucket,
                    count: try row.decode(Int.self, "count"),
                    applicationIDs: try row.decode([Int64].self, "application_ids"))
            }
        }
    }

    /// Per authority (and group with `by`), the decisions dated in `from`...`to` and in the period
    /// of equal length just before.
    ///
    /// One row per authority (and group) with applications in scope, zeros when nothing was decided.
    public func authority(
        from: CivilDate, to: CivilDate, by grouping: AuthorityGrouping? = nil, filter: ReportFilter = ReportFilter()
    ) throws -> [AuthorityFigures] {
        try Self.checkPeriod(from: from, to: to)
        try filter.validate(on: connection)
        let rows = try LicTrackError.translating {
            try connection.query(
                """
                select * from report_authority($1::date, $2::date, $3::text, $4::text[], $5::text[], $6::text[],
                                               $7::text[])
                """, [from, to, grouping?.rawValue] + filter.parameters)
        }
        var result: [AuthorityFigures] = []
        var pending: (authority: String, group: String?, current: PeriodFigures)?
        for row in rows {
            try LicTrackError.translating {
                let period = try row.decode(String.self, "period")
                let figures = try Self.periodFigures(row)
                if period == "current" {
                    pending = (
                        try row.decode(String.self, "authority"), try row.decodeIfPresent(String.self, "group_value"),
                        figures
                    )
                } else if let current = pending {
                    result.append(
                        AuthorityFigures(
                            authority: current.authority, group: current.group, current: current.current,
                            previous: figures))
                    pending = nil
                }
            }
        }
        return result
    }

    /// The processing-time distribution for the `report authority` chart: per authority and clock
    /// unit, the decisions in `from`...`to` at each elapsed count, ascending.
    public func processingTimes(
        from: CivilDate, to: CivilDate, filter: ReportFilter = ReportFilter()
    ) throws -> [ProcessingTime] {
        try Self.checkPeriod(from: from, to: to)
        try filter.validate(on: connection)
        return try LicTrackError.translating {
            try connection.query(
                """
                select * from report_processing_times($1::date, $2::date, $3::text[], $4::text[], $5::text[],
                                                      $6::text[])
                """, [from, to] + filter.parameters
            ).map { row in
                ProcessingTime(
                    authority: try row.decode("authority"), clockUnit: try row.decode("clock_unit"),
                    clockDays: try row.decode("clock_days"), decided: try row.decode("decided"))
            }
        }
    }

    /// Per week or month intersecting `from`...`to` and authority: submitted, decided and the open backlog at its end.
    ///
    /// Periods without activity are there with zeros; ordered by period, then authority.
    public func throughput(
        from: CivilDate, to: CivilDate, by interval: ThroughputInterval = .week, filter: ReportFilter = ReportFilter()
    ) throws -> [ThroughputPeriod] {
        try Self.checkPeriod(from: from, to: to)
        try filter.validate(on: connection)
        return try LicTrackError.translating {
            try connection.query(
                """
                select * from report_throughput($1::date, $2::date, $3::text, $4::text[], $5::text[], $6::text[],
                                                $7::text[])
                """, [from, to, interval.rawValue] + filter.parameters
            ).map { row in
                ThroughputPeriod(
                    period: try row.decode("period"), start: try row.decode("period_start"),
                    end: try row.decode("period_end"), authority: try row.decode("authority"),
                    submitted: try row.decode("submitted"), decided: try row.decode("decided"),
                    openAtEnd: try row.decode("open_at_end"))
            }
        }
    }

    // MARK: Decoding

    /// Refuses a period that ends before it starts, naming the options.
    static func checkPeriod(from: CivilDate, to: CivilDate) throws {
        guard to >= from else {
            throw LicTrackError(
                .usage, "--to: \(LicTrackError.quoted(to.description)) is before --from \(from)",
                hint: "expected a date on or after --from")
        }
    }

    /// The figures of one period from a `report_authority` row.
    static func periodFigures(_ row: PostgresRow) throws -> PeriodFigures {
        PeriodFigures(
            from: try row.decode("period_from"), to: try row.decode("period_to"), decided: try row.decode("decided"),
            approved: try row.decode("approved"), denied: try row.decode("denied"),
            returned: try row.decode("returned"), withdrawn: try row.decode("withdrawn"),
            approvalRate: try row.decodeIfPresent("approval_rate"), clockUnit: try row.decodeIfPresent("clock_unit"),
            clockDaysP50: try row.decodeIfPresent("clock_days_p50"),
            clockDaysP90: try row.decodeIfPresent("clock_days_p90"),
            calendarDaysP50: try row.decodeIfPresent("calendar_days_p50"),
            calendarDaysP90: try row.decodeIfPresent("calendar_days_p90"),
            withinTarget: try row.decodeIfPresent("within_target"),
            rfisPerApplication: try row.decodeIfPresent("rfis_per_application"),
            openAtEnd: try row.decode("open_at_end"))
    }
}
