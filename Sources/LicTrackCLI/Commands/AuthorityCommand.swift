import ArgumentParser
import LicTrackReports
import LicTrackStore

/// `lictrack authority`: the licensing authorities applications are filed with.
struct AuthorityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authority",
        abstract: "List or add licensing authorities.",
        subcommands: [List.self, Add.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the authorities.")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let authorities = try AuthorityStore(try connection.connect()).list()
            switch output.format {
            case .json:
                print(
                    JSONValue.array(
                        authorities.map {
                            .object([
                                ("code", .string($0.code)), ("name", .string($0.name)),
                                ("country", .string($0.country)), ("time_zone", .string($0.timeZone)),
                            ])
                        }
                    ).rendered())
            case .csv:
                var csv = CSVWriter(["code", "name", "country", "time_zone"])
                for a in authorities { csv.append([a.code, a.name, a.country, a.timeZone]) }
                print(csv.rendered(), terminator: "")
            case .table:
                var table = TextTable(["CODE", "COUNTRY", "TIME ZONE", "NAME"])
                for a in authorities { table.append([a.code, a.country, a.timeZone, a.name]) }
                print(table.rendered())
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add an authority.")

        @Argument(help: "Short code, e.g. METI (capital letters, digits, - or _).") var code: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Country, ISO 3166-1 alpha-2.") var country: String
        @Option(name: .customLong("time-zone"), help: "IANA time zone for its dates, e.g. Asia/Tokyo.")
        var timeZone: String
        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            try AuthorityStore(try connection.connect()).add(
                Authority(code: code.uppercased(), name: name, country: country.uppercased(), timeZone: timeZone))
            print("Added authority \(code.uppercased()).")
        }
    }
}
