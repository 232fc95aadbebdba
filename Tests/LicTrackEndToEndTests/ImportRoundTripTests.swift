import Foundation
import LicTrackTestSupport
import Testing

/// `app export` then `app import` into an empty database then `app export` again: the same file,
/// the same history and the same clocks.
@Suite("Import and export round trip")
struct ImportRoundTripTests {
    /// Everything about the history that an import reproduces, in a stable order: the
    /// applications, their items, and every event with its dates and details (the create event's
    /// actor is the importer's --actor, so it is left out).
    static let historySQL = """
        select md5(string_agg(
                   concat_ws('|', a.id, a.authority, a.licence_type, a.applicant, a.destination, a.owner,
                             a.created_on, a.status, a.status_since, a.authority_reference, a.licence_number,
                             a.licence_valid_until, a.last_event_seq,
                             (select string_agg(concat_ws('/', i.line_no, i.description, i.control_code, i.hs_code,
                                                          i.quantity, i.unit, i.value, i.currency), ';'
                                                order by i.line_no)
                              from application_items i where i.application_id = a.id),
                             (select string_agg(concat_ws('/', e.seq, e.event, e.from_status, e.to_status,
                                                          e.occurred_on, e.note, e.reason, e.extend_by,
                                                          e.authority_reference, e.licence_number, e.valid_until,
                                                          e.stock_runs_out, e.feeds,
                                                          case when e.seq > 1 then e.actor end), ';'
                                                order by e.seq)
                              from application_events e where e.application_id = a.id)),
                   '#' order by a.id))
        from applications a
        """

    /// The stored clocks, which the import computes through the triggers.
    static let clocksSQL = """
        select md5(string_agg(concat_ws('|', application_id, cycle, started_on, ended_on, deadline, paused_units,
                                        extension, provisional, next_alert_on), '#'
                              order by application_id, cycle))
        from application_clocks
        """

    @Test("CSV: export, import into an empty database, export again: identical", arguments: ["csv", "jsonl"])
    func roundTrip(format: String) throws {
        let folder = try ScratchFolder()
        defer { folder.cleanUp() }
        try TestDatabase.with { source in
            try lictrackOK(["demo", "seed", "--applications", "60", "--seed", "9"], database: source)
            // One application with the details the demo lacks: an item with every field, a formal
            // extension, an approval with a licence, a note across lines with quotes and commas.
            let id = try createApplication(
                source, authority: "MOFCOM", destination: "DE", on: "2025-04-01",
                extra: [
                    "--item", "Dy \"grade\" 48SH, sintered", "--control-code", "1C902.a", "--hs-code", "8505.11.10",
                    "--quantity", "12.500", "--unit", "kg", "--value", "1000.10", "--currency", "usd",
                ])
            let app = String(id)
            try lictrackOK(["app", "submit", app, "--on", "2025-04-03", "--actor", "Chen Jing"], database: source)
            try lictrackOK(["app", "accept", app, "--on", "2025-04-08", "--authority-ref", "RT-1"], database: source)
            try lictrackOK(
                [
                    "app", "delay", app, "--on", "2025-05-02", "--reason", "extension", "--extend-by", "10",
                    "--note", "Letter 1,\n\"see annex\"\r\nline three",
                ], database: source)
            try lictrackOK(
                [
                    "app", "approve", app, "--on", "2025-06-02", "--licence-number", "L-9", "--valid-until",
                    "2026-06-01",
                ],
                database: source)
            let exported = try lictrackOK(["app", "export", "--format", format], database: source).stdout
            let history = try queryText(source, Self.historySQL)
            let clocks = try queryText(source, Self.clocksSQL)
            let file = try folder.write("export.\(format)", exported)

            try TestDatabase.with { target in
                let outcome = try lictrackOK(["app", "import", file], database: target)
                #expect(outcome.stdout.hasPrefix("Imported 61 applications ("), "\(outcome)")
                #expect(try lictrackOK(["app", "export", "--format", format], database: target).stdout == exported)
                #expect(try queryText(target, Self.historySQL) == history)
                #expect(try queryText(target, Self.clocksSQL) == clocks)
                let shown = try show("RT-1", target)
                #expect(shown["status"] as? String == "approved")
                #expect(events(shown)[3]["note"] as? String == "Letter 1,\n\"see annex\"\r\nline three")
                #expect(items(shown).last?["quantity"] as? String == "12.500")
                #expect(items(shown).last?["hs_code"] as? String == "85051110")
            }
        }
    }

    @Test("export takes app list's filters")
    func filters() throws {
        try TestDatabase.with { db in
            let bis = try createApplication(db, authority: "BIS", destination: "DE")
            _ = try createApplication(db, authority: "ECJU", destination: "US")
            let csv = try lictrackOK(["app", "export", "--authority", "bis"], database: db).stdout
            let records = parseCSV(csv)
            #expect(records.first?.joined(separator: ",") == importHeader)
            #expect(records.dropFirst().map { $0[0] } == [String(bis)])
            let none = try lictrackOK(["app", "export", "--status", "approved", "--format", "jsonl"], database: db)
            #expect(none.stdout.isEmpty)
            expectFailure(try lictrack(["app", "export", "--authority", "NOPE"], database: db), status: 64)
        }
    }

    @Test("a BOM, CRLF or LF line ends, and quoted fields with line breaks")
    func dialects() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanUp() }
        let rows = [
            "application,authority,applicant,destination,created_on,event,event_on,event_note",
            "A,BIS,\"Acme, Inc.\",DE,2025-04-01,,,",
            "A,,,,,note,2025-04-02,\"first line",
            "second \"\"quoted\"\" line\"",
            "B,ECJU,Björk Ltd,US,2025-04-01,,,",
        ]
        for (name, lineEnd, bom) in [("lf", "\n", false), ("crlf", "\r\n", false), ("bom-crlf", "\r\n", true)] {
            try TestDatabase.with { db in
                let text = rows.joined(separator: lineEnd) + lineEnd
                let file = try folder.write("\(name).csv", (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8))
                let outcome = try lictrackOK(["app", "import", file], database: db)
                #expect(outcome.stdout == "Imported 2 applications (0 items, 1 event) from \(file).\n", "\(name)")
                let shown = try show(1, db)
                #expect(shown["applicant"] as? String == "Acme, Inc.", "\(name)")
                #expect(
                    events(shown)[1]["note"] as? String == "first line\(lineEnd)second \"quoted\" line", "\(name)")
                #expect(try show(2, db)["applicant"] as? String == "Björk Ltd", "\(name)")
            }
        }
    }

    @Test("JSON lines in the --from-file shape, with a stock record and events")
    func jsonLines() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanUp() }
        let line = """
            {"authority":"ecju","applicant":"Northbridge","destination":"ae","created_on":"2025-09-29",\
            "stock_runs_out":"2026-01-31","feeds":"Line 2","items":[{"description":"Gateway","control_code":"5A002.a",\
            "quantity":"40","unit":"pcs","value":"212000.00","currency":"GBP"}],"events":[{"event":"submit",\
            "on":"2025-10-01"},{"event":"request-info","on":"2025-10-06"},{"event":"provide-info","on":"2025-10-09",\
            "actor":"Priya"},{"event":"delay","on":"2025-10-10","reason":"referral","extend_by":5}]}
            """
        try TestDatabase.with { db in
            let file = try folder.write("apps.jsonl", line + "\n\n")
            let outcome = try lictrackOK(["app", "import", file, "--actor", "Importer"], database: db)
            #expect(outcome.stdout == "Imported 1 application (1 item, 5 events) from \(file).\n")
            let shown = try show(1, db)
            #expect(
                events(shown).map { $0["event"] as? String } == [
                    "create", "stock", "submit", "request-info", "provide-info", "delay",
                ])
            // provide-info went back to where request-info found it; the actor defaults to --actor.
            #expect(events(shown)[4]["to"] as? String == "submitted")
            #expect(events(shown)[4]["actor"] as? String == "Priya")
            #expect(events(shown)[2]["actor"] as? String == "Importer")
            #expect(int(events(shown)[5]["extend_by"]) == 5)
            #expect(shown["destination"] as? String == "AE")
        }
    }

    @Test("--dry-run checks and writes nothing")
    func dryRun() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanUp() }
        try TestDatabase.with { db in
            let file = try folder.write("ok.csv", "authority,applicant,destination\nBIS,A,DE\nECJU,B,US\n")
            let outcome = try lictrackOK(["app", "import", file, "--dry-run"], database: db)
            #expect(outcome.stdout.contains("2 applications (0 items, 0 events) would be imported"), "\(outcome)")
            #expect(try rowCounts(db) == RowCounts(applications: 0, events: 0, items: 0))
        }
    }
}
