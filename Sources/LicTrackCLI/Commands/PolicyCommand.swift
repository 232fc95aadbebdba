import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

/// `lictrack policy`: how each authority's clock is counted.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "List, show and change SLA policies.",
        subcommands: [List.self, Show.self, Set.self]
    )

    static func json(_ p: SLAPolicy) -> JSONValue {
        .object([
            ("authority", .string(p.authority)), ("licence_type", JSONValue(p.licenceType)),
            ("start_status", .string(p.startStatus)), ("target", .int(Int64(p.target))), ("unit", .string(p.unit)),
            ("calendar", JSONValue(p.calendar)), ("pause_statuses", JSONValue(p.pauseStatuses)),
            ("warn_before", .int(Int64(p.warnBefore))), ("source", JSONValue(p.source)), ("basis", JSONValue(p.basis)),
            ("updated_at", JSONValue(p.updatedAt)), ("updated_by", JSONValue(p.updatedBy)),
        ])
    }

    /// The policies as CSV, one record each (`policy list` and `policy show`).
    static func csv(_ policies: [SLAPolicy]) -> String {
        var csv = CSVWriter([
            "authority", "licence_type", "start_status", "target", "unit", "calendar", "pause_statuses",
            "warn_before", "source", "basis",
        ])
        for p in policies {
            csv.append([
                p.authority, p.licenceType ?? "", p.startStatus, "\(p.target)", p.unit, p.calendar ?? "",
                p.pauseStatuses.joined(separator: " "), "\(p.warnBefore)", p.source ?? "", p.basis ?? "",
            ])
        }
        return csv.rendered()
    }

    static func describe(_ p: SLAPolicy) -> String {
        var lines = [
            "\(p.authority)\(p.licenceType.map { " (\($0) licences)" } ?? ""): \(p.target) \(p.unit.replacing("_", with: " "))"
                + (p.calendar.map { " on the \($0) calendar" } ?? "") + " from \(p.startStatus)",
            "  Pauses while:    \(p.pauseStatuses.isEmpty ? "(never)" : p.pauseStatuses.joined(separator: ", "))",
            "  Warn:            \(p.warnBefore) \(p.unit == "working_days" ? "working days" : "days") before the deadline",
        ]
        if let source = p.source { lines.append("  Source:          \(source)") }
        if let basis = p.basis { lines.append("  Basis:           \(basis)") }
        return lines.joined(separator: "\n")
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the SLA policies.")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let policies = try PolicyStore(try connection.connect()).list()
            switch output.format {
            case .json: print(JSONValue.array(policies.map(PolicyCommand.json)).rendered())
            case .csv: print(PolicyCommand.csv(policies), terminator: "")
            case .table:
                var table = TextTable([
                    "AUTHORITY", "LICENCE", "STARTS AT", "TARGET", "CALENDAR", "PAUSES", "WARN", "BASIS",
                ])
                for p in policies {
                    table.append([
                        p.authority, p.licenceType ?? "(all)", p.startStatus,
                        "\(p.target) \(p.unit.replacing("_", with: " "))", p.calendar ?? "-",
                        p.pauseStatuses.joined(separator: ","), "\(p.warnBefore)", p.basis ?? "",
                    ])
                }
                print(table.rendered())
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show the policy that applies to an authority.")

        @Argument(help: "Authority code.") var authority: String
        @Option(name: .customLong("licence-type"), help: "single, general or other.") var licenceType: LicenceType?
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let policy = try PolicyStore(try connection.connect()).policy(
                authority: authority.uppercased(), licenceType: licenceType?.rawValue)
            switch output.format {
            case .json: print(PolicyCommand.json(policy).rendered())
            case .csv: print(PolicyCommand.csv([policy]), terminator: "")
            case .table: print(PolicyCommand.describe(policy))
            }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change a policy; every open clock of the authority is recomputed at once.",
            discussion: """
                Only the options given change. With --licence-type, a policy for that licence type alone is \
                created (as a copy of the authority's default) or changed.
                """
        )

        enum Unit: String, ExpressibleByArgument, CaseIterable {
            case workingDays = "working_days"
            case calendarDays = "calendar_days"
        }

        @Argument(help: "Authority code.") var authority: String
        @Option(name: .customLong("licence-type"), help: "single, general or other.") var licenceType: LicenceType?
        @Option(name: .customLong("starts-at"), help: "The status that starts the clock.")
        var startStatus: ApplicationStatus?
        @Option(parsing: .unconditional, help: "Target, in units.") var target: Int?
        @Option(help: "working_days or calendar_days.") var unit: Unit?
        @Option(help: "Working-day calendar, e.g. CN.") var calendar: String?
        @Option(name: .customLong("pauses"), help: "Statuses that pause the clock, comma-separated ('' for none).")
        var pauses: String?
        @Option(
            name: .customLong("warn-before"), parsing: .unconditional,
            help: "Raise due_soon this many units before the deadline.")
        var warnBefore: Int?
        @Option(help: "The legal or internal source.") var source: String?
        @Option(help: "The legal basis of the clock in plain words, quoted in escalation evidence.")
        var basis: String?
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let target, target <= 0 {
                throw ValidationError(
                    "--target: invalid value \(LicTrackError.quoted(String(target))) (expected a whole number of units "
                        + "greater than 0, such as 45)")
            }
            if let warnBefore, warnBefore < 0 {
                throw ValidationError(
                    "--warn-before: invalid value \(LicTrackError.quoted(String(warnBefore))) (expected a whole number "
                        + "of units, 0 or more)")
            }
            for status in pauseStatuses ?? [] where ApplicationStatus(rawValue: status) == nil {
                let known = ApplicationStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError(
                    "--pauses: unknown status \(LicTrackError.quoted(status)) (expected statuses among \(known))")
            }
        }

        var pauseStatuses: [String]? {
            pauses.map { $0.split(separator: ",").map { $0.trimmed }.filter { !$0.isEmpty } }
        }

        func run() throws {
            var change = SLAPolicyChange()
            change.startStatus = startStatus?.rawValue
            change.target = target
            change.unit = unit?.rawValue
            change.calendar = calendar?.uppercased()
            change.pauseStatuses = pauseStatuses
            change.warnBefore = warnBefore
            change.source = source
            change.basis = basis
            let (policy, open) = try PolicyStore(try connection.connect()).set(
                authority: authority.uppercased(), licenceType: licenceType?.rawValue, change)
            switch output.format {
            case .json: print(PolicyCommand.json(policy).rendered())
            case .csv: print(PolicyCommand.csv([policy]), terminator: "")
            case .table:
                print(PolicyCommand.describe(policy))
                print("\(open) open clocks of \(policy.authority) recomputed.")
            }
        }
    }
}
