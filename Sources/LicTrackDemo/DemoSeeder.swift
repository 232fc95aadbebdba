import LicTrackCore
import LicTrackStore
import Postgres

/// Writes a demo history into a database through the normal store calls, so that every trigger
/// (the status machine, the date rules, the clocks) checks it as it checks a clerk's work.
///
/// A feature module, like the alert job: the CLI's `demo seed` parses options, calls ``run(_:)``
/// and prints the ``Summary``.
public struct DemoSeeder {
    /// What to seed.
    public struct Options: Sendable {
        public var applications: Int
        public var seed: UInt64
        /// The first day of the history (default 2025-04-01, when MOFCOM's licence requirement began).
        public var from: CivilDate
        /// Add to a database that already holds applications.
        public var force: Bool

        public init(applications: Int, seed: UInt64, from: CivilDate? = nil, force: Bool = false) {
            self.applications = applications
            self.seed = seed
            self.from = from ?? CivilDate(year: 2025, month: 4, day: 1)!
            self.force = force
        }
    }

    /// What was written.
    public struct Summary: Sendable, Equatable {
        public var applications: Int
        public var events: Int
        public var open: Int
        public var stockRecords: Int
        public var first: CivilDate
        public var last: CivilDate
    }

    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// A store on an open database.
    public init(_ database: Database) {
        self.init(connection: database.connection)
    }

    /// Seeds the database; `progress` is called after each application with (done, total).
    ///
    /// The history ends on the earliest "today" of the four authorities' time zones, so that no
    /// event is in any authority's future. Each application is its own transactions, as a clerk's
    /// would be: a failure stops the run and leaves the applications written so far.
    public func run(_ options: Options, progress: (Int, Int) -> Void = { _, _ in }) throws -> Summary {
        let store = ApplicationStore(connection: connection)
        let existing = try LicTrackError.translating {
            try connection.query("select count(*) as n from applications")[0].decode(Int.self, "n")
        }
        if existing > 0 && !options.force {
            throw LicTrackError(
                .invalidInput, "the database already holds \(existing) applications; demo seed fills an empty one",
                hint: "pass --force to add the demo applications anyway")
        }
        let last = try ["MOFCOM", "BIS", "ECJU", "BAFA"].map { try store.today(forAuthority: $0) }.min()!
        guard options.from < last else {
            throw LicTrackError(
                .usage, "--from: \(options.from) is not before today (\(last))", hint: "expected a past date")
        }
        let plan = DemoPlan(seed: options.seed, first: options.from, last: last)
        var summary = Summary(applications: 0, events: 0, open: 0, stockRecords: 0, first: options.from, last: last)
        let planned = plan.applications(count: options.applications)
        for (index, application) in planned.enumerated() {
            let id = try store.create(application.draft, actor: application.draft.owner)
            var stockPending = application.stock
            for event in application.events {
                _ = try store.record(
                    EventInput(
                        event: event.event, on: .date(event.on), note: event.note, actor: event.actor,
                        authorityReference: event.authorityReference, reason: event.reason),
                    for: id)
                summary.events += 1
                // The stock is recorded on the day of submission, after the submission.
                if let stock = stockPending, stock.recordedOn <= event.on {
                    try record(stock, for: id, store: store)
                    summary.stockRecords += 1
                    stockPending = nil
                }
            }
            summary.applications += 1
            if !application.isDecided { summary.open += 1 }
            progress(index + 1, planned.count)
        }
        return summary
    }

    /// Records when the application's material runs out (a `stock` event).
    private func record(_ stock: PlannedApplication.Stock, for id: Int64, store: ApplicationStore) throws {
        var input = EventInput(event: .stock, on: .date(stock.recordedOn))
        input.stockRunsOut = stock.runsOut
        input.feeds = stock.feeds
        _ = try store.record(input, for: id)
    }
}
