import Foundation
import LicTrackTestSupport
import Postgres
import Testing

// Helpers shared by the end-to-end suites: running the built binary, reading its JSON, and
// looking at the database directly to prove that a failed command wrote nothing.

typealias Outcome = LicTrackBinary.Outcome

/// Runs the built `lictrack` with `arguments` against `database`.
@discardableResult
func lictrack(
    _ arguments: [String], database: TestDatabase?, environment: [String: String] = [:], stdin: String? = nil,
    currentDirectory: URL? = nil
) throws -> Outcome {
    try LicTrackBinary.run(
        arguments, database: database, environment: environment, stdin: stdin, currentDirectory: currentDirectory)
}

/// Runs `lictrack` and requires it to succeed (exit 0); the failure message shows what it printed.
@discardableResult
func lictrackOK(
    _ arguments: [String], database: TestDatabase?, environment: [String: String] = [:], stdin: String? = nil,
    currentDirectory: URL? = nil, sourceLocation: SourceLocation = #_sourceLocation
) throws -> Outcome {
    let outcome = try lictrack(
        arguments, database: database, environment: environment, stdin: stdin, currentDirectory: currentDirectory)
    try #require(
        outcome.status == 0, "lictrack \(arguments.joined(separator: " ")) failed: \(outcome)",
        sourceLocation: sourceLocation)
    return outcome
}

/// Checks the contract of every failure: the exit status, and exactly one non-empty line on
/// standard error that starts with `lictrack: error:`, with no crash report.
func expectFailure(
    _ outcome: Outcome, status: Int32, _ command: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        outcome.status == status, "\(command): expected exit \(status), got \(outcome)", sourceLocation: sourceLocation)
    #expect(
        isOneErrorLine(outcome.stderr),
        "\(command): stderr is not one 'lictrack: error:' line: \(outcome.stderr.debugDescription)",
        sourceLocation: sourceLocation)
    #expect(!outcome.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
    #expect(!outcome.stderr.contains("Stack dump"), sourceLocation: sourceLocation)
}

/// Whether `text` is exactly one non-empty line (with its newline) starting with `lictrack: error:`.
func isOneErrorLine(_ text: String) -> Bool {
    guard text.hasSuffix("\n") else { return false }
    let line = text.dropLast()
    return !line.contains("\n") && !line.contains("\r") && line.hasPrefix("lictrack: error:")
        && line.count > "lictrack: error:".count
}

// MARK: - Applications

/// Creates an application with `app create --format json` and returns its id.
func createApplication(
    _ database: TestDatabase, authority: String = "BIS", destination: String = "DE", on date: String = "2025-04-01",
    extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
) throws -> Int {
    let outcome = try lictrackOK(
        [
            "app", "create", "--authority", authority, "--applicant", "Acme Export GmbH", "--destination", destination,
            "--on", date, "--format", "json",
        ] + extra,
        database: database, sourceLocation: sourceLocation)
    let object = try #require(try outcome.json() as? [String: Any], sourceLocation: sourceLocation)
    return try #require(int(object["id"]), "no integer id in \(outcome.stdout)", sourceLocation: sourceLocation)
}

/// The id in what `app create --format json` printed.
func createdID(_ outcome: Outcome, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
    let object = try #require(try outcome.json() as? [String: Any], "\(outcome.stdout)", sourceLocation: sourceLocation)
    return try #require(int(object["id"]), "no integer id in \(outcome.stdout)", sourceLocation: sourceLocation)
}

/// `app show ID --format json`, parsed.
func show(
    _ app: String, _ database: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation
) throws -> [String: Any] {
    let outcome = try lictrackOK(
        ["app", "show", app, "--format", "json"], database: database, sourceLocation: sourceLocation)
    return try #require(
        try outcome.json() as? [String: Any], "not a JSON object: \(outcome.stdout)", sourceLocation: sourceLocation)
}

func show(
    _ id: Int, _ database: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation
) throws -> [String: Any] {
    try show(String(id), database, sourceLocation: sourceLocation)
}

/// `app list --format json` with `arguments`, parsed.
func list(
    _ arguments: [String], _ database: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation
) throws -> [[String: Any]] {
    let outcome = try lictrackOK(
        ["app", "list", "--format", "json"] + arguments, database: database, sourceLocation: sourceLocation)
    return try #require(
        try outcome.json() as? [[String: Any]], "not a JSON array: \(outcome.stdout)", sourceLocation: sourceLocation)
}

/// The ids `app list --format json` prints for `arguments`, in order.
func listedIDs(
    _ arguments: [String], _ database: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation
) throws -> [Int] {
    try list(arguments, database, sourceLocation: sourceLocation).compactMap { int($0["id"]) }
}

/// The `events` array of a shown application.
func events(_ shown: [String: Any]) -> [[String: Any]] {
    shown["events"] as? [[String: Any]] ?? []
}

/// The `items` array of a shown application.
func items(_ shown: [String: Any]) -> [[String: Any]] {
    shown["items"] as? [[String: Any]] ?? []
}

/// An integer from JSONSerialization's output, whichever type it chose.
func int(_ value: Any?) -> Int? {
    switch value {
    case let value as Int: return value
    case let value as Int64: return Int(value)
    case let value as NSNumber: return value.intValue
    default: return nil
    }
}

// MARK: - The database, directly

/// How many rows the tables that commands write to hold.
struct RowCounts: Equatable, CustomStringConvertible {
    var applications: Int
    var events: Int
    var items: Int

    var description: String { "applications=\(applications) events=\(events) items=\(items)" }
}

/// Counts applications, events and items straight from PostgreSQL.
func rowCounts(_ database: TestDatabase) throws -> RowCounts {
    let connection = try database.connect()
    defer { connection.close() }
    let row = try connection.query(
        """
        select (select count(*) from applications) as applications,
               (select count(*) from application_events) as events,
               (select count(*) from application_items) as items
        """)[0]
    return RowCounts(
        applications: try row.decode(Int.self, "applications"), events: try row.decode(Int.self, "events"),
        items: try row.decode(Int.self, "items"))
}

/// A single text value from a query on `database`.
func queryText(_ database: TestDatabase, _ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> String?
{
    let connection = try database.connect()
    defer { connection.close() }
    let rows = try connection.query(sql, parameters)
    guard let row = rows.first else { return nil }
    return row[rows.columnNames[0]]
}

// MARK: - Dates

/// A date `days` after today (UTC) as YYYY-MM-DD; ±10 days is far enough from every time zone's today.
func isoDate(daysFromToday days: Int) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let date = calendar.date(byAdding: .day, value: days, to: Date())!
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
}
