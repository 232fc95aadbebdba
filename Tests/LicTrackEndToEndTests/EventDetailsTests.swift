import Foundation
import LicTrackTestSupport
import Testing

/// What events carry besides the status: the actor, notes, added items and relative dates.
@Suite("Event details: actor, notes, added items, relative dates")
struct EventDetailsTests {
    @Test("--actor and LICTRACK_ACTOR are recorded in events[].actor; --actor wins")
    func actor() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, on: "2025-04-01", extra: ["--actor", "carol"])
            try lictrackOK(["app", "submit", String(id), "--on", "2025-04-02", "--actor", "alice"], database: db)
            try lictrackOK(
                ["app", "accept", String(id), "--on", "2025-04-03"], database: db,
                environment: ["LICTRACK_ACTOR": "bob"])
            try lictrackOK(
                ["app", "request-info", String(id), "--on", "2025-04-04", "--actor", "dave"], database: db,
                environment: ["LICTRACK_ACTOR": "bob"])
            try lictrackOK(["app", "provide-info", String(id), "--on", "2025-04-05"], database: db)
            try lictrackOK(
                ["app", "add-item", String(id), "--item", "Cable"], database: db,
                environment: ["LICTRACK_ACTOR": "erin"])

            let history = events(try show(id, db))
            try #require(history.count == 6, "\(history)")
            #expect(history[0]["actor"] as? String == "carol", "the create event")
            #expect(history[1]["actor"] as? String == "alice")
            #expect(history[2]["actor"] as? String == "bob")
            #expect(history[3]["actor"] as? String == "dave")
            #expect(history[4]["actor"] is NSNull, "no actor given: null")
            #expect(history[5]["actor"] as? String == "erin", "the add-item event")
        }
    }

    @Test("app note needs --note, records it and keeps the status")
    func note() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, on: "2025-04-01")
            try lictrackOK(["app", "submit", String(id), "--on", "2025-04-02"], database: db)
            let before = try rowCounts(db)

            for arguments in [["app", "note", String(id)], ["app", "note", String(id), "--note", ""]] {
                let outcome = try lictrack(arguments, database: db)
                expectFailure(outcome, status: 64, arguments.joined(separator: " "))
                #expect(try rowCounts(db) == before)
            }

            let blank = try lictrack(["app", "note", String(id), "--note", "   "], database: db)
            expectFailure(blank, status: 65, "a blank note")
            #expect(try rowCounts(db) == before)

            try lictrackOK(
                ["app", "note", String(id), "--note", "Phoned the case officer", "--on", "2025-04-03"], database: db)
            let shown = try show(id, db)
            #expect(shown["status"] as? String == "submitted")
            let last = try #require(events(shown).last)
            #expect(last["event"] as? String == "note")
            #expect(last["note"] as? String == "Phoned the case officer")
            #expect(last["from"] as? String == "submitted")
            #expect(last["to"] as? String == "submitted")
            #expect(last["on"] as? String == "2025-04-03")
        }
    }

    @Test("notes are allowed on a final application too")
    func noteOnFinal() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, on: "2025-04-01")
            try lictrackOK(["app", "withdraw", String(id), "--on", "2025-04-02"], database: db)
            try lictrackOK(["app", "note", String(id), "--note", "Archived", "--on", "2025-04-03"], database: db)
            let shown = try show(id, db)
            #expect(shown["status"] as? String == "withdrawn")
            #expect(events(shown).last?["event"] as? String == "note")
        }
    }

    @Test("app add-item adds an item and logs an add-item event")
    func addItem() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, on: "2025-04-01", extra: ["--item", "Pump"])
            try lictrackOK(["app", "submit", String(id), "--on", "2025-04-02"], database: db)
            try lictrackOK(
                [
                    "app", "add-item", String(id), "--item", "Spare seals", "--control-code", "2B350.i", "--hs-code",
                    "8484.90",
                    "--quantity", "40", "--unit", "pcs", "--value", "1250.50", "--currency", "chf",
                ],
                database: db)

            let shown = try show(id, db)
            #expect(shown["status"] as? String == "submitted", "adding an item does not change the status")
            let lines = items(shown)
            try #require(lines.count == 2)
            #expect(int(lines[1]["line"]) == 2)
            #expect(lines[1]["description"] as? String == "Spare seals")
            #expect(lines[1]["control_code"] as? String == "2B350.i")
            #expect(lines[1]["hs_code"] as? String == "848490")
            #expect(lines[1]["quantity"] as? String == "40")
            #expect(lines[1]["value"] as? String == "1250.50")
            #expect(lines[1]["currency"] as? String == "CHF")

            let history = events(shown)
            #expect(history.map { $0["event"] as? String } == ["create", "submit", "add-item"])
            let last = try #require(history.last)
            #expect(last["from"] as? String == "submitted")
            #expect(last["to"] as? String == "submitted")
            #expect((last["note"] as? String)?.contains("Spare seals") == true)
            let today = try queryText(db, "select authority_today('BIS')::text")
            #expect(last["on"] as? String == today)
        }
    }

    @Test("app add-item on a final application is refused (65) and writes nothing")
    func addItemToFinal() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, on: "2025-04-01")
            try lictrackOK(["app", "submit", String(id), "--on", "2025-04-02"], database: db)
            try lictrackOK(["app", "deny", String(id), "--on", "2025-04-03"], database: db)
            let before = try rowCounts(db)
            let outcome = try lictrack(["app", "add-item", String(id), "--item", "Late addition"], database: db)
            expectFailure(outcome, status: 65, "add-item to a denied application")
            #expect(try rowCounts(db) == before)
        }
    }

    /// A relative `--on` and the SQL that computes the date it should mean for BIS.
    struct RelativeDate: Sendable, CustomTestStringConvertible {
        var text: String
        var sql: String
        var testDescription: String { text }
    }

    @Test(
        "relative --on dates resolve in the authority's calendar",
        arguments: [
            RelativeDate(text: "today", sql: "select authority_today('BIS')::text"),
            RelativeDate(text: "yesterday", sql: "select (authority_today('BIS') - 1)::text"),
            RelativeDate(text: "3-days-ago", sql: "select (authority_today('BIS') - 3)::text"),
            // The most recent Monday before today (ISO weekday 1).
            RelativeDate(
                text: "monday",
                sql:
                    "select (authority_today('BIS') - ((extract(isodow from authority_today('BIS'))::int - 1 + 6) % 7 + 1))::text"
            ),
        ])
    func relativeDates(date: RelativeDate) throws {
        try TestDatabase.with { db in
            let expected = try #require(try queryText(db, date.sql))
            let id = try createApplication(db, on: "2025-04-01")
            let outcome = try lictrackOK(
                ["app", "submit", String(id), "--on", date.text, "--format", "json"], database: db)
            let printed = try outcome.json() as? [String: Any]
            #expect(printed?["on"] as? String == expected)
            let shown = try show(id, db)
            #expect(events(shown).last?["on"] as? String == expected)
        }
    }

    @Test("approve records the licence number and validity")
    func approveDetails() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, on: "2025-04-01")
            try lictrackOK(["app", "submit", String(id), "--on", "2025-04-02"], database: db)
            try lictrackOK(
                [
                    "app", "approve", String(id), "--on", "2025-04-03", "--licence-number", "SIEL/123", "--valid-until",
                    "2027-04-03",
                ],
                database: db)
            let shown = try show(id, db)
            #expect(shown["licence_number"] as? String == "SIEL/123")
            #expect(shown["licence_valid_until"] as? String == "2027-04-03")
            #expect(events(shown).last?["licence_number"] as? String == "SIEL/123")
        }
    }
}
