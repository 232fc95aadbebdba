import ArgumentParser
import LicTrackStore

/// `lictrack app show`.
struct AppShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an application: details, items, full timeline and the events allowed next.",
        discussion: "--format csv prints the timeline, one event per row."
    )

    @Argument(help: ArgumentHelp("Application id or authority reference.", valueName: "app")) var app: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let store = ApplicationStore(connection: try connection.connect())
        let details = try store.details(of: try store.resolve(app))
        switch output.format {
        case .json: print(ApplicationOutput.json(details).rendered())
        case .table: print(ApplicationOutput.table(details))
        case .csv:
            var csv = CSVWriter(ApplicationOutput.eventColumns)
            for event in details.events { csv.append(ApplicationOutput.csvRow(event)) }
            print(csv.rendered())
        }
    }
}
