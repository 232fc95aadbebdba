import Foundation
import LicTrackTestSupport
import Testing

/// The built `lictrack` against a test database, and the small history the report command tests share.
///
/// The history is made through the ordinary commands with backdated `--on` dates, as a user would
/// record it. Judged on Wednesday 2025-06-18 (BIS counts 90 calendar days from submission, ECJU 20
/// working days on GB-ENG, which has no holiday in June 2025):
///
/// | app | history | as of 2025-06-18 |
/// |---|---|---|
/// | A | BIS, submitted 03-10, asked for information 06-10 | deadline 06-08, 100 elapsed, breached 10 over with the pause open |
/// | B | BIS, submitted 03-20, approved 06-18 | decided on its deadline day (03-20 + 90): not open |
/// | C | BIS, submitted 05-01, stock runs out 07-20 (recorded 05-02) | 48 elapsed, 42 left; deadline 07-30, 10 days short |
/// | D | BIS, submitted 06-01 | 17 elapsed, 73 left |
/// | E | BIS, submitted 05-04 | 45 elapsed: exactly 50% of 90 |
/// | F | ECJU, submitted Monday 06-02 | 12 working days (06-03..06-18), 8 left, deadline 06-30 |
struct ReportFixture {
    static let asOf = "2025-06-18"
    /// Delta's applicant: a comma, an ampersand, angle brackets and accents, to be quoted and escaped.
    static let awkwardApplicant = "Müller & Söhne, <GmbH>"

    var a = 0
    var b = 0
    var c = 0
    var d = 0
    var e = 0
    var f = 0

    /// Records the history above in `db`.
    static func make(_ db: TestDatabase) throws -> ReportFixture {
        var fixture = ReportFixture()
        fixture.a = try create(db, "BIS", "Alpha Magnets", on: "2025-03-01")
        try run(db, ["app", "submit", String(fixture.a), "--on", "2025-03-10"])
        try run(db, ["app", "request-info", String(fixture.a), "--on", "2025-06-10"])
        fixture.b = try create(db, "BIS", "Bravo Ceramics", on: "2025-03-15")
        try run(db, ["app", "submit", String(fixture.b), "--on", "2025-03-20"])
        try run(db, ["app", "approve", String(fixture.b), "--on", "2025-06-18"])
        fixture.c = try create(db, "BIS", "Charlie Motors", on: "2025-04-20")
        try run(db, ["app", "submit", String(fixture.c), "--on", "2025-05-01"])
        try run(
            db,
            ["app", "stock", String(fixture.c), "--runs-out", "2025-07-20", "--feeds", "Line 3", "--on", "2025-05-02"])
        fixture.d = try create(db, "BIS", awkwardApplicant, on: "2025-05-20")
        try run(db, ["app", "submit", String(fixture.d), "--on", "2025-06-01"])
        fixture.e = try create(db, "BIS", "Echo Optics", on: "2025-05-01")
        try run(db, ["app", "submit", String(fixture.e), "--on", "2025-05-04"])
        fixture.f = try create(db, "ECJU", "Foxtrot Sensors", on: "2025-06-01")
        try run(db, ["app", "submit", String(fixture.f), "--on", "2025-06-02"])
        return fixture
    }

    /// Creates an application to Germany and returns its id.
    static func create(_ db: TestDatabase, _ authority: String, _ applicant: String, on day: String) throws -> Int {
        let outcome = try run(
            db,
            [
                "app", "create", "--authority", authority, "--applicant", applicant, "--destination", "DE", "--on", day,
                "--format", "json",
            ])
        let object = try #require(try outcome.json() as? [String: Any])
        return try #require((object["id"] as? NSNumber)?.intValue)
    }

    /// Runs lictrack and requires exit 0.
    @discardableResult
    static func run(
        _ db: TestDatabase?, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> LicTrackBinary.Outcome {
        let outcome = try LicTrackBinary.run(arguments, database: db)
        try #require(
            outcome.status == 0, "lictrack \(arguments.joined(separator: " ")) failed: \(outcome)",
            sourceLocation: sourceLocation)
        return outcome
    }

    /// A report's standard output, as of the fixture's day.
    static func report(
        _ db: TestDatabase, _ name: String, _ format: String, _ extra: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        try run(
            db, ["report", name, "--as-of", asOf, "--format", format] + extra, sourceLocation: sourceLocation
        ).stdout
    }

    /// A fresh folder for one test's files.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lictrack-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Checks an HTML report in headless Chromium: its SVGs are parsed and the page is painted.
    static func checkInChromium(_ html: String, name: String, svgs: Int) throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("\(name).html")
        let blank = folder.appendingPathComponent("blank.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        try "<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>".write(
            to: blank, atomically: true, encoding: .utf8)
        let dom = try HeadlessChromium.dumpDOM(page)
        #expect(dom.components(separatedBy: "<svg ").count - 1 == svgs)
        #expect(!dom.contains("<parsererror"))
        let png = try HeadlessChromium.screenshot(page, to: folder.appendingPathComponent("\(name).png"))
        let blankPNG = try HeadlessChromium.screenshot(blank, to: folder.appendingPathComponent("blank.png"))
        if let keep = ProcessInfo.processInfo.environment["LICTRACK_KEEP_SCREENSHOTS"] {
            let target = URL(fileURLWithPath: keep).appendingPathComponent("command-\(name).png")
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: folder.appendingPathComponent("\(name).png"), to: target)
        }
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        #expect(png.count > blankPNG.count * 5, "\(name): \(png.count) bytes, blank \(blankPNG.count) bytes")
    }
}
