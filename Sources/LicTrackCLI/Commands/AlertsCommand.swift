import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

extension AlertLevel: ExpressibleByArgument {}
extension AlertChannelKind: ExpressibleByArgument {}

/// `lictrack alerts`: SLA alerts, their delivery channels and monitoring.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Raise, deliver, list and acknowledge SLA alerts.",
        discussion: """
            Alerts are raised once per application, cycle, level (due_soon, breached) and deadline, \
            committed before they are delivered, and marked delivered after (Docs/alerts-delivery.md).
            """,
        subcommands: [Run.self, List.self, Ack.self, Check.self, Channel.self]
    )

    // MARK: - run

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Raise the alerts that have fallen due, then deliver every delivery that is due.",
            discussion: """
                Meant for cron. Each delivery is sent and marked in its own transaction, locked so that \
                runs at the same time never send it twice. A failed delivery is retried by later runs \
                after a growing back-off; a warning goes to standard error and the run still exits 0.
                """)

        @Option(
            name: .customLong("as-of"),
            help: ArgumentHelp(
                "Judge the clocks as of this day (default: today in each authority's time zone).",
                valueName: "date"))
        var asOf: CivilDate?
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Output format: table or json.") var format: Format = .table

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table, json
        }

        func run() throws {
            let store = AlertStore(connection: try connection.connect())
            let raised = try store.raise(asOf: asOf)
            var delivered = 0
            var failed = 0
            let runStart = try store.databaseNow()
            while let outcome = try store.deliverNext(
                dueBy: runStart, { DeliveryChannels.sender(for: $0.channel).send($0) })
            {
                let delivery = outcome.delivery
                switch outcome.result {
                case .delivered:
                    delivered += 1
                case .failed(let message):
                    failed += 1
                    StandardError.writeLine(
                        "lictrack: warning: alert \(delivery.alertID) to channel \(delivery.channel.name) failed "
                            + "(attempt \(delivery.attempts + 1)); it will be retried: \(message)")
                }
            }
            let pending = try store.pendingDeliveryCount()

            switch format {
            case .json:
                print(
                    JSONValue.object([
                        ("as_of", JSONValue(asOf)),
                        ("raised", .array(raised.map(AlertOutput.json))),
                        ("delivered", .int(Int64(delivered))),
                        ("failed", .int(Int64(failed))),
                        ("pending", .int(Int64(pending))),
                    ]).rendered())
            case .table:
                for alert in raised {
                    print(
                        "Raised alert \(alert.id): \(alert.level.shouting) application \(alert.applicationID) "
                            + "(\(alert.authority), cycle \(alert.cycle)), deadline \(alert.deadline).")
                }
                let count = raised.count == 1 ? "1 alert" : "\(raised.count) alerts"
                let day = asOf.map { " as of \($0)" } ?? ""
                print("Raised \(count)\(day); delivered \(delivered), failed \(failed), pending \(pending).")
            }
        }
    }

    // MARK: - list

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List alerts with their level, application, deadline, acknowledgement and delivery state.")

        @Flag(help: "Only alerts not yet acknowledged.") var pending = false
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let entries = try AlertStore(connection: try connection.connect()).list(unacknowledgedOnly: pending)
            switch output.format {
            case .json:
                print(JSONValue.array(entries.map(AlertOutput.json)).rendered())
            case .csv:
                var csv = CSVWriter([
                    "id", "level", "application_id", "cycle", "authority", "authority_reference", "deadline",
                    "raised_on", "acknowledged_at", "acknowledged_by", "ack_note", "delivered", "pending", "failed",
                    "last_error",
                ])
                for entry in entries {
                    let alert = entry.alert
                    csv.append([
                        "\(alert.id)", alert.level.rawValue, "\(alert.applicationID)", "\(alert.cycle)",
                        alert.authority,
                        entry.authorityReference ?? "", "\(alert.deadline)", "\(alert.raisedOn)",
                        alert.acknowledgedAt.map(Timestamp.iso8601) ?? "", alert.acknowledgedBy ?? "",
                        alert.ackNote ?? "", "\(entry.delivered)", "\(entry.pending)", "\(entry.failing)",
                        entry.lastError ?? "",
                    ])
                }
                print(csv.rendered())
            case .table:
                if entries.isEmpty {
                    print(pending ? "No unacknowledged alerts." : "No alerts.")
                    return
                }
                var table = TextTable(["ID", "LEVEL", "APP", "AUTHORITY", "DEADLINE", "RAISED", "ACK", "DELIVERY"])
                for entry in entries {
                    let alert = entry.alert
                    table.append([
                        "\(alert.id)", alert.level.rawValue, "\(alert.applicationID)",
                        alert.authority + (entry.authorityReference.map { " \($0)" } ?? ""), "\(alert.deadline)",
                        "\(alert.raisedOn)", alert.isAcknowledged ? "yes" : "no", AlertOutput.deliveryState(entry),
                    ])
                }
                print(table.rendered())
            }
        }
    }

    // MARK: - ack

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Acknowledge an alert, so that 'alerts check' and 'alerts list --pending' stop reporting it.")

        @Argument(help: ArgumentHelp("The alert's id (see 'lictrack alerts list').", valueName: "id")) var id: Int64
        @Option(help: "Why, or what was done about it.") var note: String?
        @OptionGroup var actor: ActorOptions
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let outcome = try AlertStore(connection: try connection.connect())
                .acknowledge(id, note: note, actor: actor.resolved)
            let (alert, already): (SLAAlert, Bool)
            switch outcome {
            case .acknowledged(let value): (alert, already) = (value, false)
            case .alreadyAcknowledged(let value): (alert, already) = (value, true)
            }
            switch output.format {
            case .json:
                print(
                    JSONValue.object([
                        ("id", .int(alert.id)), ("already_acknowledged", .bool(already)),
                        ("acknowledged_at", JSONValue(alert.acknowledgedAt)),
                        ("acknowledged_by", JSONValue(alert.acknowledgedBy)), ("ack_note", JSONValue(alert.ackNote)),
                    ]).rendered())
            case .csv:
                var csv = CSVWriter(["id", "already_acknowledged", "acknowledged_at", "acknowledged_by", "ack_note"])
                csv.append([
                    "\(alert.id)", already ? "true" : "false", alert.acknowledgedAt.map(Timestamp.iso8601) ?? "",
                    alert.acknowledgedBy ?? "", alert.ackNote ?? "",
                ])
                print(csv.rendered())
            case .table:
                let when = alert.acknowledgedAt.map(Timestamp.iso8601) ?? "?"
                let who = alert.acknowledgedBy ?? "?"
                if already {
                    print("Alert \(alert.id) was already acknowledged (\(when) by \(who)).")
                } else {
                    print(
                        "Acknowledged alert \(alert.id): \(alert.level.rawValue), application \(alert.applicationID), "
                            + "deadline \(alert.deadline).")
                }
            }
        }
    }

    // MARK: - check

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One status line for Nagios-style monitoring; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
            discussion: """
                Counts application cycles by their worst unacknowledged alert, including clocks whose alert \
                has fallen due but was not raised yet (the alert job is behind): CRITICAL if any is breached, \
                WARNING if any is due soon. Any error, the database being down included, is UNKNOWN.
                """)

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let counts: AlertCheckCounts
            do {
                counts = try AlertStore(connection: try connection.connect()).checkCounts()
            } catch {
                let message = (error as? LicTrackError)?.description ?? "\(error)"
                print("LICTRACK UNKNOWN - \(DeliveryText.oneLine(message))")
                throw CommandFailure(status: 3)
            }
            let perfdata = "| breached=\(counts.breached) due_soon=\(counts.dueSoon)"
            if counts.breached > 0 {
                print("LICTRACK CRITICAL - \(counts.breached) breached, \(counts.dueSoon) due soon \(perfdata)")
                throw CommandFailure(status: 2)
            }
            if counts.dueSoon > 0 {
                print("LICTRACK WARNING - \(counts.dueSoon) due soon \(perfdata)")
                throw CommandFailure(status: 1)
            }
            print("LICTRACK OK - no pending alerts")
        }
    }

    // MARK: - channel

    struct Channel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add, list, enable and disable delivery channels.",
            subcommands: [Add.self, List.self, Enable.self, Disable.self]
        )

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add a delivery channel; it receives the alerts raised from now on.",
                discussion: """
                    Kinds: stdout (no target), jsonl (--target /absolute/file.jsonl), webhook (--target URL, \
                    POSTed through curl), email (--target a@example.com,b@example.com, through sendmail -t).
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
                name: .customLong("level"), parsing: .singleValue,
                help: ArgumentHelp(
                    "Only alerts of this level: due_soon or breached (repeat for both).", valueName: "level"))
            var levels: [AlertLevel] = []
            @OptionGroup var connection: ConnectionOptions

            var draft: AlertChannelDraft {
                var codes: [String] = []
                for code in authorities.flatMap({ $0.split(separator: ",") }).map({ $0.trimmed.uppercased() })
                where !code.isEmpty && !codes.contains(code) {
                    codes.append(code)
                }
                var uniqueLevels: [AlertLevel] = []
                for level in levels where !uniqueLevels.contains(level) { uniqueLevels.append(level) }
                let trimmedTarget = target?.trimmed
                return AlertChannelDraft(
                    name: name, kind: kind, target: trimmedTarget?.isEmpty == true ? nil : trimmedTarget,
                    authorities: codes, levels: uniqueLevels)
            }

            func validate() throws {
                if let problem = draft.problem { throw ValidationError(problem) }
            }

            func run() throws {
                let channel = try AlertStore(connection: try connection.connect()).addChannel(draft)
                print(
                    "Added alert channel \(channel.name) (\(channel.kind.rawValue)\(AlertOutput.filterText(channel))).")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the delivery channels.")

            @OptionGroup var connection: ConnectionOptions
            @OptionGroup var output: OutputOptions

            func run() throws {
                let channels = try AlertStore(connection: try connection.connect()).channels()
                switch output.format {
                case .json:
                    print(JSONValue.array(channels.map(AlertOutput.json)).rendered())
                case .csv:
                    var csv = CSVWriter(["name", "kind", "target", "authorities", "levels", "enabled"])
                    for c in channels {
                        csv.append([
                            c.name, c.kind.rawValue, c.target ?? "", (c.authorities ?? []).joined(separator: " "),
                            (c.levels ?? []).map(\.rawValue).joined(separator: " "), c.enabled ? "true" : "false",
                        ])
                    }
                    print(csv.rendered())
                case .table:
                    if channels.isEmpty {
                        print("No alert channels; add one with 'lictrack alerts channel add'.")
                        return
                    }
                    var table = TextTable(["NAME", "KIND", "ENABLED", "AUTHORITIES", "LEVELS", "TARGET"])
                    for c in channels {
                        table.append([
                            c.name, c.kind.rawValue, c.enabled ? "yes" : "no",
                            c.authorities?.joined(separator: ",") ?? "all",
                            c.levels?.map(\.rawValue).joined(separator: ",") ?? "all", c.target ?? "-",
                        ])
                    }
                    print(table.rendered())
                }
            }
        }

        struct Enable: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Enable a channel: it gets new alerts and its waiting deliveries are sent again.")

            @Argument(help: "The channel's name.") var name: String
            @OptionGroup var connection: ConnectionOptions

            func run() throws {
                let changed = try AlertStore(connection: try connection.connect()).setChannel(name, enabled: true)
                print(changed ? "Enabled alert channel \(name)." : "Alert channel \(name) was already enabled.")
            }
        }

        struct Disable: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Disable a channel: it gets no new alerts, and its pending deliveries wait.")

            @Argument(help: "The channel's name.") var name: String
            @OptionGroup var connection: ConnectionOptions

            func run() throws {
                let changed = try AlertStore(connection: try connection.connect()).setChannel(name, enabled: false)
                print(changed ? "Disabled alert channel \(name)." : "Alert channel \(name) was already disabled.")
            }
        }
    }
}

/// How alerts and channels look in JSON and tables.
enum AlertOutput {
    /// An alert as `alerts run` lists what it raised.
    static func json(_ alert: SLAAlert) -> JSONValue {
        .object([
            ("id", .int(alert.id)),
            ("application_id", .int(alert.applicationID)),
            ("cycle", .int(Int64(alert.cycle))),
            ("level", .string(alert.level.rawValue)),
            ("deadline", JSONValue(alert.deadline)),
            ("authority", .string(alert.authority)),
            ("raised_on", JSONValue(alert.raisedOn)),
            ("idempotency_key", .string(alert.idempotencyKey)),
        ])
    }

    /// An alert as `alerts list` shows it.
    static func json(_ entry: AlertListEntry) -> JSONValue {
        let alert = entry.alert
        return .object([
            ("id", .int(alert.id)),
            ("application_id", .int(alert.applicationID)),
            ("cycle", .int(Int64(alert.cycle))),
            ("level", .string(alert.level.rawValue)),
            ("deadline", JSONValue(alert.deadline)),
            ("authority", .string(alert.authority)),
            ("authority_reference", JSONValue(entry.authorityReference)),
            ("raised_on", JSONValue(alert.raisedOn)),
            ("raised_at", JSONValue(alert.raisedAt)),
            ("idempotency_key", .string(alert.idempotencyKey)),
            ("acknowledged", .bool(alert.isAcknowledged)),
            ("acknowledged_at", JSONValue(alert.acknowledgedAt)),
            ("acknowledged_by", JSONValue(alert.acknowledgedBy)),
            ("ack_note", JSONValue(alert.ackNote)),
            (
                "deliveries",
                .object([
                    ("delivered", .int(Int64(entry.delivered))),
                    ("pending", .int(Int64(entry.pending))),
                    ("failed", .int(Int64(entry.failing))),
                    ("last_error", JSONValue(entry.lastError)),
                ])
            ),
        ])
    }

    static func json(_ channel: AlertChannel) -> JSONValue {
        .object([
            ("id", .int(channel.id)),
            ("name", .string(channel.name)),
            ("kind", .string(channel.kind.rawValue)),
            ("target", JSONValue(channel.target)),
            ("authorities", channel.authorities.map { JSONValue($0) } ?? .null),
            ("levels", channel.levels.map { JSONValue($0.map(\.rawValue)) } ?? .null),
            ("enabled", .bool(channel.enabled)),
            ("created_at", JSONValue(channel.createdAt)),
            ("created_by", JSONValue(channel.createdBy)),
        ])
    }

    /// `2 delivered, 1 failing: HTTP 500 ...`, or `-` when no channel took the alert.
    static func deliveryState(_ entry: AlertListEntry) -> String {
        var parts: [String] = []
        if entry.delivered > 0 { parts.append("\(entry.delivered) delivered") }
        let waiting = entry.pending - entry.failing
        if waiting > 0 { parts.append("\(waiting) pending") }
        if entry.failing > 0 {
            parts.append("\(entry.failing) failing" + (entry.lastError.map { ": \($0)" } ?? ""))
        }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    /// `, MOFCOM only, breached only` for a channel's filters.
    static func filterText(_ channel: AlertChannel) -> String {
        var text = ""
        if let authorities = channel.authorities { text += ", \(authorities.joined(separator: "/")) only" }
        if let levels = channel.levels { text += ", \(levels.map(\.rawValue).joined(separator: "/")) only" }
        return text
    }
}
