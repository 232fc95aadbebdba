import ArgumentParser

/// `lictrack calendar`: the working-day calendars clocks count on.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "List, show, import and add working-day calendars.",
        subcommands: []
    )
}
