import Foundation
import LicTrackTestSupport
import Testing

/// `lictrack app create`: from flags, from a JSON file and from standard input.
@Suite("app create")
struct AppCreateTests {
    /// A draft with three items whose amounts carry significant trailing zeros.
    static let draftJSON = """
        {
          "authority": "ECJU",
          "applicant": "Acme Export Ltd",
          "destination": "cn",
          "licence_type": "single",
          "exporter": "Acme Components Ltd",
          "consignee": "Shanghai Trading Co",
          "end_user": "Shanghai Institute",
          "end_use": "Research",
          "authority_reference": "GBSIEL/2025/0000123/P",
          "owner": "compliance-team",
          "created_on": "2025-03-03",
          "items": [
            {"description": "Frequency changer", "control_code": "3A225", "hs_code": "8504.40.90",
             "quantity": "2", "unit": "pcs", "value": "182500.00", "currency": "GBP"},
            {"description": "Spare boards", "quantity": "10.50", "unit": "kg", "value": "0.10", "currency": "usd"},
            {"description": "Manuals"}
          ]
        }
        """

    @Test("--format json prints an object with the new id")
    func createPrintsJSONWithID() throws {
        try TestDatabase.with { db in
            let outcome = try lictrackOK(
                [
                    "app", "create", "--authority", "bis", "--applicant", "Acme", "--destination", "de", "--format",
                    "json",
                ],
                database: db)
            #expect(outcome.stderr.isEmpty)
            let object = try #require(try outcome.json() as? [String: Any], "\(outcome.stdout)")
            let id = try #require(int(object["id"]))
            #expect(id > 0)
            #expect(object["status"] as? String == "draft")
            #expect(object["authority"] as? String == "BIS")

            let shown = try show(id, db)
            #expect(int(shown["id"]) == id)
            #expect(shown["status"] as? String == "draft")
            #expect(shown["destination"] as? String == "DE")
            #expect(events(shown).map { $0["event"] as? String } == ["create"])
            #expect(try rowCounts(db).applications == 1)
        }
    }

    @Test("one item from --item, --control-code, --hs-code, --quantity, --unit, --value and --currency")
    func createWithItemFlags() throws {
        try TestDatabase.with { db in
            let id = try createApplication(
                db, authority: "BAFA", destination: "US", on: "2025-02-14",
                extra: [
                    "--item", "Servo amplifier", "--control-code", "2B001.a", "--hs-code", "8504.40.30",
                    "--quantity", "3.000", "--unit", "pcs", "--value", "182500.00", "--currency", "eur",
                ])
            let shown = try show(id, db)
            #expect(shown["authority"] as? String == "BAFA")
            #expect(shown["created_on"] as? String == "2025-02-14")
            let item = try #require(items(shown).first)
            #expect(items(shown).count == 1)
            #expect(int(item["line"]) == 1)
            #expect(item["description"] as? String == "Servo amplifier")
            #expect(item["control_code"] as? String == "2B001.a")
            #expect(item["hs_code"] as? String == "85044030")
            #expect(item["quantity"] as? String == "3.000")
            #expect(item["unit"] as? String == "pcs")
            #expect(item["value"] as? String == "182500.00")
            #expect(item["currency"] as? String == "EUR")
            #expect(events(shown).count == 1, "items given at creation are part of the create event")
        }
    }

    @Test("--from-file with several items keeps every amount exactly as written")
    func createFromFile() throws {
        try TestDatabase.with { db in
            let file = FileManager.default.temporaryDirectory
                .appendingPathComponent("lictrack-e2e-\(UUID().uuidString).json")
            try Self.draftJSON.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }

            let outcome = try lictrackOK(["app", "create", "--from-file", file.path, "--format", "json"], database: db)
            let id = try createdID(outcome)
            try Self.expectDraftFromJSON(try show(id, db))
            // The authority reference from the file finds it too.
            let byReference = try show("gbsiel/2025/0000123/p", db)
            #expect(int(byReference["id"]) == id)
        }
    }

    @Test("--from-file - reads standard input")
    func createFromStandardInput() throws {
        try TestDatabase.with { db in
            let outcome = try lictrackOK(
                ["app", "create", "--from-file", "-", "--format", "json"], database: db, stdin: Self.draftJSON)
            let id = try createdID(outcome)
            try Self.expectDraftFromJSON(try show(id, db))
        }
    }

    @Test("flags given with --from-file override the file")
    func flagsOverrideFile() throws {
        try TestDatabase.with { db in
            let outcome = try lictrackOK(
                [
                    "app", "create", "--from-file", "-", "--owner", "someone-else", "--destination", "jp", "--format",
                    "json",
                ],
                database: db, stdin: Self.draftJSON)
            let id = try createdID(outcome)
            let shown = try show(id, db)
            #expect(shown["owner"] as? String == "someone-else")
            #expect(shown["destination"] as? String == "JP")
            #expect(shown["applicant"] as? String == "Acme Export Ltd")
            #expect(items(shown).count == 3)
        }
    }

    @Test(
        "a file that is not a valid application is refused and nothing is written",
        arguments: [
            "{ not json", #"{"authority": "BIS", "destination": "DE"}"#,
            #"{"authority": "BIS", "applicant": "A", "destination": "DE", "items": [{"description": "x", "value": 12.5, "currency": "USD"}]}"#,
            #"{"authority": "BIS", "applicant": "A", "destination": "DE", "items": [{"description": "x", "value": "12,5", "currency": "USD"}]}"#,
        ])
    func badFile(json: String) throws {
        try TestDatabase.with { db in
            let outcome = try lictrack(["app", "create", "--from-file", "-"], database: db, stdin: json)
            expectFailure(outcome, status: 65, "create from \(json)")
            #expect(try rowCounts(db) == RowCounts(applications: 0, events: 0, items: 0))
        }
    }

    @Test("a file that cannot be read is a usage error (64)")
    func missingFile() throws {
        try TestDatabase.with { db in
            let outcome = try lictrack(
                ["app", "create", "--from-file", "/nonexistent/lictrack-\(UUID().uuidString).json"], database: db)
            expectFailure(outcome, status: 64, "create from a missing file")
            #expect(try rowCounts(db).applications == 0)
        }
    }

    /// Checks an application created from ``draftJSON``.
    static func expectDraftFromJSON(_ shown: [String: Any]) throws {
        #expect(shown["authority"] as? String == "ECJU")
        #expect(shown["applicant"] as? String == "Acme Export Ltd")
        #expect(shown["destination"] as? String == "CN")
        #expect(shown["licence_type"] as? String == "single")
        #expect(shown["exporter"] as? String == "Acme Components Ltd")
        #expect(shown["consignee"] as? String == "Shanghai Trading Co")
        #expect(shown["end_user"] as? String == "Shanghai Institute")
        #expect(shown["end_use"] as? String == "Research")
        #expect(shown["authority_reference"] as? String == "GBSIEL/2025/0000123/P")
        #expect(shown["owner"] as? String == "compliance-team")
        #expect(shown["created_on"] as? String == "2025-03-03")
        #expect(shown["status"] as? String == "draft")

        let lines = items(shown)
        try #require(lines.count == 3, "\(lines)")
        #expect(lines.map { int($0["line"]) } == [1, 2, 3])
        #expect(lines.map { $0["description"] as? String } == ["Frequency changer", "Spare boards", "Manuals"])
        #expect(lines[0]["control_code"] as? String == "3A225")
        #expect(lines[0]["hs_code"] as? String == "85044090")
        #expect(lines[0]["quantity"] as? String == "2")
        #expect(lines[0]["value"] as? String == "182500.00")
        #expect(lines[0]["currency"] as? String == "GBP")
        #expect(lines[1]["quantity"] as? String == "10.50")
        #expect(lines[1]["unit"] as? String == "kg")
        #expect(lines[1]["value"] as? String == "0.10")
        #expect(lines[1]["currency"] as? String == "USD")
        #expect(lines[2]["value"] is NSNull)
        #expect(lines[2]["currency"] is NSNull)

        let history = events(shown)
        #expect(history.count == 1, "items in the file belong to the create event, not add-item events")
        #expect(history.first?["on"] as? String == "2025-03-03")
        #expect(history.first?["authority_reference"] as? String == "GBSIEL/2025/0000123/P")
    }
}
