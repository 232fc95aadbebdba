import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ImportFormat: ExpressibleByArgument {}

/// `lictrack app import`.
struct AppImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import applications, with their items and events, from CSV or JSON lines: all or nothing.",
        discussion: """
            CSV has a header row naming its columns (Docs/cli.md lists them; 'lictrack app export --format csv' \
            writes them all). The first row of an application carries its fields; rows with the same \
            'application' key add an item (item_*) or an event (event, event_on, ...), in the order they \
            happened. JSON lines hold one application per line, in the shape of 'app create --from-file' plus \
            "events": [{"event", "on", ...}]. PostgreSQL parses and checks the file; events go through the same \
            triggers as the event verbs. Nothing is written if any row is bad, unless --skip-invalid. Every bad \
            row is reported as line, column, value and reason; the exit status is then 65.
            """
    )

    @Argument(help: ArgumentHelp("The file to import; - reads standard input.", valueName: "file"))
    var file: String
    @Option(help: "The file's format: csv or jsonl (default: jsonl for .jsonl, .ndjson and .json files, else csv).")
    var format: ImportFormat?
    @Option(help: ArgumentHelp("The CSV field delimiter: ',' (default), ';', '\\t' (tab) or '|'.", valueName: "char"))
    var delimiter: String = ","
    @Flag(name: .customLong("skip-invalid"), help: "Import the good applications; leave out those with a bad row.")
    var skipInvalid = false
    @Option(help: ArgumentHelp("Write the bad rows to this CSV file (line,column,value,reason).", valueName: "file"))
    var report: String?
    @Flag(name: .customLong("dry-run"), help: "Check the file only; write nothing.") var dryRun = false
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions

    /// The bad rows shown on standard error at most; --report has them all.
    static let shownProblems = 50

    func validate() throws {
        guard delimiterCharacter != nil else {
            throw ValidationError(
                "--delimiter: \(LicTrackError.quoted(delimiter)) is not a delimiter (expected ',', ';', '\\t' or '|')")
        }
    }

    var delimiterCharacter: Character? {
        let value: Character? =
            delimiter == "\\t" || delimiter == "tab" ? "\t" : delimiter.count == 1 ? delimiter.first : nil
        return value.flatMap { ImportStore.delimiters[$0] != nil ? $0 : nil }
    }

    func run() throws {
        let reportFile = try report.map { path in
            try Self.renamingOption { try ReportDestination.file(path) }
        }
        defer { reportFile?.discard() }
        let input = try ImportInput(path: file)
        defer { input.close() }
        let database = try connection.connect()
        defer { database.close() }
        let options = ImportStore.Options(
            format: format ?? (file == "-" ? .csv : ImportFormat.guess(fromPath: file)),
            delimiter: delimiterCharacter ?? ",", skipInvalid: skipInvalid, dryRun: dryRun, actor: actor.resolved)
        let bar = ProgressBar(label: "KiB")
        let total = input.size.map { max(1, $0 / 1024) }
        let summary = try ImportStore(database).run(
            name: file, options: options, read: { try input.read() },
            progress: { sent in if let total { bar.update(min(sent / 1024, total), of: total) } })
        bar.finish()

        if let reportFile {
            try Self.renamingOption {
                try reportFile.write(CSVWriter.record(["line", "column", "value", "reason"]))
                for problem in summary.problems {
                    try reportFile.write(
                        CSVWriter.record([
                            String(problem.line), problem.column, Self.cut(problem.value ?? ""), problem.reason,
                        ]))
                }
                try reportFile.commit()
            }
        }
        // A failed import prints nothing on standard output; one that imported the good rows says so.
        if summary.problems.isEmpty || (skipInvalid && !dryRun) {
            print(Self.summaryLine(summary, file: file, options: options))
        }
        guard summary.problems.isEmpty else {
            if report == nil || !skipInvalid {
                for problem in summary.problems.prefix(Self.shownProblems) {
                    let column = problem.column.isEmpty ? "" : problem.column + " "
                    StandardError.writeLine(
                        "\(file):\(problem.line): \(column)\(LicTrackError.quoted(problem.value ?? "")): \(problem.reason)"
                    )
                }
            }
            let more = summary.problems.count - Self.shownProblems
            throw LicTrackError(
                .invalidInput,
                "\(summary.problems.count) bad \(summary.problems.count == 1 ? "row" : "rows") in "
                    + "\(summary.invalidApplications) \(summary.invalidApplications == 1 ? "application" : "applications")"
                    + (skipInvalid && !dryRun ? "; the others were imported" : "; nothing was imported"),
                hint: (more > 0 && report == nil ? "\(more) more not shown: pass --report FILE to list them all; " : "")
                    + (skipInvalid
                        ? "fix them and import those applications again" : "fix them, or pass --skip-invalid"))
        }
    }

    /// The line printed on standard output.
    static func summaryLine(_ summary: ImportSummary, file: String, options: ImportStore.Options) -> String {
        let counts =
            "\(summary.applications) \(summary.applications == 1 ? "application" : "applications") "
            + "(\(summary.items) \(summary.items == 1 ? "item" : "items"), "
            + "\(summary.events) \(summary.events == 1 ? "event" : "events"))"
        if options.dryRun {
            return "Checked \(file): \(counts) would be imported; nothing was written (--dry-run)."
        }
        return "Imported \(counts) from \(file)."
    }

    /// A value as the report holds it: whole, up to 1,000 characters.
    static func cut(_ value: String) -> String {
        value.count > 1000 ? String(value.prefix(1000)) + "…" : value
    }

    /// Runs `body`, naming --report rather than --output in a file error.
    static func renamingOption<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as LicTrackError where error.message.hasPrefix("--output") {
            error.message = "--report" + error.message.dropFirst("--output".count)
            throw error
        }
    }
}
