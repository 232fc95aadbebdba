import Foundation
import LicTrackTestSupport
import Testing

/// `lictrack app show`: the JSON shape, and finding an application by its authority reference.
@Suite("app show")
struct AppShowTests {
    @Test("--format json has id, status, authority, events (event, from, to, on), items and next_events")
    func jsonShape() throws {
        try TestDatabase.with { db in
            let id = try createApplication(
                db, authority: "MOFCOM", destination: "DE", on: "2025-04-01",
                extra: ["--item", "Graphite", "--control-code", "1C107", "--quantity", "500", "--unit", "kg"])
            try lictrackOK(["app", "submit", String(id), "--on", "2025-04-02"], database: db)
            try lictrackOK(["app", "delay", String(id), "--on", "2025-04-03", "--reason", "referral"], database: db)

            let shown = try show(id, db)
            #expect(int(shown["id"]) == id)
            #expect(shown["status"] as? String == "delayed")
            #expect(shown["status_since"] as? String == "2025-04-03")
            #expect(shown["authority"] as? String == "MOFCOM")

            let history = try #require(shown["events"] as? [[String: Any]])
            try #require(history.count == 3)
            for event in history {
                for key in ["seq", "event", "from", "to", "on", "actor", "note", "reason"] {
                    #expect(event.keys.contains(key), "event without \(key): \(event)")
                }
            }
            #expect(history.map { $0["event"] as? String } == ["create", "submit", "delay"])
            #expect(history[0]["from"] is NSNull, "the create event comes from nowhere")
            #expect(history.map { $0["to"] as? String } == ["draft", "submitted", "delayed"])
            #expect(history[1]["from"] as? String == "draft")
            #expect(history[2]["from"] as? String == "submitted")
            #expect(history.map { $0["on"] as? String } == ["2025-04-01", "2025-04-02", "2025-04-03"])
            #expect(history.map { int($0["seq"]) } == [1, 2, 3])
            #expect(history[2]["reason"] as? String == "referral")

            let goods = try #require(shown["items"] as? [[String: Any]])
            #expect(goods.count == 1)
            #expect(goods.first?["description"] as? String == "Graphite")
            #expect(goods.first?["quantity"] as? String == "500")

            let next = try #require(shown["next_events"] as? [String])
            #expect(Set(next) == ["request-info", "resume", "approve", "deny", "withdraw"])
        }
    }

    @Test("an application is found by the reference set with app accept --authority-ref")
    func showByAuthorityReference() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, authority: "ECJU", on: "2025-04-01")
            let other = try createApplication(db, authority: "ECJU", on: "2025-04-01")
            #expect(other != id)
            try lictrackOK(["app", "submit", String(id), "--on", "2025-04-02"], database: db)
            try lictrackOK(
                ["app", "accept", String(id), "--on", "2025-04-03", "--authority-ref", "GBSIEL/2025/0042"], database: db
            )

            let byReference = try show("GBSIEL/2025/0042", db)
            #expect(int(byReference["id"]) == id)
            #expect(byReference["authority_reference"] as? String == "GBSIEL/2025/0042")
            #expect(events(byReference).last?["authority_reference"] as? String == "GBSIEL/2025/0042")
            // Case does not matter, and the reference works for event verbs too.
            let lowercase = try show("gbsiel/2025/0042", db)
            #expect(int(lowercase["id"]) == id)
            try lictrackOK(["app", "approve", "GBSIEL/2025/0042", "--on", "2025-04-04"], database: db)
            #expect(try show(id, db)["status"] as? String == "approved")
            #expect(try show(other, db)["status"] as? String == "draft")
        }
    }

    @Test("an all-digit authority reference number finds its application when no application has that id")
    func numericAuthorityReference() throws {
        try TestDatabase.with { db in
            let id = try createApplication(
                db, authority: "MOFCOM", on: "2025-04-01", extra: ["--authority-ref", "2025001234"])
            // `app --help`: "APP is an application's numeric id (42) or its authority reference number".
            let outcome = try lictrack(["app", "show", "2025001234", "--format", "json"], database: db)
            #expect(outcome.status == 0, "the reference 2025001234 was not looked up: \(outcome)")
            if outcome.status == 0 {
                #expect(try createdID(outcome) == id)
            }
        }
    }

    @Test("the table format shows the status, items and timeline")
    func tableFormat() throws {
        try TestDatabase.with { db in
            let id = try createApplication(
                db, on: "2025-04-01", extra: ["--item", "Lathe", "--value", "99.90", "--currency", "USD"])
            try lictrackOK(["app", "submit", String(id), "--on", "2025-04-02"], database: db)
            let outcome = try lictrackOK(["app", "show", String(id)], database: db)
            let lines = outcome.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("Application \(id)") == true, "\(outcome.stdout)")
            #expect(lines.first?.contains("submitted") == true)
            #expect(outcome.stdout.contains("99.90 USD"))
            #expect(lines.contains { $0.contains("2025-04-02") && $0.contains("submit") })
            #expect(lines.last?.hasPrefix("Next:") == true)
        }
    }

    @Test("--format csv prints the timeline, one event per row")
    func csvTimeline() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, on: "2025-04-01")
            try lictrackOK(
                ["app", "submit", String(id), "--on", "2025-04-02", "--note", "filed, with \"annex\""], database: db)
            let outcome = try lictrackOK(["app", "show", String(id), "--format", "csv"], database: db)
            let rows = parseCSV(outcome.stdout)
            try #require(rows.count == 3, "\(outcome.stdout)")
            let header = rows[0]
            #expect(header.prefix(6) == ["application_id", "seq", "event", "from", "to", "on"])
            let note = try #require(header.firstIndex(of: "note"))
            #expect(rows[1][2] == "create")
            #expect(rows[2][2] == "submit")
            #expect(rows[2][5] == "2025-04-02")
            #expect(rows[2][note] == "filed, with \"annex\"")
            #expect(rows.allSatisfy { $0.count == header.count })
        }
    }
}

/// Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF line ends).
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text.unicodeScalars)[...]
    while let c = characters.popFirst() {
        if quoted {
            if c == "\"" {
                if characters.first == "\"" {
                    field.unicodeScalars.append("\"")
                    characters.removeFirst()
                } else {
                    quoted = false
                }
            } else {
                field.unicodeScalars.append(c)
            }
        } else {
            switch c {
            case "\"": quoted = true
            case ",":
                row.append(field)
                field = ""
            case "\r": continue
            case "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            default: field.unicodeScalars.append(c)
            }
        }
    }
    if !field.isEmpty || !row.isEmpty {
        row.append(field)
        rows.append(row)
    }
    return rows
}
