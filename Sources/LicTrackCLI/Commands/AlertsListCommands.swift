import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

extension AlertsCommand {
    /// `lictrack alerts list`: the alerts with their delivery state.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List alerts with their level, application, deadline, acknowledgement and delivery state.")

        @Flag(help: "Only alerts not yet acknowledged.") var pending = false
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let entries = try AlertStore(try connection.connect()).list(unacknowledgedOnly: pending)
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
                        SecretMask.masking(entry.lastError ?? ""),
                    ])
                }
                print(csv.rendered(), terminator: "")
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

    /// `lictrack alerts ack ID`: acknowledge an alert.
    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack",
            abstract: "Acknowledge an alert, so that 'alerts check' and 'alerts list --pending' stop reporting it.")

        @Argument(help: ArgumentHelp("The alert's id (see 'lictrack alerts list').", valueName: "id")) var id: Int64
        @Option(help: "Why, or what was done about it.") var note: String?
        @OptionGroup var actor: ActorOptions
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let outcome = try AlertStore(try connection.connect())
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
                    ]).rendered(), terminator: "")
            case .csv:
                var csv = CSVWriter(["id", "already_acknowledged", "acknowledged_at", "acknowledged_by", "ack_note"])
                csv.append([
                    "\(alert.id)", already ? "true" : "false", alert.acknowledgedAt.map(Timestamp.iso8601) ?? "",
                    alert.acknowledgedBy ?? "", alert.ackNote ?? "",
                ])
                print(csv.rendered(), terminator: "")
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
}
