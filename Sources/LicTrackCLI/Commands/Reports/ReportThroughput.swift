import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

/// `lictrack report throughput`: per week or month and authority, submitted, decided and the open backlog.
///
/// One call of `report_throughput()` (migration 0010): the periods (ISO weeks or calendar months,
/// whole, intersecting `--from`...`--to`), their labels and every count are SQL's. The HTML chart
/// draws the backlog at each period's end, one line per authority.
struct ReportThroughput: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "throughput",
        abstract: "Submitted, decided and open backlog per week or month and authority.",
        discussion: """
            Counts per period that intersects --from...--to (whole ISO weeks, Monday to Sunday, \
            labelled like 2025-W14, or whole calendar months, labelled like 2025-04) and per \
            authority: the submissions (resubmissions included) and decisions dated in it, and the \
            applications open at the end of its last day. See Docs/reports.md.
            """
    )

    @OptionGroup var report: ReportOptions
    @OptionGroup var period: ReportPeriodOptions
    @OptionGroup var interval: ReportIntervalOption
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        try report.run(connection, period: period) { run in
            guard let period = run.period else { preconditionFailure("report throughput always has a period") }
            let rows = try FigureReportStore(run.database).throughput(
                from: period.from, to: period.to, by: Self.interval(interval.by), filter: run.filter)
            let header = run.header(
                name: "throughput", title: "Throughput per \(interval.by.rawValue)",
                parameters: [ReportParameter("Periods", Self.periodsText(interval.by))])
            try run.write(
                ReportDocument(header, sections: [Self.section(rows, interval: interval.by)]),
                json: Self.json(rows, period: period, interval: interval.by))
        }
    }

    /// The store's interval for the `--by` value.
    static func interval(_ interval: ReportInterval) -> ThroughputInterval {
        switch interval {
        case .week: return .week
        case .month: return .month
        }
    }

    static func periodsText(_ interval: ReportInterval) -> String {
        switch interval {
        case .week: return "ISO weeks, Monday to Sunday, whole weeks that intersect the period"
        case .month: return "calendar months, whole months that intersect the period"
        }
    }

    /// The one table: a row per period and authority, with the backlog chart.
    static func section(_ rows: [ThroughputPeriod], interval: ReportInterval) -> ReportSection {
        ReportSection(
            "Throughput per \(interval.rawValue) and authority",
            columns: [
                ReportColumn("period", interval == .week ? "ISO week" : "Month"),
                ReportColumn("start", "Start", kind: .date), ReportColumn("end", "End", kind: .date),
                ReportColumn("authority", "Authority"), ReportColumn("submitted", "Submitted", kind: .integer),
                ReportColumn("decided", "Decided", kind: .integer),
                ReportColumn("open_at_end", "Open at end", kind: .integer),
            ],
            rows: rows.map { row in
                [
                    .text(row.period), .date(row.start), .date(row.end), .text(row.authority),
                    .integer(row.submitted), .integer(row.decided), .integer(row.openAtEnd),
                ]
            },
            chart: backlogChart(rows, interval: interval),
            note: "Submissions (resubmissions included) and decisions dated in each period; the backlog is the "
                + "applications open at the end of its last day.",
            emptyText: "No applications in scope.")
    }

    /// The open backlog at each period's end, one line per authority, periods in order.
    static func backlogChart(_ rows: [ThroughputPeriod], interval: ReportInterval) -> ReportChart {
        var authorities: [String] = []
        var points: [String: [ReportChartPoint]] = [:]
        var categories: [String] = []
        for row in rows {
            if points[row.authority] == nil { authorities.append(row.authority) }
            points[row.authority, default: []].append(ReportChartPoint(row.period, Double(row.openAtEnd)))
            if categories.last != row.period { categories.append(row.period) }
        }
        return ReportChart(
            .line, title: "Open backlog per authority",
            xLabel: interval == .week ? "ISO week (backlog at its end)" : "Month (backlog at its end)",
            yLabel: "Open applications",
            series: authorities.map { ReportChartSeries($0, points: points[$0]!) }, categories: categories)
    }

    /// The report's own JSON keys: the period asked for, the interval, then a row per period and authority.
    static func json(
        _ rows: [ThroughputPeriod], period: ReportPeriod, interval: ReportInterval
    ) -> [(String, JSONValue)] {
        [
            ("period", AuthorityReportLayout.json(period)),
            ("by", .string(interval.rawValue)),
            (
                "periods",
                .array(
                    rows.map { row in
                        .object([
                            ("period", .string(row.period)), ("start", JSONValue(row.start)),
                            ("end", JSONValue(row.end)), ("authority", .string(row.authority)),
                            ("submitted", JSONValue(row.submitted)), ("decided", JSONValue(row.decided)),
                            ("open_at_end", JSONValue(row.openAtEnd)),
                        ])
                    })
            ),
        ]
    }
}
