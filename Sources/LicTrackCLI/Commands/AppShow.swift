import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

/// `lictrack app show`.
struct AppShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an application: details, items, full timeline and the events allowed next.",
        discussion: "--format csv prints the timeline, one event per row."
    )

    @Argument(help: ArgumentHelp("Application id or authority reference.", valueName: "app")) var app: String
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "Show the clock as it stands on this day, counting only events up to it (default: today).",
            valueName: "date"))
    var asOf: CivilDate?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let database = try connection.connect()
        defer { database.close() }
        // One snapshot: the application, items, history, clock, outlook and next events agree.
        let details = try ApplicationStore(database).show(app, asOf: asOf)
        switch output.format {
        case .json: print(ApplicationOutput.json(details).rendered())
        case .table: print(ApplicationOutput.table(details))
        case .csv:
            var csv = CSVWriter(ApplicationOutput.eventColumns)
            for event in details.events { csv.append(ApplicationOutput.csvRow(event)) }
            print(csv.rendered(), terminator: "")
        }
    }
}
