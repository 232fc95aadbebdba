import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

/// `lictrack report authority`: per authority, the decisions of a period and the period before.
///
/// The figures and the processing-time distribution are read in one read-only snapshot
/// (`report_authority()` and `report_processing_times()`, migration 0010); every count, rate and
/// percentile is SQL's. ``AuthorityReportLayout`` only lays them out.
struct ReportAuthority: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authority",
        abstract: "Decisions, processing times and backlog per authority, with the period before for the trend.",
        discussion: """
            Over the decisions dated from --from to --to (both included): decided, approved, denied, \
            returned, withdrawn, approval rate, clock and calendar days to decision (p50 and p90), the \
            share decided within the target, requests for information per application and the \
            applications open at the end, each beside the same figure for the period of equal length \
            just before. Percentiles are nearest-rank (percentile_disc): every figure is a value that \
            was observed. See Docs/reports.md.
            """
    )

    @OptionGroup var report: ReportOptions
    @OptionGroup var period: ReportPeriodOptions
    @OptionGroup var breakdown: ReportBreakdownOption
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        try report.run(connection, period: period) { run in
            guard let period = run.period else { preconditionFailure("report authority always has a period") }
            let grouping = breakdown.by.map(Self.grouping)
            let store = FigureReportStore(run.database)
            let (figures, times) = try LicTrackError.translating {
                try run.database.transaction(isolation: .repeatableRead, readOnly: true) {
                    (
                        try store.authority(from: period.from, to: period.to, by: grouping, filter: run.filter),
                        try store.processingTimes(from: period.from, to: period.to, filter: run.filter)
                    )
                }
            }
            let layout = AuthorityReportLayout(
                period: period, breakdown: breakdown.by, figures: figures, processingTimes: times)
            let header = run.header(
                name: "authority", title: "Decisions per authority", parameters: layout.parameters,
                notes: [ReportNotes.nearestRankPercentiles])
            try run.write(layout.document(header, flat: run.format == .csv), json: layout.json)
        }
    }

    /// The store's grouping for the `--by` value.
    static func grouping(_ breakdown: ReportBreakdown) -> AuthorityGrouping {
        switch breakdown {
        case .controlCode: return .controlCode
        case .destination: return .destination
        }
    }
}
