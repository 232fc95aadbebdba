import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `lictrack calendar`: the working-day calendars clocks count on.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "List, show, import and add working-day calendars.",
        subcommands: [List.self, Show.self, Import.self, Add.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List calendars and their loaded years (* marks a provisional year).")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let calendars = try CalendarStore(try connection.connect()).list()
            switch output.format {
            case .json:
                print(
                    JSONValue.array(
                        calendars.map { c in
                            .object([
                                ("code", .string(c.code)), ("name", .string(c.name)),
                                ("time_zone", .string(c.timeZone)), ("description", JSONValue(c.description)),
                                (
                                    "years",
                                    .array(
                                        c.years.map {
                                            .object([
                                                ("year", .int(Int64($0.year))), ("provisional", .bool($0.provisional)),
                                            ])
                                        })
                                ),
                            ])
                        }
                    ).rendered())
            case .csv:
                var csv = CSVWriter(["code", "name", "time_zone", "years", "provisional_years"])
                for c in calendars {
                    csv.append([
                        c.code, c.name, c.timeZone, c.years.map { "\($0.year)" }.joined(separator: " "),
                        c.years.filter(\.provisional).map { "\($0.year)" }.joined(separator: " "),
                    ])
                }
                print(csv.rendered(), terminator: "")
            case .table:
                var table = TextTable(["CODE", "TIME ZONE", "YEARS", "NAME"])
                for c in calendars {
                    table.append([
                        c.code, c.timeZone,
                        c.years.map { "\($0.year)\($0.provisional ? "*" : "")" }.joined(separator: " "), c.name,
                    ])
                }
                print(table.rendered())
                if calendars.contains(where: { $0.years.contains(where: \.provisional) }) {
                    print("* provisional: not yet officially published; deadlines that depend on it are provisional.")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a calendar year: its holidays and make-up working days (or every day with --all).")

        @Argument(help: "Calendar code, e.g. CN.") var code: String
        @Argument(help: "Year, e.g. 2025.") var year: Int
        @Flag(help: "List every day, not only the exceptions to Monday-Friday.") var all = false
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let calendar = try CalendarStore(try connection.connect()).year(year, of: code.uppercased())
            let days = all ? calendar.days : calendar.days.filter { ($0.date.isoWeekday <= 5) != $0.working }
            switch output.format {
            case .json:
                print(
                    JSONValue.object([
                        ("code", .string(calendar.code)), ("year", .int(Int64(calendar.year))),
                        ("provisional", .bool(calendar.provisional)), ("source", .string(calendar.source)),
                        ("working_days", .int(Int64(calendar.days.filter(\.working).count))),
                        (
                            "days",
                            .array(
                                days.map {
                                    .object([
                                        ("date", .string($0.date.description)), ("working", .bool($0.working)),
                                        ("name", JSONValue($0.name)),
                                    ])
                                })
                        ),
                    ]).rendered(), terminator: "")
            case .csv:
                var csv = CSVWriter(["date", "working", "name"])
                for day in days { csv.append([day.date.description, day.working ? "true" : "false", day.name ?? ""]) }
                print(csv.rendered(), terminator: "")
            case .table:
                print(
                    "\(calendar.code) \(calendar.year)\(calendar.provisional ? " (PROVISIONAL)" : ""): "
                        + "\(calendar.days.filter(\.working).count) working days")
                print("Source: \(calendar.source)")
                var table = TextTable(["DATE", "DAY", "WORKING", "NAME"])
                let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
                for day in days {
                    table.append([
                        day.date.description, weekdays[day.date.isoWeekday - 1], day.working ? "yes" : "no",
                        day.name ?? "",
                    ])
                }
                print(table.rendered())
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Replace a range of a calendar's days from a CSV file and move the open deadlines.",
            discussion: """
                The file has the header date,working,name and one row per day of a contiguous range \
                (Database/calendars/*.csv are examples). The days it covers replace those loaded; years it \
                covers completely become official (no longer provisional). Every open clock counted on the \
                calendar is recomputed in the same transaction.
                """
        )

        @Argument(help: "Calendar code, e.g. CN.") var code: String
        @Argument(help: ArgumentHelp("CSV file (- for standard input).", valueName: "file")) var file: String
        @Option(help: "Where the days come from (default: the file name).") var source: String?
        @Flag(help: "Load the years the file covers as provisional (an estimate before the official notice).")
        var provisional = false
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let data: Data
            do {
                data = file == "-" ? FileInput.standardInput() : try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw LicTrackError(.usage, "cannot read \(LicTrackError.quoted(file))", hint: "check the path")
            }
            let days: [CalendarDay]
            do {
                days = try CalendarFile.parse(String(decoding: data, as: UTF8.self))
            } catch let problem as CalendarFile.Problem {
                throw LicTrackError(.invalidInput, "\(LicTrackError.quoted(file)): \(problem.description)")
            }
            let result = try CalendarStore(try connection.connect()).importDays(
                days, into: code.uppercased(), source: source ?? "imported from \(file)", provisional: provisional)
            switch output.format {
            case .json:
                print(
                    JSONValue.object([
                        ("calendar", .string(code.uppercased())), ("days_loaded", .int(Int64(result.days))),
                        ("first_day", .string(days.map(\.date).min()!.description)),
                        ("last_day", .string(days.map(\.date).max()!.description)),
                        ("clocks_changed", .int(Int64(result.clocksChanged))),
                    ]).rendered(), terminator: "")
            case .csv:
                print(
                    CSVWriter(["calendar", "days_loaded", "clocks_changed"]).appending([
                        code.uppercased(), "\(result.days)", "\(result.clocksChanged)",
                    ]).rendered(), terminator: "")
            case .table:
                print(
                    "Imported \(result.days) days into \(code.uppercased()) "
                        + "(\(days.map(\.date).min()!) to \(days.map(\.date).max()!)); "
                        + "\(result.clocksChanged) open clocks recomputed.")
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a custom calendar; then load its days with 'lictrack calendar import'.")

        @Argument(help: "Code: capital letters, digits and hyphens, e.g. JP or DE-BY.") var code: String
        @Option(help: "Name.") var name: String
        @Option(name: .customLong("time-zone"), help: "IANA time zone, e.g. Asia/Tokyo.") var timeZone: String
        @Option(help: "Where its days come from.") var description: String?
        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            try CalendarStore(try connection.connect()).add(
                code: code.uppercased(), name: name, timeZone: timeZone, description: description)
            print(
                "Added calendar \(code.uppercased()); import its days with 'lictrack calendar import \(code.uppercased()) FILE.csv'."
            )
        }
    }
}
