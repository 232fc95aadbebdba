import ArgumentParser

/// `lictrack report`: figures for managers, in every format from a terminal table to a printable page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports for managers: what is late, where, and for how long.",
        discussion: """
            Every report takes --as-of DATE, the filters --authority, --destination, --control-code and \
            --owner (repeat, or separate with commas), --format table|csv|json|md|html and --output FILE. \
            An unknown authority or destination is a usage error (exit 64), not an empty report. \
            See Docs/reports.md.
            """,
        subcommands: [
            ReportDelays.self, ReportAging.self, ReportAuthority.self, ReportThroughput.self,
            ReportEvidenceCommand.self,
        ]
    )
}
