import ArgumentParser

/// `lictrack policy`: how each authority's clock is counted.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "List, show and change SLA policies.",
        subcommands: []
    )
}
