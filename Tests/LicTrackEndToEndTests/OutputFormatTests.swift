import Foundation
import LicTrackTestSupport
import Testing

/// `--format json|csv|table`: the same applications in each of the three output formats.
@Suite("Output formats")
struct OutputFormatTests {
    /// Two applications, one with an applicant that needs CSV quoting.
    static func fixture(_ db: TestDatabase) throws -> (Int, Int) {
        let plain = try createApplication(
            db, authority: "BIS", destination: "DE", on: "2025-04-01", extra: ["--owner", "ann"])
        let quoted = try lictrackOK(
            [
                "app", "create", "--authority", "ECJU", "--applicant", "Smith, Jones & \"Partners\"", "--destination",
                "FR",
                "--on", "2025-04-02", "--authority-ref", "GB/1", "--item", "Valve", "--format", "json",
            ],
            database: db)
        let id = try createdID(quoted)
        try lictrackOK(["app", "submit", String(plain), "--on", "2025-04-03"], database: db)
        return (plain, id)
    }

    @Test("app list --format json: one object per application with documented keys")
    func listJSON() throws {
        try TestDatabase.with { db in
            let (plain, quoted) = try Self.fixture(db)
            let rows = try list([], db)
            try #require(rows.count == 2)
            for key in [
                "id", "authority", "status", "status_since", "applicant", "destination", "authority_reference",
                "owner", "created_on", "last_event_on", "items",
            ] {
                #expect(rows.allSatisfy { $0.keys.contains(key) }, "missing \(key)")
            }
            #expect(int(rows[0]["id"]) == plain)
            #expect(rows[0]["status"] as? String == "submitted")
            #expect(rows[0]["owner"] as? String == "ann")
            #expect(rows[0]["last_event_on"] as? String == "2025-04-03")
            #expect(int(rows[0]["items"]) == 0)
            #expect(int(rows[1]["id"]) == quoted)
            #expect(rows[1]["applicant"] as? String == "Smith, Jones & \"Partners\"")
            #expect(rows[1]["owner"] is NSNull)
            #expect(int(rows[1]["items"]) == 1)
        }
    }

    @Test("app list --format json prints [] when nothing matches")
    func listJSONEmpty() throws {
        try TestDatabase.with { db in
            let outcome = try lictrackOK(["app", "list", "--format", "json"], database: db)
            let rows = try outcome.json() as? [Any]
            #expect(rows?.isEmpty == true, "\(outcome.stdout)")
        }
    }

    @Test("app list --format csv: a header and one correctly quoted row per application")
    func listCSV() throws {
        try TestDatabase.with { db in
            let (plain, quoted) = try Self.fixture(db)
            let outcome = try lictrackOK(["app", "list", "--format", "csv"], database: db)
            let rows = parseCSV(outcome.stdout)
            try #require(rows.count == 3, "\(outcome.stdout)")
            let header = rows[0]
            #expect(header.first == "id")
            for column in ["authority", "status", "applicant", "destination", "owner", "created_on"] {
                #expect(header.contains(column), "no \(column) column")
            }
            #expect(rows.allSatisfy { $0.count == header.count }, "ragged CSV: \(rows)")
            let applicant = try #require(header.firstIndex(of: "applicant"))
            let status = try #require(header.firstIndex(of: "status"))
            let reference = try #require(header.firstIndex(of: "authority_reference"))
            #expect(rows[1][0] == String(plain))
            #expect(rows[1][status] == "submitted")
            #expect(rows[2][0] == String(quoted))
            #expect(rows[2][applicant] == "Smith, Jones & \"Partners\"")
            #expect(rows[2][reference] == "GB/1")
        }
    }

    @Test("app list --format table: aligned columns with a header")
    func listTable() throws {
        try TestDatabase.with { db in
            let (plain, quoted) = try Self.fixture(db)
            for arguments in [["app", "list"], ["app", "list", "--format", "table"]] {
                let outcome = try lictrackOK(arguments, database: db)
                let lines = outcome.stdout.split(separator: "\n").map(String.init)
                try #require(lines.count == 3, "\(outcome.stdout)")
                #expect(lines[0].hasPrefix("ID"))
                #expect(lines[0].contains("STATUS"))
                #expect(lines[1].hasPrefix("\(plain) ") && lines[1].contains("submitted"))
                #expect(lines[2].hasPrefix("\(quoted) ") && lines[2].contains("Smith, Jones"))
                // Aligned: the STATUS column starts at the same offset on every line.
                let offset = lines[0].range(of: "STATUS")!.lowerBound.utf16Offset(in: lines[0])
                #expect(lines[1].range(of: "submitted")?.lowerBound.utf16Offset(in: lines[1]) == offset)
                #expect(lines[2].range(of: "draft")?.lowerBound.utf16Offset(in: lines[2]) == offset)
            }
        }
    }

    @Test("event verbs report the event in each format")
    func eventVerbFormats() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, on: "2025-04-01")
            let json = try lictrackOK(
                ["app", "submit", String(id), "--on", "2025-04-02", "--format", "json"], database: db)
            let object = try #require(try json.json() as? [String: Any])
            #expect(int(object["seq"]) == 2)
            #expect(object["event"] as? String == "submit")

            let csv = try lictrackOK(
                ["app", "accept", String(id), "--on", "2025-04-03", "--format", "csv"], database: db)
            let rows = parseCSV(csv.stdout)
            #expect(rows.first == ["id", "seq", "event", "from", "to", "on"])
            #expect(rows.dropFirst().first == [String(id), "3", "accept", "submitted", "under_review", "2025-04-03"])

            let table = try lictrackOK(["app", "approve", String(id), "--on", "2025-04-04"], database: db)
            #expect(table.stdout.contains("under_review -> approved"), "\(table.stdout)")
        }
    }

    @Test("an unknown --format is a usage error (64)")
    func unknownFormat() throws {
        try TestDatabase.with { db in
            expectFailure(try lictrack(["app", "list", "--format", "xml"], database: db), status: 64, "--format xml")
        }
    }
}
