import ArgumentParser
import LicTrackReports
import LicTrackStore

/// `lictrack db`: the database schema.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Migrate the database schema and show its state.",
        subcommands: [Migrate.self, Status.self]
    )

    /// `lictrack db migrate`.
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Apply pending migrations (safe to run again, and concurrently).",
            discussion: "The migrations are built into the binary; no files are needed at run time."
        )

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let db = try connection.connect()
            let migrator = Migrator(db)
            let applied = try migrator.migrate()
            let version = try migrator.status().filter { $0.status == .applied }.map(\.version).max() ?? 0
            switch output.format {
            case .json:
                print(
                    JSONValue.object([
                        (
                            "applied",
                            .array(
                                applied.map {
                                    .object([("version", .int(Int64($0.version))), ("name", .string($0.name))])
                                })
                        ),
                        ("version", .int(Int64(version))),
                    ]).rendered(), terminator: "")
            case .csv:
                var csv = CSVWriter(["version", "name"])
                for migration in applied { csv.append(["\(migration.version)", migration.name]) }
                print(csv.rendered(), terminator: "")
            case .table:
                if applied.isEmpty {
                    print("Database is up to date (version \(version)).")
                } else {
                    for migration in applied { print("Applied \(migration.fileName)") }
                    print("Database is at version \(version).")
                }
            }
        }
    }

    /// `lictrack db status`.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "List applied and pending migrations.")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let states = try Migrator(try connection.connect()).status()
            switch output.format {
            case .json:
                print(
                    JSONValue.array(
                        states.map {
                            .object([
                                ("version", .int(Int64($0.version))), ("name", .string($0.name)),
                                ("status", .string($0.status.rawValue)), ("applied_at", JSONValue($0.appliedAt)),
                                ("applied_by", JSONValue($0.appliedBy)),
                            ])
                        }
                    ).rendered())
            case .csv:
                var csv = CSVWriter(["version", "name", "status", "applied_at", "applied_by"])
                for state in states {
                    csv.append([
                        "\(state.version)", state.name, state.status.rawValue,
                        state.appliedAt.map(Timestamp.iso8601) ?? "", state.appliedBy ?? "",
                    ])
                }
                print(csv.rendered(), terminator: "")
            case .table:
                var table = TextTable(["VERSION", "NAME", "STATUS", "APPLIED AT", "BY"])
                for state in states {
                    table.append([
                        "\(state.version)", state.name, state.status.rawValue,
                        state.appliedAt.map(Timestamp.iso8601) ?? "", state.appliedBy ?? "",
                    ])
                }
                print(table.rendered())
            }
            if states.contains(where: { $0.status == .changed || $0.status == .unknown }) {
                throw CommandFailure(status: ExitStatus.configuration.rawValue)
            }
            // Pending migrations: the list says which; the status lets a deploy script tell
            // "up to date" (0) from "run db migrate" (1) without parsing it.
            if states.contains(where: { $0.status == .pending }) {
                throw CommandFailure(status: ExitStatus.migrationsPending.rawValue)
            }
        }
    }
}
