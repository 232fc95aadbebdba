import ArgumentParser

/// `lictrack alerts`: SLA alerts, their delivery channels and monitoring.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Raise, deliver, list and acknowledge SLA alerts.",
        subcommands: []
    )
}
