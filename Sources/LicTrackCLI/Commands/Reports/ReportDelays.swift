import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

/// `lictrack report delays`: every open application, most urgent first, with the supply risks first.
///
/// The rows stream from `report_delays()` into the renderer one at a time, so memory stays flat
/// however many applications are open (the table format alone waits for a section's last row).
/// The table, Markdown and HTML formats first read the "Supply risk" extract, which the database
/// computes for the applications with a stock record alone, then the full list, in one read-only
/// snapshot so that both and the chart agree.
struct ReportDelays: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delays",
        abstract: "Every open application, most urgent first: days in status, overdue, forecast and supply risk.",
        discussion: """
            Order: breached by days overdue (largest first), then the rest by days remaining (smallest \
            first), then by days in status. A "Supply risk" section comes first; the summary counts open \
            applications per authority and clock state. --format html adds the open backlog over the \
            last 26 weeks per authority. See Docs/reports.md#delays.
            """
    )

    /// How many weeks the HTML chart covers.
    static let chartWeeks = 26

    @OptionGroup var report: ReportOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        try report.run(connection) { run in
            let header = run.header(
                name: "delays", title: "Delays",
                notes: [
                    "Most urgent first: breached clocks by days overdue (largest first), then the rest by days "
                        + "remaining (smallest first), then by days in status (longest first). Overdue and remaining "
                        + "are in each clock's unit.",
                    "Forecasts are the p50 and p90 of the clock's elapsed at decision of the authority's decisions "
                        + "in the last 365 days that took longer than this application so far. "
                        + ReportNotes.nearestRankPercentiles,
                ])
            try LicTrackError.translating {
                try run.database.transaction(isolation: .repeatableRead, readOnly: true, maxAttempts: 1) {
                    if run.format == .json {
                        try Self.writeJSON(run, header)
                    } else {
                        try Self.render(run, header)
                    }
                }
            }
        }
    }

    /// JSON: `applications` as they stream, then `summary`.
    static func writeJSON(_ run: ReportRun, _ header: ReportHeader) throws {
        var writer = try run.jsonWriter(header)
        var summary = DelaysSummary()
        try writer.beginArray("applications")
        try ReportStore(run.database).delays(asOf: run.asOf, filter: run.filter) { row in
            summary.add(row)
            try writer.element(DelaysLayout.json(row))
        }
        try writer.endArray()
        try writer.member("summary", summary.json)
        try writer.finish()
    }

    /// Every other format: supply risk, then all open applications (with the chart), then the summary.
    /// CSV writes only the list, so it reads the rows once.
    static func render(_ run: ReportRun, _ header: ReportHeader) throws {
        let store = ReportStore(run.database)
        var renderer = run.renderer()
        try renderer.begin(header)
        let isCSV = run.format == .csv
        if !isCSV {
            try renderer.beginSection(
                ReportSectionHeader(
                    "Supply risk", role: .supporting, columns: DelaysLayout.supplyColumns,
                    note: "Open applications whose p90 forecast, or deadline when there is no forecast date, "
                        + "falls after the day their stock runs out; days short = that date - runs out.",
                    emptyText: "No open application is likely to be decided after its stock runs out."))
            try store.delays(asOf: run.asOf, filter: run.filter, atSupplyRisk: true) { row in
                try renderer.row(DelaysLayout.cells(row, DelaysLayout.supplyColumns))
            }
            try renderer.endSection()
        }
        let columns = isCSV ? DelaysLayout.csvColumns : DelaysLayout.columns
        let chart = run.format == .html || run.format == .md ? try backlogChart(run) : nil
        try renderer.beginSection(
            ReportSectionHeader(
                "Open applications", role: .main, columns: columns, chart: chart,
                note: "Every application open on \(run.asOf) (not approved, denied or withdrawn), most urgent first.",
                emptyText: "No open applications."))
        var summary = DelaysSummary()
        try store.delays(asOf: run.asOf, filter: run.filter) { row in
            summary.add(row)
            try renderer.row(DelaysLayout.cells(row, columns, forPeople: !isCSV))
        }
        try renderer.endSection()
        if !isCSV {
            try renderer.beginSection(
                ReportSectionHeader(
                    "Summary", role: .supporting, columns: DelaysSummary.columns,
                    note: "Open applications per authority and clock state, and how many are at supply risk.",
                    emptyText: "No open applications."))
            for row in summary.rows { try renderer.row(row) }
            try renderer.endSection()
        }
        try renderer.finish()
    }

    /// The open backlog per authority at the end of each of the last 26 weeks (the last ends on the report day).
    static func backlogChart(_ run: ReportRun) throws -> ReportChart {
        let points = try ReportStore(run.database).weeklyBacklog(
            asOf: run.asOf, weeks: chartWeeks, filter: run.filter)
        var weeks: [String] = []
        var series: [(String, [ReportChartPoint])] = []
        for point in points {
            let label = point.weekEnd.description
            if weeks.last != label { weeks.append(label) }
            let value = ReportChartPoint(label, Double(point.open))
            if let index = series.firstIndex(where: { $0.0 == point.authority }) {
                series[index].1.append(value)
            } else {
                series.append((point.authority, [value]))
            }
        }
        return ReportChart(
            .line, title: "Open backlog per authority, last \(chartWeeks) weeks", xLabel: "Week ending",
            yLabel: "Open applications",
            series: series.sorted { $0.0 < $1.0 }.map { ReportChartSeries($0, points: $1) },
            categories: weeks)
    }
}
