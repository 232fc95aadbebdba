import Foundation
import LicTrackTestSupport
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Helpers shared by the fault suites: running the built binary against any connection string,
/// waiting for a condition, and reading the event log straight from PostgreSQL.
enum Fault {
    // MARK: Running lictrack

    /// Runs the built `lictrack` with `LICTRACK_DATABASE_URL` set to `url`.
    static func run(
        _ arguments: [String], url: String, environment: [String: String] = [:]
    ) throws -> LicTrackBinary.Outcome {
        try LicTrackBinary.run(arguments, environment: environment.merging(["LICTRACK_DATABASE_URL": url]) { $1 })
    }

    /// Starts the built `lictrack` without waiting for it.
    static func start(
        _ arguments: [String], url: String, environment: [String: String] = [:]
    ) -> LicTrackBinary.Running {
        LicTrackBinary.start(arguments, environment: environment.merging(["LICTRACK_DATABASE_URL": url]) { $1 })
    }

    /// Runs `lictrack` and requires exit 0.
    @discardableResult
    static func ok(
        _ arguments: [String], url: String, environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> LicTrackBinary.Outcome {
        let outcome = try run(arguments, url: url, environment: environment)
        try #require(
            outcome.status == 0, "lictrack \(arguments.joined(separator: " ")) failed: \(outcome)",
            sourceLocation: sourceLocation)
        return outcome
    }

    /// Standard output as a JSON object.
    static func object(
        _ outcome: LicTrackBinary.Outcome, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: Any] {
        try #require(
            try outcome.json() as? [String: Any], "not a JSON object: \(outcome)", sourceLocation: sourceLocation)
    }

    /// Whether standard error is exactly one `lictrack: error:` line, with no crash report.
    static func isOneErrorLine(_ text: String) -> Bool {
        guard text.hasSuffix("\n") else { return false }
        let line = text.dropLast()
        return !line.contains("\n") && line.hasPrefix("lictrack: error: ") && !text.contains("Fatal error")
    }

    // MARK: Waiting

    /// Polls `condition` every 50 ms until it holds or `seconds` pass; returns whether it held.
    static func waitUntil(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    // MARK: Files

    /// A fresh temporary directory, removed after `body`.
    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lictrack-fault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url)
    }

    /// Writes an executable shell script.
    static func script(_ url: URL, _ text: String) throws {
        try ("#!/bin/sh\n" + text).write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    /// The lines of a text file, or none when it does not exist.
    static func lines(of path: String) -> [String] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    // MARK: The event log

    /// One row of `application_events`, as the chain checks need it.
    struct LoggedEvent: Equatable, CustomStringConvertible {
        var seq: Int
        var event: String
        var from: String?
        var to: String

        var description: String { "\(seq) \(event) \(from ?? "-")->\(to)" }
    }

    /// An application's history in `seq` order, straight from the table.
    static func history(_ connection: PostgresConnection, _ id: Int64) throws -> [LoggedEvent] {
        try connection.query(
            """
            select seq, event, from_status, to_status from application_events
            where application_id = $1::bigint order by seq
            """, [id]
        ).map {
            LoggedEvent(
                seq: try $0.decode(Int.self, "seq"), event: try $0.decode(String.self, "event"),
                from: try $0.decodeIfPresent(String.self, "from_status"), to: try $0.decode(String.self, "to_status"))
        }
    }

    /// What is wrong with an application's chain, or nil when it is whole: `seq` runs 1...n, the
    /// first event is `create` into `draft`, each `from_status` is the previous `to_status`, and
    /// the application row's status and last `seq` are the chain's end.
    static func chainDefect(_ connection: PostgresConnection, _ id: Int64) throws -> String? {
        let chain = try history(connection, id)
        guard let first = chain.first else { return "application \(id) has no events" }
        if chain.map(\.seq) != Array(1...chain.count) { return "seq is not 1...\(chain.count): \(chain)" }
        if first.event != "create" || first.from != nil || first.to != "draft" {
            return "the first event is not create into draft: \(first)"
        }
        for (previous, next) in zip(chain, chain.dropFirst()) where next.from != previous.to {
            return "event \(next) does not start where \(previous) ended"
        }
        let row = try connection.query(
            "select status, last_event_seq from applications where id = $1::bigint", [id])[0]
        let status = try row.decode(String.self, "status")
        let lastSeq = try row.decode(Int.self, "last_event_seq")
        if status != chain.last?.to || lastSeq != chain.count {
            return "the application row says \(status) at seq \(lastSeq); the chain ends \(chain.last!)"
        }
        return nil
    }
}
