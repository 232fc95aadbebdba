import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

/// `lictrack report evidence ID...`: a dated account of each application's delay, ready to send.
struct ReportEvidenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "Evidence of delay for an escalation (embassy, chamber of commerce, trade body).",
        discussion: """
            For each application (an id or an authority reference, as app show takes them): the dated \
            timeline in plain language, the legal basis of the time limit, the clock at each event, every \
            request for information and the days taken to answer it, the days beyond the time limit, and \
            the business impact of a recorded stock date. Formats md (default), html and json. An unknown \
            application exits 66. See Docs/reports.md.
            """)

    /// The formats this report takes.
    static let formats: [ReportFormat] = [.md, .html, .json]

    @Argument(help: ArgumentHelp("Application ids or authority references.", valueName: "app"))
    var applications: [String] = []

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "Tell the story up to this day: YYYY-MM-DD, today, yesterday, N-days-ago or a weekday (default: today).",
            valueName: "date"))
    var asOf: String?

    @Option(help: "Output format: md (default), html or json.")
    var format: ReportFormat = .md

    @Option(
        help: ArgumentHelp(
            "Write to this file (- for standard output); it appears complete or not at all.", valueName: "file"))
    var output: String?

    @OptionGroup var connection: ConnectionOptions

    /// The shared report options (day, format, output) these give; filters do not apply.
    func reportOptions() throws -> ReportOptions {
        try ReportOptions.parse(
            ["--format", format.rawValue] + (asOf.map { ["--as-of", $0] } ?? [])
                + (output.map { ["--output", $0] } ?? []))
    }

    func validate() throws {
        guard !applications.isEmpty else {
            throw ValidationError("expected at least one application id or authority reference")
        }
        guard Self.formats.contains(format) else {
            throw ValidationError(
                "--format: report evidence takes md, html or json (got \(LicTrackError.quoted(format.rawValue)))")
        }
        _ = try reportOptions()
    }

    func run() throws {
        try reportOptions().run(connection) { run in
            let store = ApplicationStore(run.database)
            var ids: [Int64] = []
            for key in applications {
                let id = try store.resolve(key)
                if !ids.contains(id) { ids.append(id) }
            }
            let evidence = try ReportStore(run.database).evidence(of: ids, asOf: run.asOf)
            let document = EvidenceDocument(applications: evidence, asOf: run.asOf)
            switch format {
            case .html:
                try run.destination.write(document.html())
            case .json:
                var writer = try run.jsonWriter(
                    run.header(name: "evidence", title: EvidenceDocument.title))
                try writer.member("prepared_by", .string(document.preparedBy))
                try writer.member("applications", document.jsonApplications())
                try writer.finish()
            default:
                try run.destination.write(document.markdown())
            }
        }
    }
}
