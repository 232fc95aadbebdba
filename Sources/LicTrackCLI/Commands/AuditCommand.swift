import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

/// `lictrack audit`: the event log's tamper evidence (migration 0021, Docs/operations.md).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify the event log's hash chains and anchor their heads outside the database.",
        subcommands: [Verify.self, Anchor.self]
    )

    /// `lictrack audit verify`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute every application's hash chain and name each event changed, removed or moved.",
            discussion: """
                Problems: changed, removed, inserted, reordered, chain_broken; with --anchor also rewritten \
                (the history up to an anchored event was rewritten) and removed. Exit status 0 when every chain \
                is intact (and matches the anchor), 1 when any problem is found (the list is printed), 64 or 65 \
                for an unreadable or malformed anchor file.
                """
        )

        @Option(
            help: ArgumentHelp(
                "Check only this application (id or authority reference).", valueName: "app"))
        var application: String?
        @Option(
            help: ArgumentHelp(
                "Also compare each chain with the heads in this file from 'lictrack audit anchor'.",
                valueName: "file"))
        var anchor: String?
        @Option(help: "Output format: table or json.") var format: Format = .table
        @OptionGroup var connection: ConnectionOptions

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table, json
        }

        func run() throws {
            let anchored = try anchor.map(AnchorFile.read)
            let db = try connection.connect()
            let store = AuditStore(db)
            let applicationID = try application.map { try Self.resolve($0, store, ApplicationStore(db)) }
            let result = try store.verify(applicationID: applicationID, anchor: anchored?.heads ?? [])
            if let anchored,
                anchored.systemIdentifier != result.systemIdentifier || anchored.database != result.database
            {
                StandardError.writeLine(
                    "lictrack: warning: the anchor was taken of database \(LicTrackError.quoted(anchored.database)) "
                        + "(system \(anchored.systemIdentifier)), this is \(LicTrackError.quoted(result.database)) "
                        + "(system \(result.systemIdentifier))")
            }
            switch format {
            case .json: print(Self.json(result, applicationID: applicationID, anchor: anchored).rendered())
            case .table: print(Self.table(result, anchor: anchored))
            }
            if !result.problems.isEmpty { throw CommandFailure(status: ExitStatus.historyBroken.rawValue) }
        }

        /// An id names a chain even when its application row is gone; anything else is resolved as APP.
        static func resolve(_ key: String, _ store: AuditStore, _ applications: ApplicationStore) throws -> Int64 {
            let trimmed = key.trimmed
            if let id = Int64(trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : trimmed), id > 0,
                try store.exists(applicationID: id)
            {
                return id
            }
            return try applications.resolve(key)
        }

        static func json(_ result: ChainVerification, applicationID: Int64?, anchor: AnchorFile.Contents?) -> JSONValue
        {
            .object([
                ("intact", .bool(result.problems.isEmpty)),
                ("database", .string(result.database)),
                ("system_identifier", .string(result.systemIdentifier)),
                ("application_id", JSONValue(applicationID)),
                ("chains", .int(Int64(result.chains))),
                ("events", .int(Int64(result.events))),
                (
                    "anchor",
                    anchor.map {
                        .object([
                            ("taken_at", .string($0.takenAt)), ("database", .string($0.database)),
                            ("system_identifier", .string($0.systemIdentifier)),
                            ("chains", .int(Int64($0.heads.count))),
                        ])
                    } ?? .null
                ),
                (
                    "problems",
                    .array(
                        result.problems.map {
                            .object([
                                ("application_id", .int($0.applicationID)), ("seq", .int(Int64($0.seq))),
                                ("problem", .string($0.problem)), ("detail", .string($0.detail)),
                            ])
                        })
                ),
            ])
        }

        static func table(_ result: ChainVerification, anchor: AnchorFile.Contents?) -> String {
            let checked =
                "\(result.events) \(result.events == 1 ? "event" : "events") in \(result.chains) "
                + (result.chains == 1 ? "chain" : "chains")
                + (anchor.map { " against the anchor of \($0.takenAt) (\($0.heads.count) heads)" } ?? "")
            guard !result.problems.isEmpty else { return "Verified \(checked): intact." }
            var table = TextTable(["APPLICATION", "SEQ", "PROBLEM", "DETAIL"])
            for problem in result.problems {
                table.append(["\(problem.applicationID)", "\(problem.seq)", problem.problem, problem.detail])
            }
            let broken = Set(result.problems.map(\.applicationID)).count
            let count = result.problems.count
            return table.rendered() + "\n"
                + "Verified \(checked): \(count) \(count == 1 ? "problem" : "problems") in \(broken) "
                + (broken == 1 ? "application." : "applications.")
        }
    }

    /// `lictrack audit anchor`.
    struct Anchor: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "anchor",
            abstract: "Print (or write) the head hash of every application's chain, to keep outside the database.",
            discussion: """
                JSON lines: a header (taken_at, database, system_identifier, chains, events), then one line per \
                chain: application_id, seq and hash of its last event. 'lictrack audit verify --anchor FILE' \
                compares the chains with it later.
                """
        )

        @Option(
            help: ArgumentHelp(
                "Write the anchor to this file (complete or not at all) instead of standard output.",
                valueName: "file"))
        var output: String?
        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let destination = try output.map(ReportDestination.file) ?? .standardOutput()
            var taken: AnchorHeader?
            do {
                try AuditStore(try connection.connect()).anchor(
                    header: {
                        taken = $0
                        try destination.write(AnchorFile.headerLine($0) + "\n")
                    },
                    head: { try destination.write(AnchorFile.headLine($0) + "\n") })
                try destination.commit()
            } catch {
                destination.discard()
                throw error
            }
            if let output, let taken {
                print(
                    "Anchored \(taken.chains) \(taken.chains == 1 ? "chain" : "chains") (\(taken.events) events) of "
                        + "\(taken.database) at \(Timestamp.iso8601(taken.takenAt)) in \(output).")
            }
        }
    }
}
