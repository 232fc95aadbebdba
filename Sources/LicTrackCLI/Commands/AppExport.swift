import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

/// `lictrack app export`.
struct AppExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export applications, with their items and events, as CSV or JSON lines for 'app import'.",
        discussion: """
            Takes the filters of 'app list'. CSV: a header row, then per application a row with its fields and \
            first item, a row per further item and a row per event after its creation. JSON lines: one \
            application per line, in the shape of 'app create --from-file' plus "events". What it writes, \
            'app import' reads back into the same applications, items and events.
            """
    )

    @Option(
        parsing: .singleValue,
        help: ArgumentHelp("Only these statuses (repeat, or separate with commas).", valueName: "status"))
    var status: [String] = []
    @Flag(help: "Only applications that are not approved, denied or withdrawn.") var open = false
    @Option(help: "Only this authority.") var authority: String?
    @Option(help: "Only this destination country.") var destination: String?
    @Option(help: "Only this internal owner.") var owner: String?
    @Option(
        help:
            "Only applications whose clock is in this state: not_started, on_track, due_soon, breached, paused, met, missed."
    )
    var sla: SLAClock.State?
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "Judge clock states (--sla) on this day (default: today in each authority's zone).", valueName: "date"))
    var asOf: CivilDate?
    @Option(help: "csv (default) or jsonl.") var format: ImportFormat = .csv
    @Option(
        help: ArgumentHelp("Write to this file (complete or not at all) instead of standard output.", valueName: "file")
    )
    var output: String?
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        _ = try statuses()
    }

    func statuses() throws -> [String] {
        let names = status.flatMap { $0.split(separator: ",") }.map { $0.trimmed }
        for name in names where ApplicationStatus(rawValue: name) == nil {
            let known = ApplicationStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown status '\(name)' (one of: \(known))")
        }
        return names
    }

    func run() throws {
        let destination = try output.flatMap { $0 == "-" ? nil : try ReportDestination.file($0) } ?? .standardOutput()
        defer { destination.discard() }
        var filter = ApplicationFilter()
        filter.statuses = try statuses()
        filter.authority = authority?.uppercased()
        filter.destination = self.destination?.uppercased()
        filter.owner = owner
        filter.openOnly = open
        filter.slaState = sla?.rawValue
        filter.asOf = asOf
        let database = try connection.connect()
        defer { database.close() }
        try ReportFilter(
            authorities: filter.authority.map { [$0] } ?? [], destinations: filter.destination.map { [$0] } ?? []
        ).validate(in: database)
        let ids = try ApplicationStore(database).list(filter).map(\.id)
        let store = ExportStore(database)
        let columns = try store.columns()
        switch format {
        case .csv:
            try destination.write(CSVWriter.record(columns))
            try store.rows(of: ids) { row in try destination.write(CSVWriter.record(row.map { $0 ?? "" })) }
        case .jsonl:
            var lines = ExportLines(columns: columns)
            try store.rows(of: ids) { row in
                if let line = lines.add(row) { try destination.write(line + "\n") }
            }
            if let line = lines.finish() { try destination.write(line + "\n") }
        }
        try destination.commit()
    }
}
