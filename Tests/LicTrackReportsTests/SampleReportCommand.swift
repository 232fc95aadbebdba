import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

@testable import LicTrackCLI

/// A report command that exists only in the tests: the shared options, and the sample document
/// with the header the options give. It shows the whole wiring a real report needs.
struct SampleReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sample", abstract: "A sample report.")

    @OptionGroup var report: ReportOptions
    @OptionGroup var period: ReportPeriodOptions
    @OptionGroup var connection: ConnectionOptions

    /// Thrown by the body when `failAfterWriting` is set, after part of the report was written.
    struct Interrupted: Error {}

    /// What the last run saw (set by `run()`; the tests run one command at a time per instance).
    nonisolated(unsafe) static var seen: ReportRun?

    func run() throws {
        try execute(failAfterWriting: false)
    }

    func execute(failAfterWriting: Bool) throws {
        try report.run(connection, period: period) { run in
            Self.seen = run
            let header = run.header(
                name: SampleDocuments.header.name, title: SampleDocuments.header.title,
                notes: SampleDocuments.header.notes)
            var document = SampleDocuments.full
            document.header = header
            if failAfterWriting {
                var renderer = run.renderer()
                try renderer.begin(header)
                throw Interrupted()
            }
            try run.write(
                document, json: [("rows", .array(SampleDocuments.rows.map { row in .string(row[2].displayText) }))])
        }
    }
}
