import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

/// `lictrack report aging`: open applications per authority in buckets of the statutory target used.
///
/// The buckets and their edges are SQL's (`report_aging()`, migration 0010): `0-50%`, `50-80%`,
/// `80-100%`, `over` and `no_clock`, an edge belonging to the lower bucket. The rows are few
/// (authorities × 5), so the report is built whole.
struct ReportAging: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aging",
        abstract: "Open applications per authority in buckets of the statutory target used.",
        discussion: """
            Buckets: 0-50%, 50-80%, 80-100%, over (breached) and no_clock (no running clock); exactly 50% is \
            0-50%. The share is elapsed / (target + extensions) as of --as-of. See Docs/reports.md#aging.
            """
    )

    @OptionGroup var report: ReportOptions
    @OptionGroup var connection: ConnectionOptions

    static let columns: [ReportColumn] = [
        ReportColumn("authority", "Authority"),
        ReportColumn("bucket", "Bucket"),
        ReportColumn("count", "Count", kind: .integer),
        ReportColumn("application_ids", "Applications"),
    ]

    func run() throws {
        try report.run(connection) { run in
            let buckets = try FigureReportStore(run.database).aging(asOf: run.asOf, filter: run.filter)
            let header = run.header(
                name: "aging", title: "Aging",
                notes: [
                    "Share of the target used: elapsed / (target + extensions) in the clock's unit as of the report "
                        + "day. A share on an edge belongs to the lower bucket: exactly 50% is 0-50%. no_clock: "
                        + "not started, or no policy."
                ])
            let section = ReportSection(
                "Aging buckets", role: .main, columns: Self.columns, rows: buckets.map(Self.cells),
                chart: Self.chart(buckets),
                note: "Open applications on \(run.asOf) per authority and share of the statutory target used.",
                emptyText: "No open applications.")
            try run.write(
                ReportDocument(header, sections: [section]), json: [("buckets", .array(buckets.map(Self.json)))])
        }
    }

    static func cells(_ bucket: AgingBucket) -> [ReportCell] {
        [
            .text(bucket.authority), .text(bucket.bucket.rawValue, tone: tone(bucket.bucket)),
            .integer(bucket.count, tone: bucket.count > 0 ? tone(bucket.bucket) : .normal),
            .text(bucket.applicationIDs.isEmpty ? nil : bucket.applicationIDs.map(String.init).joined(separator: " ")),
        ]
    }

    /// `{"authority", "bucket", "count", "application_ids"}`.
    static func json(_ bucket: AgingBucket) -> JSONValue {
        .object([
            ("authority", .string(bucket.authority)),
            ("bucket", .string(bucket.bucket.rawValue)),
            ("count", .int(Int64(bucket.count))),
            ("application_ids", .array(bucket.applicationIDs.map { .int($0) })),
        ])
    }

    static func tone(_ bucket: AgingBucket.Bucket) -> ReportCell.Tone {
        switch bucket {
        case .over: return .critical
        case .upToDeadline: return .warning
        case .upToHalf, .upToEightyPercent, .noClock: return .normal
        }
    }

    /// Stacked bars: one bar per authority, one segment per bucket.
    static func chart(_ buckets: [AgingBucket]) -> ReportChart {
        var authorities: [String] = []
        for bucket in buckets where authorities.last != bucket.authority { authorities.append(bucket.authority) }
        return ReportChart(
            .stackedBars, title: "Open applications per authority by share of the target used",
            xLabel: "Authority", yLabel: "Open applications",
            series: AgingBucket.Bucket.allCases.map { kind in
                ReportChartSeries(
                    kind.rawValue,
                    points: buckets.filter { $0.bucket == kind }.map {
                        ReportChartPoint($0.authority, Double($0.count))
                    })
            }, categories: authorities)
    }
}
