import Foundation
import LicTrackTestSupport
import Testing

/// Bad rows and bad files: every bad row reported as line, column, value and reason, exit 65,
/// and nothing written unless --skip-invalid.
@Suite("Import: bad rows and bad files")
struct ImportBadRowTests {
    /// One good application (line 2) and one bad row of each kind after it. Line numbers are the
    /// file's: the note on line 3 spans two lines.
    static let badFile =
        [
            "application,authority,licence_type,applicant,destination,authority_reference,created_on,"
                + "item_description,item_control_code,item_hs_code,item_quantity,item_unit,item_value,item_currency,"
                + "event,event_on,event_reason,event_note,event_extend_by",
            "G,BIS,,Good Co,DE,REF-1,2025-04-01,Bolt,EAR99,7318.15,10,pcs,5.00,USD,,,,,",  // 2
            "G,,,,,,,,,,,,,,note,2025-04-02,,\"two",  // 3
            "lines\",",  // 4
            "B1,NOPE,,A,DE,,,,,,,,,,,,,,",  // 5 unknown authority
            "B2,BIS,,A,ZZ,,,,,,,,,,,,,,",  // 6 unknown country
            "B3,BIS,,A,DE,,2025-02-30,,,,,,,,,,,,",  // 7 bad date
            "B4,BIS,,A,DE,,,Gear,1C9 02,,,,,,,,,,",  // 8 bad control code
            "B5,BIS,,A,DE,,,Gear,,85x5,,,,,,,,,",  // 9 bad HS code
            "B6,BIS,,   ,DE,,,,,,,,,,,,,,",  // 10 blank applicant
            "B7,BIS,,A,DE,REF-1,,,,,,,,,,,,,",  // 11 duplicate reference
            "B8,BIS,,A,DE,,,Gear,,,,,12.00,EUR0,,,,,",  // 12 unknown currency
            "B9,BIS,,A,DE,,2025-04-01,,,,,,,,accept,2025-04-02,,,",  // 13 illegal event order (draft -> accept)
            "B10,BIS,,A,DE,,2025-04-05,,,,,,,,submit,2025-04-04,,,",  // 14 event before creation
            "B11,BIS,,A,DE,,,,,,,,,,delay,2025-04-04,,,",  // 15 delay without a reason
            "B12,BIS,,A,DE,,,Gear,,,2.5,,,,,,,,",  // 16 quantity without unit
            "B13,BIS,,A,DE,,,Gear,,,\"1,5\",kg,,,,,,,",  // 17 decimal comma
            "B14,BIS,,A,DE,,,,,,,,,,submit,2999-01-01,,,",  // 18 future event
            "B15,BIS,single,A,DE,,,,,,,,,,teleport,2025-04-02,,,",  // 19 unknown event
            "B16,BIS,weekly,A,DE,,,,,,,,,,,,,,",  // 20 unknown licence type
            "B17,BIS,,A,DE,,,,,,,,,,submit,2025-04-02,,,3",  // 21 extend_by on a submit
        ].joined(separator: "\r\n") + "\r\n"

    /// (line, column, a part of the reason) for every bad row above, worked out by hand.
    static let expected: [(Int, String, String)] = [
        (5, "authority", "unknown authority"),
        (6, "destination", "unknown country"),
        (7, "created_on", "not a date"),
        (8, "item_control_code", "not a control code"),
        (9, "item_hs_code", "not an HS code"),
        (10, "applicant", "required"),
        (11, "authority_reference", "duplicate reference: already the reference of the application on line 2"),
        (12, "item_currency", "unknown currency"),
        (13, "event", "cannot accept an application that is draft"),
        (14, "event_on", "before the previous status event (2025-04-05)"),
        (15, "event_reason", "required for a delay"),
        (16, "item_unit", "required with a quantity"),
        (17, "item_quantity", "not a decimal number"),
        (18, "event_on", "in the future"),
        (19, "event", "unknown event"),
        (20, "licence_type", "expected single, general or other"),
        (21, "event_extend_by", "only a delay takes extend_by"),
    ]

    @Test("every kind of bad row: all reported, nothing written, exit 65")
    func allOrNothing() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanUp() }
        try TestDatabase.with { db in
            let file = try folder.write("bad.csv", Self.badFile)
            let report = folder.path("report.csv")
            let outcome = try lictrack(["app", "import", file, "--report", report], database: db)
            #expect(outcome.status == 65, "\(outcome)")
            #expect(outcome.stdout.isEmpty)
            #expect(try rowCounts(db) == RowCounts(applications: 0, events: 0, items: 0))
            let rows = try reportRows(report)
            #expect(rows.count == Self.expected.count, "\(rows)")
            for (line, column, reason) in Self.expected {
                #expect(
                    rows.contains { $0.line == line && $0.column == column && $0.reason.contains(reason) },
                    "no \(line) \(column) '\(reason)' in \(rows)")
            }
            // One line per bad row on standard error, then the summary.
            let lines = outcome.stderr.split(separator: "\n")
            #expect(lines.count == Self.expected.count + 1, "\(outcome.stderr)")
            #expect(
                lines.contains(
                    "\(file):6: destination 'ZZ': unknown country: use an ISO 3166-1 alpha-2 code such as DE"))
            #expect(
                lines.last?.hasPrefix("lictrack: error: 17 bad rows in 17 applications; nothing was imported") == true)
        }
    }

    @Test("--skip-invalid imports the good applications and reports the rest")
    func skipInvalid() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanUp() }
        try TestDatabase.with { db in
            let file = try folder.write("bad.csv", Self.badFile)
            let report = folder.path("report.csv")
            let outcome = try lictrack(["app", "import", file, "--skip-invalid", "--report", report], database: db)
            #expect(outcome.status == 65, "\(outcome)")
            #expect(outcome.stdout == "Imported 1 application (1 item, 1 event) from \(file).\n")
            #expect(try reportRows(report).count == Self.expected.count)
            #expect(try rowCounts(db) == RowCounts(applications: 1, events: 2, items: 1))
            let shown = try show("REF-1", db)
            #expect(events(shown)[1]["note"] as? String == "two\r\nlines")
            #expect(items(shown).first?["hs_code"] as? String == "731815")
        }
    }

    @Test("Excel's semicolon dialect: refused with a hint, read with --delimiter ';'")
    func semicolons() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanUp() }
        try TestDatabase.with { db in
            let file = try folder.write(
                "excel.csv", [0xEF, 0xBB, 0xBF] + Array("authority;applicant;destination\r\nBIS;\"A; B\";DE\r\n".utf8))
            let refused = try lictrack(["app", "import", file], database: db)
            expectFailure(refused, status: 65)
            #expect(refused.stderr.contains("separated by semicolons"))
            #expect(refused.stderr.contains("--delimiter ';'"))
            try lictrackOK(["app", "import", file, "--delimiter", ";"], database: db)
            #expect(try show(1, db)["applicant"] as? String == "A; B")
            expectFailure(try lictrack(["app", "import", file, "--delimiter", "::"], database: db), status: 64)
        }
    }

    @Test("a 1 MB field is imported whole; in an error it is cut short")
    func megabyteField() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanUp() }
        let big = String(repeating: "x", count: 1_048_576)
        try TestDatabase.with { db in
            let file = try folder.write(
                "big.csv",
                "application,authority,applicant,destination,created_on,event,event_on,event_note\n"
                    + "A,BIS,Big,DE,2025-04-01,,,\nA,,,,,note,2025-04-02,\"\(big)\"\n")
            try lictrackOK(["app", "import", file], database: db)
            #expect(try queryText(db, "select length(note) from application_events where event = 'note'") == "1048576")
        }
        try TestDatabase.with { db in
            let file = try folder.write("bigbad.csv", "authority,applicant,destination\nBIS,A,\(big)\n")
            let outcome = try lictrack(["app", "import", file], database: db)
            #expect(outcome.status == 65)
            #expect(outcome.stderr.count < 400, "the value is cut short: \(outcome.stderr.count) characters")
            #expect(outcome.stderr.contains("xxx…'"))
        }
    }

    @Test("bad files: NUL bytes, a short row, not UTF-8, an unknown column, JSON that is not JSON")
    func badFiles() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanUp() }
        let cases: [(String, [UInt8], String)] = [
            (
                "nul.csv", Array("authority,applicant,destination\nBIS,A,DE\nBIS,B\0C,DE\n".utf8),
                "line 3: a NUL (0x00) byte"
            ),
            ("short.csv", Array("authority,applicant,destination\nBIS,A,DE\nBIS,B\n".utf8), "line 3: missing data"),
            (
                "latin1.csv", Array("authority,applicant,destination\nBIS,".utf8) + [0xC9] + Array("lan,DE\n".utf8),
                "not UTF-8"
            ),
            (
                "unknown.csv", Array("authority,applicant,destination,colour\nBIS,A,DE,red\n".utf8),
                "unknown column 'colour'"
            ),
            (
                "nul.jsonl", Array("{\"authority\":\"BIS\",\"applicant\":\"A\0\",\"destination\":\"DE\"}\n".utf8),
                "line 1: a NUL"
            ),
        ]
        for (name, bytes, message) in cases {
            try TestDatabase.with { db in
                let outcome = try lictrack(["app", "import", try folder.write(name, bytes)], database: db)
                expectFailure(outcome, status: 65, name)
                #expect(outcome.stderr.contains(message), "\(name): \(outcome.stderr)")
                #expect(try rowCounts(db) == RowCounts(applications: 0, events: 0, items: 0))
            }
        }
        try TestDatabase.with { db in
            let file = try folder.write(
                "bad.jsonl",
                "{\"authority\":\"BIS\"\n[1]\n{\"authority\":\"BIS\",\"applicant\":\"A\",\"destination\":\"DE\",\"items\":[{\"description\":\"G\",\"value\":1.5}]}\n"
            )
            let report = folder.path("report.csv")
            let outcome = try lictrack(["app", "import", file, "--report", report], database: db)
            #expect(outcome.status == 65)
            let rows = try reportRows(report)
            #expect(rows.map(\.line) == [1, 2, 3, 3], "\(rows)")
            #expect(rows[0].reason == "not valid JSON")
            #expect(rows.contains { $0.column == "items[0].value" && $0.reason.contains("JSON string") })
            #expect(rows.contains { $0.column == "items[0].currency" && $0.reason.contains("required with a value") })
        }
        expectFailure(try lictrack(["app", "import", folder.path("missing.csv")], database: nil), status: 64)
    }
}
