import ArgumentParser
import LicTrackAlerts
import LicTrackCore
import LicTrackStore

extension AlertsCommand {
    /// `lictrack alerts check`: one line for Nagios-style monitoring.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "One status line for Nagios-style monitoring; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
            discussion: """
                Counts application cycles by their worst unacknowledged alert, including clocks whose alert \
                has fallen due but was not raised yet (the alert job is behind): CRITICAL if any is breached, \
                WARNING if any is due soon or at supply risk (its material runs out before the licence is \
                likely to come). Deliveries that have been failing for longer than --stale-after \
                make it at least a WARNING, naming the channel and its last error. Any error, the database \
                being down included, is UNKNOWN.
                """)

        @Option(
            name: .customLong("stale-after"),
            help: ArgumentHelp(
                "Warn about deliveries failing for longer than this: 90s, 30m, 1h, 2d, 1h30m (default 1h).",
                valueName: "duration"))
        var staleAfterText = "1h"
        @OptionGroup var connection: ConnectionOptions

        /// --stale-after, parsed (by validate()).
        var staleAfter: DurationArgument {
            DurationArgument(argument: staleAfterText) ?? DurationArgument(seconds: 3_600)
        }

        func validate() throws {
            guard DurationArgument(argument: staleAfterText) != nil else {
                throw ValidationError(
                    "--stale-after takes a duration such as 90s, 30m, 1h, 2d or 1h30m "
                        + "(got \(LicTrackError.quoted(staleAfterText)))")
            }
        }

        func run() throws {
            let counts: AlertCheckCounts
            let stale: [StaleDeliveries]
            do {
                let store = AlertStore(try connection.connect())
                counts = try store.checkCounts()
                stale = try store.staleDeliveries(olderThan: Double(staleAfter.seconds))
            } catch {
                let message = (error as? LicTrackError)?.description ?? "\(error)"
                print("LICTRACK UNKNOWN - \(AlertOutput.nagiosText(message))")
                throw CommandFailure(status: 3)
            }
            var perfdata = "| breached=\(counts.breached) due_soon=\(counts.dueSoon)"
            var parts: [String] = []
            var status: Int32 = 0
            if counts.breached > 0 {
                parts.append("\(counts.breached) breached, \(counts.dueSoon) due soon")
                status = 2
            } else if counts.dueSoon > 0 {
                parts.append("\(counts.dueSoon) due soon")
                status = 1
            }
            if counts.supplyRisk > 0 {
                parts.append("\(counts.supplyRisk) at supply risk")
                perfdata += " supply_risk=\(counts.supplyRisk)"
                status = max(status, 1)
            }
            if !stale.isEmpty {
                parts.append(AlertOutput.staleText(stale, after: staleAfter.text))
                perfdata += " stale_deliveries=\(stale.reduce(0) { $0 + $1.count })"
                status = max(status, 1)
            }
            switch status {
            case 0:
                print("LICTRACK OK - no pending alerts")
            case 1:
                print("LICTRACK WARNING - \(parts.joined(separator: "; ")) \(perfdata)")
            default:
                print("LICTRACK CRITICAL - \(parts.joined(separator: "; ")) \(perfdata)")
            }
            if status != 0 { throw CommandFailure(status: status) }
        }
    }
}
