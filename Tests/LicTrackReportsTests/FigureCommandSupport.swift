import Foundation
import LicTrackTestSupport
import Postgres
import Testing

// Helpers for the end-to-end suites of `report authority` and `report throughput`: fixtures
// written the way a psql user would (INSERT INTO applications, then one backdated INSERT INTO
// application_events per event, so the triggers apply each transition and refresh the clock),
// and the built binary run on them.

enum FigureCommand {
    /// An application of `authority` with its events in order: `[("submit", "2025-01-15"), ...]`.
    @discardableResult
    static func application(
        _ database: TestDatabase, authority: String, destination: String = "DE", events: [(String, String)]
    ) throws -> Int64 {
        let connection = try database.connect()
        defer { connection.close() }
        let id = try connection.query(
            """
            insert into applications (authority, licence_type, applicant, destination, created_on)
            values ($1, 'single', 'Müller & Söhne <GmbH>', $2, '2024-06-03'::date)
            returning id
            """, [authority, destination]
        )[0].decode(Int64.self, "id")
        for (event, date) in events {
            try connection.execute(
                """
                insert into application_events (application_id, event, occurred_on)
                values ($1::bigint, $2, $3::date)
                """, [id, event, date])
        }
        return id
    }

    /// Runs `lictrack report ARGUMENTS` and requires exit 0 and nothing on standard error.
    static func run(
        _ arguments: [String], _ database: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> LicTrackBinary.Outcome {
        let outcome = try LicTrackBinary.run(["report"] + arguments, database: database)
        try #require(
            outcome.status == 0, "report \(arguments.joined(separator: " ")) failed: \(outcome)",
            sourceLocation: sourceLocation)
        #expect(outcome.stderr.isEmpty, "\(outcome.stderr)", sourceLocation: sourceLocation)
        return outcome
    }

    /// The JSON document `lictrack report ARGUMENTS --format json` prints.
    static func json(
        _ arguments: [String], _ database: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: Any] {
        let outcome = try run(arguments + ["--format", "json"], database, sourceLocation: sourceLocation)
        return try #require(
            try outcome.json() as? [String: Any], "not a JSON object: \(outcome.stdout)",
            sourceLocation: sourceLocation)
    }

    /// The CSV records `lictrack report ARGUMENTS --format csv` prints, as maps from the header row's names.
    static func csv(
        _ arguments: [String], _ database: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (header: [String], rows: [[String: String]]) {
        let outcome = try run(arguments + ["--format", "csv"], database, sourceLocation: sourceLocation)
        let records = try FormatParsers.csv(outcome.stdout)
        let header = try #require(records.first, "no header row", sourceLocation: sourceLocation)
        for record in records.dropFirst() {
            #expect(record.count == header.count, "\(record)", sourceLocation: sourceLocation)
        }
        return (header, records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
    }

    /// The HTML page `lictrack report ARGUMENTS --format html` prints, parsed by an XML parser.
    static func html(
        _ arguments: [String], _ database: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (text: String, tree: XMLTree) {
        let outcome = try run(arguments + ["--format", "html"], database, sourceLocation: sourceLocation)
        let tree = try XMLTree.parse(outcome.stdout).get()
        return (outcome.stdout, tree)
    }

    /// Writes the HTML report to a file, renders it in headless Chromium and checks the DOM and a screenshot.
    static func checkInChromium(
        _ arguments: [String], _ database: TestDatabase, name: String, charts: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lictrack-\(name)-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("\(name).html")
        _ = try run(arguments + ["--format", "html", "--output", page.path], database, sourceLocation: sourceLocation)
        let dom = try HeadlessChromium.dumpDOM(page)
        #expect(dom.components(separatedBy: "<svg ").count - 1 == charts, sourceLocation: sourceLocation)
        #expect(dom.components(separatedBy: "</svg>").count - 1 == charts, sourceLocation: sourceLocation)
        #expect(!dom.contains("<parsererror"), sourceLocation: sourceLocation)
        let blank = folder.appendingPathComponent("blank.html")
        try "<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>".write(
            to: blank, atomically: true, encoding: .utf8)
        let png = try HeadlessChromium.screenshot(page, to: folder.appendingPathComponent("\(name).png"))
        let blankPNG = try HeadlessChromium.screenshot(blank, to: folder.appendingPathComponent("blank.png"))
        if let keep = ProcessInfo.processInfo.environment["LICTRACK_KEEP_SCREENSHOTS"] {
            let target = URL(fileURLWithPath: keep).appendingPathComponent("\(name).png")
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: folder.appendingPathComponent("\(name).png"), to: target)
        }
        #expect(PNGHeader(png)?.width == 1240, sourceLocation: sourceLocation)
        #expect(
            png.count > blankPNG.count * 5, "\(png.count) vs blank \(blankPNG.count)", sourceLocation: sourceLocation)
    }

    /// Checks the contract of a failed report: the exit status, one `lictrack: error:` line naming `option`, no output.
    static func expectUsageError(
        _ arguments: [String], _ database: TestDatabase?, naming option: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let outcome = try LicTrackBinary.run(["report"] + arguments, database: database)
        #expect(outcome.status == 64, "\(outcome)", sourceLocation: sourceLocation)
        #expect(outcome.stdout.isEmpty, sourceLocation: sourceLocation)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(outcome.stderr.hasPrefix("lictrack: error:"), "\(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(outcome.stderr.contains(option), "\(outcome.stderr)", sourceLocation: sourceLocation)
    }

    /// An integer from JSONSerialization's output.
    static func int(_ value: Any?) -> Int? {
        (value as? NSNumber).map(\.intValue)
    }

    /// A number from JSONSerialization's output (null is nil).
    static func number(_ value: Any?) -> Double? {
        (value as? NSNumber).map(\.doubleValue)
    }
}
