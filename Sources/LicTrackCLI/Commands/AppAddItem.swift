import ArgumentParser
import LicTrackCore
import LicTrackStore

/// `lictrack app add-item`.
struct AppAddItem: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-item",
        abstract: "Add an item to an open application (logged as an add-item event)."
    )

    @Argument(help: ArgumentHelp("Application id or authority reference.", valueName: "app")) var app: String
    @Option(help: ArgumentHelp("When it was added (default: today in the authority's time zone).", valueName: "date"))
    var on: DateSpecifier?
    @OptionGroup var item: ItemOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if item.description == nil { throw ValidationError("missing --item DESCRIPTION") }
    }

    func run() throws {
        guard let draft = try item.item() else { return }
        let store = ApplicationStore(try connection.connect())
        let id = try store.resolve(app)
        try store.addItems([draft], to: id, on: on, actor: actor.resolved)
        print("Added item to application \(id).")
    }
}
