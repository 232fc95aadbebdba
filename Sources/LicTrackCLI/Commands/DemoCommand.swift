import ArgumentParser
import LicTrackCore
import LicTrackDemo
import LicTrackStore

/// `lictrack demo`: demonstration data.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Demonstration data.",
        subcommands: [DemoSeed.self]
    )
}

/// `lictrack demo seed`.
struct DemoSeed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill an empty database with a realistic, reproducible history.",
        discussion: """
            Writes N applications with their histories through the same inserts and triggers as every other \
            command: MOFCOM rare-earth and magnet applications from April 2025 (decided 2.5 to 4 months after \
            submission, with more returns and requests for information from September 2025), and BIS, ECJU and \
            BAFA applications with their own patterns, some with a stock date. The same --seed, --from and day \
            give the same data. Refuses a database that already holds applications unless --force.
            """
    )

    @Option(parsing: .unconditional, help: "How many applications to write.") var applications: Int = 300
    @Option(help: "The random seed: the same seed gives the same data.") var seed: UInt64 = 1
    @Option(
        help: ArgumentHelp("The first day of the history (default 2025-04-01).", valueName: "date"))
    var from: CivilDate?
    @Flag(help: "Add to a database that already holds applications.") var force = false
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard (1...100_000).contains(applications) else {
            throw ValidationError("--applications: \(applications) is out of range (expected 1 to 100000)")
        }
    }

    func run() throws {
        let database = try connection.connect()
        defer { database.close() }
        let bar = ProgressBar(label: "applications")
        let summary = try DemoSeeder(database).run(
            .init(applications: applications, seed: seed, from: from, force: force),
            progress: { bar.update($0, of: $1) })
        bar.finish()
        print(
            "Seeded \(summary.applications) applications (\(summary.events) events, \(summary.stockRecords) stock "
                + "records) from \(summary.first) to \(summary.last) with seed \(seed): "
                + "\(summary.applications - summary.open) decided, \(summary.open) open.")
    }
}
