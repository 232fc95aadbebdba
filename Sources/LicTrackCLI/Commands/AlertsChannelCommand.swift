import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

extension AlertsCommand {
    /// `lictrack alerts channel`: where alerts are delivered.
    struct Channel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "channel",
            abstract: "Add, list, enable and disable delivery channels.",
            subcommands: [Add.self, List.self, Enable.self, Disable.self]
        )

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add",
                abstract: "Add a delivery channel; it receives the alerts raised from now on.",
                discussion: """
                    Kinds: stdout (no target), jsonl (--target /absolute/file.jsonl), webhook (--target URL, \
                    POSTed through curl), email (--target a@example.com,b@example.com, through sendmail -t). \
                    A webhook's secret can stay out of the database: --header-from-env Authorization=HOOK_TOKEN \
                    sends the header Authorization with the value of $HOOK_TOKEN, read when the alert job sends.
                    """)

            @Argument(help: "A name: letters, digits, '_', '.' or '-'.") var name: String
            @Option(help: "stdout, jsonl, webhook or email.") var kind: AlertChannelKind
            @Option(help: ArgumentHelp("The file, URL or comma-separated addresses.", valueName: "target"))
            var target: String?
            @Option(
                name: .customLong("authority"), parsing: .singleValue,
                help: ArgumentHelp(
                    "Only alerts of this authority (repeat, or separate with commas).", valueName: "code"))
            var authorities: [String] = []
            @Option(
                name: [.customLong("level"), .customLong("levels")], parsing: .singleValue,
                help: ArgumentHelp(
                    "Only alerts of this level: due_soon, breached or supply_risk (repeat, or separate with commas).",
                    valueName: "level"))
            var levelNames: [String] = []
            @Option(
                name: .customLong("header-from-env"), parsing: .singleValue,
                help: ArgumentHelp(
                    "A webhook header whose value is read from an environment variable when sending (repeat).",
                    valueName: "name=variable"))
            var headersFromEnvironment: [String] = []
            @OptionGroup var connection: ConnectionOptions

            /// --level, split at commas (validate() has checked every name).
            var levels: [AlertLevel] {
                levelNames.flatMap { $0.split(separator: ",") }.compactMap { AlertLevel(rawValue: $0.trimmed) }
            }

            func validate() throws {
                for name in levelNames.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) })
                where AlertLevel(rawValue: name.trimmed) == nil {
                    throw ValidationError(
                        "--level: unknown level \(LicTrackError.quoted(String(name))) "
                            + "(expected one of \(AlertLevel.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
            }

            var draft: AlertChannelDraft {
                var codes: [String] = []
                for code in authorities.flatMap({ $0.split(separator: ",") }).map({ $0.trimmed.uppercased() })
                where !code.isEmpty && !codes.contains(code) {
                    codes.append(code)
                }
                var uniqueLevels: [AlertLevel] = []
                for level in levels where !uniqueLevels.contains(level) { uniqueLevels.append(level) }
                let trimmedTarget = target?.trimmed
                // NAME=VARIABLE as given; the database checks the form (so does a value without '=').
                let headers = headersFromEnvironment.map {
                    HeaderFromEnvironment($0.trimmed) ?? HeaderFromEnvironment(header: $0, variable: "")
                }
                return AlertChannelDraft(
                    name: name, kind: kind, target: trimmedTarget?.isEmpty == true ? nil : trimmedTarget,
                    authorities: codes, levels: uniqueLevels, headersFromEnvironment: headers)
            }

            func run() throws {
                let channel = try AlertStore(try connection.connect()).addChannel(draft)
                print(
                    "Added alert channel \(channel.name) (\(channel.kind.rawValue)\(AlertOutput.filterText(channel))).")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list",
                abstract: "List the delivery channels (secrets in webhook URLs are masked).")

            @OptionGroup var connection: ConnectionOptions
            @OptionGroup var output: OutputOptions

            func run() throws {
                let channels = try AlertStore(try connection.connect()).channels()
                switch output.format {
                case .json:
                    print(JSONValue.array(channels.map(AlertOutput.json)).rendered())
                case .csv:
                    var csv = CSVWriter([
                        "name", "kind", "target", "authorities", "levels", "enabled", "headers_from_env",
                    ])
                    for c in channels {
                        csv.append([
                            c.name, c.kind.rawValue, c.target.map(SecretMask.masking) ?? "",
                            (c.authorities ?? []).joined(separator: " "),
                            (c.levels ?? []).map(\.rawValue).joined(separator: " "), c.enabled ? "true" : "false",
                            c.headersFromEnvironment.map(\.text).joined(separator: " "),
                        ])
                    }
                    print(csv.rendered(), terminator: "")
                case .table:
                    if channels.isEmpty {
                        print("No alert channels; add one with 'lictrack alerts channel add'.")
                        return
                    }
                    var table = TextTable(["NAME", "KIND", "ENABLED", "AUTHORITIES", "LEVELS", "TARGET"])
                    for c in channels {
                        let headers = c.headersFromEnvironment.map { "\($0.header) from $\($0.variable)" }
                        table.append([
                            c.name, c.kind.rawValue, c.enabled ? "yes" : "no",
                            c.authorities?.joined(separator: ",") ?? "all",
                            c.levels?.map(\.rawValue).joined(separator: ",") ?? "all",
                            (c.target.map(SecretMask.masking) ?? "-")
                                + (headers.isEmpty ? "" : " (\(headers.joined(separator: ", ")))"),
                        ])
                    }
                    print(table.rendered())
                }
            }
        }

        struct Enable: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "enable",
                abstract: "Enable a channel: it gets new alerts and its waiting deliveries are sent again.")

            @Argument(help: "The channel's name.") var name: String
            @OptionGroup var connection: ConnectionOptions

            func run() throws {
                let changed = try AlertStore(try connection.connect()).setChannel(name, enabled: true)
                print(changed ? "Enabled alert channel \(name)." : "Alert channel \(name) was already enabled.")
            }
        }

        struct Disable: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "disable",
                abstract: "Disable a channel: it gets no new alerts, and its pending deliveries wait.")

            @Argument(help: "The channel's name.") var name: String
            @OptionGroup var connection: ConnectionOptions

            func run() throws {
                let changed = try AlertStore(try connection.connect()).setChannel(name, enabled: false)
                print(changed ? "Disabled alert channel \(name)." : "Alert channel \(name) was already disabled.")
            }
        }
    }
}
