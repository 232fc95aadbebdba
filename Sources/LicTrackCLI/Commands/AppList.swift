import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

extension ApplicationFilter.Sort: ExpressibleByArgument {}
extension SLAClock.State: ExpressibleByArgument {}

/// `lictrack app list`.
struct AppList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List applications, filtered and sorted."
    )

    @Option(
        parsing: .singleValue,
        help: ArgumentHelp("Only these statuses (repeat, or separate with commas).", valueName: "status"))
    var status: [String] = []
    @Flag(help: "Only applications that are not approved, denied or withdrawn.") var open = false
    @Option(help: "Only this authority.") var authority: String?
    @Option(help: "Only this destination country.") var destination: String?
    @Option(help: "Only this internal owner.") var owner: String?
    @Option(help: "Sort by: id, created, updated, status, authority, destination, deadline.")
    var sort: ApplicationFilter.Sort = .id
    @Flag(help: "Sort in descending order.") var desc = false
    @Option(parsing: .unconditional, help: "At most this many rows.") var limit: Int?
    @Option(
        help:
            "Only applications whose clock is in this state: not_started, on_track, due_soon, breached, paused, met, missed."
    )
    var sla: SLAClock.State?
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "Judge clock states on this day (default: today in each authority's zone).", valueName: "date"))
    var asOf: CivilDate?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func statuses() throws -> [String] {
        let names = status.flatMap { $0.split(separator: ",") }.map { $0.trimmed }
        for name in names where ApplicationStatus(rawValue: name) == nil {
            let known = ApplicationStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--status: unknown status \(LicTrackError.quoted(name)) (expected one of: \(known))")
        }
        return names
    }

    func validate() throws {
        _ = try statuses()
        if let limit, limit < 0 {
            throw ValidationError(
                "--limit: invalid value \(LicTrackError.quoted(String(limit))) (expected a whole number of rows, 0 or more)"
            )
        }
    }

    func run() throws {
        var filter = ApplicationFilter()
        filter.statuses = try statuses()
        filter.authority = authority?.uppercased()
        filter.destination = destination?.uppercased()
        filter.owner = owner
        filter.openOnly = open
        filter.sort = sort
        filter.descending = desc
        filter.limit = limit
        filter.slaState = sla?.rawValue
        filter.asOf = asOf
        let database = try connection.connect()
        // An unknown authority or destination is a usage error, not an empty list: a typo must not
        // read as "nothing there".
        try ReportFilter(
            authorities: filter.authority.map { [$0] } ?? [], destinations: filter.destination.map { [$0] } ?? []
        ).validate(in: database)
        let apps = try ApplicationStore(database).list(filter)
        switch output.format {
        case .json: print(JSONValue.array(apps.map(ApplicationOutput.json)).rendered())
        case .csv: print(ApplicationOutput.csv(apps), terminator: "")
        case .table: print(ApplicationOutput.table(apps))
        }
    }
}
