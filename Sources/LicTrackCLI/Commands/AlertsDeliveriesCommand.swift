import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

extension AlertsCommand {
    /// `lictrack alerts deliveries`: each alert's delivery to each channel, and what is stuck.
    struct Deliveries: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deliveries",
            abstract: "List deliveries with their status, attempts, next attempt and last error.",
            discussion: """
                A delivery is one alert to one channel: pending (waiting for its time), sending (leased to \
                a run until lease_until) or delivered. --failing lists only those not delivered that have \
                failed at least once. Secrets in errors are masked.
                """)

        @Flag(help: "Only deliveries not delivered that have failed at least once.") var failing = false
        @Option(help: ArgumentHelp("Only this channel's deliveries.", valueName: "name")) var channel: String?
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let entries = try AlertStore(try connection.connect())
                .deliveries(failingOnly: failing, channel: channel)
            switch output.format {
            case .json:
                print(JSONValue.array(entries.map(AlertOutput.json)).rendered())
            case .csv:
                var csv = CSVWriter(AlertOutput.deliveryColumns)
                for entry in entries { csv.append(AlertOutput.csvRow(entry)) }
                print(csv.rendered(), terminator: "")
            case .table:
                if entries.isEmpty {
                    print(failing ? "No failing deliveries." : "No deliveries.")
                    return
                }
                var table = TextTable([
                    "ALERT", "APP", "LEVEL", "CHANNEL", "STATUS", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR",
                ])
                for entry in entries {
                    table.append([
                        "\(entry.alertID)", "\(entry.applicationID)", entry.level.rawValue, entry.channel,
                        entry.status == "sending" ? "sending (\(entry.leasedBy ?? "?"))" : entry.status,
                        "\(entry.attempts)", entry.nextAttemptAt.map(Timestamp.iso8601) ?? "-",
                        entry.lastError.map(AlertOutput.maskedError) ?? "-",
                    ])
                }
                print(table.rendered())
            }
        }
    }

    /// `lictrack alerts retry --channel NAME`: a channel's failing deliveries, due now.
    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry",
            abstract: "Make a channel's failing deliveries due now, for after its receiver is fixed.",
            discussion: """
                Failing deliveries wait for a back-off of up to an hour between attempts. This makes those \
                of one channel due at once; the next 'lictrack alerts run' sends them. Deliveries a run is \
                sending are left to it.
                """)

        @Option(help: ArgumentHelp("The channel (see 'lictrack alerts channel list').", valueName: "name"))
        var channel: String
        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let count = try AlertStore(try connection.connect()).retry(channel: channel)
            let deliveries = count == 1 ? "1 failing delivery" : "\(count) failing deliveries"
            print(
                count == 0
                    ? "Alert channel \(channel) has no failing deliveries."
                    : "Made \(deliveries) to channel \(channel) due now; 'lictrack alerts run' sends them.")
        }
    }
}
