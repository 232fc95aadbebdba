import ArgumentParser
import LicTrackAlerts
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
            Alerts are raised once per application, cycle, level (due_soon, breached) and deadline, and \
            supply_risk (the material runs out before the licence is likely to come) once per application, \
            cycle and stock date; committed before they are delivered, and marked delivered after \
            (Docs/alerts-delivery.md).
            """,
        subcommands: [Run.self, List.self, Ack.self, Check.self, Deliveries.self, Retry.self, Channel.self]
    )
}

extension AlertsCommand {
    /// `lictrack alerts run`: the alert job, for cron.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Raise the alerts that have fallen due, then deliver every delivery that is due.",
            discussion: """
                Meant for cron. Each channel claims its due deliveries in batches with a lease, sends \
                them outside any transaction and records the outcome, within its own share of the run \
                (--channel-time), on a thread of its own: a slow or failing channel delays no other. A \
                failed delivery is retried by later runs after a growing back-off; a warning goes to \
                standard error and the run still exits 0.
                """)

        @Option(
            name: .customLong("as-of"),
            help: ArgumentHelp(
                "Judge the clocks as of this day (default: today in each authority's time zone).",
                valueName: "date"))
        var asOf: CivilDate?
        @Option(
            name: .customLong("channel-time"), parsing: .unconditional,
            help: ArgumentHelp(
                "Each channel's share of the run, in seconds (default \(Int(AlertJob.Options.defaultChannelSeconds))).",
                valueName: "seconds"))
        var channelSeconds: Double = AlertJob.Options.defaultChannelSeconds
        @Option(
            name: .customLong("batch-size"), parsing: .unconditional,
            help: ArgumentHelp(
                "Deliveries claimed and sent at once per channel (default \(AlertJob.Options.defaultBatchSize)).",
                valueName: "count"))
        var batchSize: Int = AlertJob.Options.defaultBatchSize
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Output format: table or json.") var format: Format = .table

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table, json
        }

        /// The bounds of --channel-time and --batch-size.
        static let channelSecondsRange = 1.0...3_600.0
        static let batchSizeRange = 1...10_000

        func validate() throws {
            guard channelSeconds.isFinite, Self.channelSecondsRange.contains(channelSeconds) else {
                throw ValidationError(
                    "--channel-time must be a number of seconds from 1 to 3600 "
                        + "(got \(LicTrackError.quoted(String(channelSeconds))))")
            }
            guard Self.batchSizeRange.contains(batchSize) else {
                throw ValidationError(
                    "--batch-size must be a whole number from 1 to 10000 (got \(LicTrackError.quoted(String(batchSize))))"
                )
            }
        }

        func run() throws {
            let options = AlertJob.Options(asOf: asOf, channelSeconds: channelSeconds, batchSize: batchSize)
            let connectionString = connection.connectionString
            let result = try AlertJob.run(options, connect: { try Database(url: connectionString) })
            AlertOutput.warnings(result).forEach(StandardError.writeLine)
            switch format {
            case .json:
                print(AlertOutput.json(result, asOf: asOf).rendered())
            case .table:
                for line in AlertOutput.table(result, asOf: asOf) { print(line) }
            }
        }
    }
}
