import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// `lictrack audit verify` and `lictrack audit anchor`, run as a user would run them.
@Suite("audit verify and anchor")
struct AuditCommandTests {
    /// Two applications: one with create, submit and a note; one with create and submit.
    static func seed(_ db: TestDatabase) throws -> (Int, Int) {
        let first = try createApplication(db)
        let second = try createApplication(db)
        for id in [first, second] { try lictrackOK(["app", "submit", "\(id)", "--on", "yesterday"], database: db) }
        try lictrackOK(["app", "note", "\(first)", "--note", "Called the case officer"], database: db)
        return (first, second)
    }

    static func tamper(_ db: TestDatabase, _ sql: String) throws {
        let connection = try db.connect()
        defer { connection.close() }
        try connection.execute("set session_replication_role = replica")
        try connection.executeScript(sql)
    }

    static func problems(_ outcome: Outcome) throws -> [String] {
        let document = try #require(try outcome.json() as? [String: Any])
        let problems = try #require(document["problems"] as? [[String: Any]])
        return problems.map { "\($0["application_id"] ?? "") \($0["seq"] ?? "") \($0["problem"] ?? "")" }
    }

    @Test("an intact log verifies: exit 0, and the JSON says so")
    func intact() throws {
        try TestDatabase.with { db in
            _ = try Self.seed(db)
            let table = try lictrackOK(["audit", "verify"], database: db)
            #expect(table.stdout == "Verified 5 events in 2 chains: intact.\n")
            let json = try lictrackOK(["audit", "verify", "--format", "json"], database: db)
            let document = try #require(try json.json() as? [String: Any])
            #expect(document["intact"] as? Bool == true)
            #expect(document["chains"] as? Int == 2)
            #expect(document["events"] as? Int == 5)
            #expect(try Self.problems(json).isEmpty)
            #expect(document["anchor"] is NSNull)
        }
    }

    @Test("tampering is listed and exits 1; --application checks one chain")
    func tampered() throws {
        try TestDatabase.with { db in
            let (first, second) = try Self.seed(db)
            try Self.tamper(
                db,
                """
                update application_events set note = 'Nobody called' where application_id = \(first) and seq = 3;
                delete from application_events where application_id = \(second) and seq = 1;
                """)
            let all = try lictrack(["audit", "verify", "--format", "json"], database: db)
            #expect(all.status == 1, "\(all)")
            #expect(try Self.problems(all) == ["\(first) 3 changed", "\(second) 1 removed"])
            let one = try lictrack(["audit", "verify", "--application", "\(second)"], database: db)
            #expect(one.status == 1)
            #expect(one.stdout.contains("removed"))
            #expect(!one.stdout.contains("changed"))
            #expect(one.stdout.hasSuffix("Verified 1 event in 1 chain: 1 problem in 1 application.\n"), "\(one)")
        }
    }

    @Test("an anchor written with --output finds a consistent rewrite; events after it are fine")
    func anchor() throws {
        try TestDatabase.with { db in
            let (first, second) = try Self.seed(db)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("anchor.jsonl").path
            let written = try lictrackOK(["audit", "anchor", "--output", file], database: db)
            #expect(written.stdout.hasPrefix("Anchored 2 chains (5 events) of \(db.name) at "))
            let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines[0].hasPrefix("{\"lictrack_anchor\": 1, \"taken_at\": \""))
            #expect(lines[1].hasPrefix("{\"application_id\": \(first), \"seq\": 3, \"hash\": \""))
            #expect(lines[2].hasPrefix("{\"application_id\": \(second), \"seq\": 2, \"hash\": \""))
            let printed = try lictrackOK(["audit", "anchor"], database: db)
            #expect(printed.stdout.split(separator: "\n").dropFirst() == lines.dropFirst())

            try lictrackOK(["app", "note", "\(first)", "--note", "After the anchor"], database: db)
            try lictrackOK(["audit", "verify", "--anchor", file], database: db)

            // Rewrite the second application from its first event on, every hash recomputed.
            try Self.tamper(
                db,
                """
                update application_events set actor = 'Mallory' where application_id = \(second) and seq = 1;
                update application_events e set hash = application_event_hash(e, e.previous_hash)
                where application_id = \(second) and seq = 1;
                update application_events e set previous_hash = p.hash
                from application_events p
                where p.application_id = e.application_id and p.seq = 1 and e.application_id = \(second) and e.seq = 2;
                update application_events e set hash = application_event_hash(e, e.previous_hash)
                where application_id = \(second) and seq = 2;
                """)
            try lictrackOK(["audit", "verify"], database: db)
            let checked = try lictrack(["audit", "verify", "--anchor", file, "--format", "json"], database: db)
            #expect(checked.status == 1, "\(checked)")
            #expect(try Self.problems(checked) == ["\(second) 2 rewritten"])
        }
    }

    @Test("a missing or malformed anchor file and an unknown application are refused with one line")
    func badInput() throws {
        try TestDatabase.with { db in
            _ = try Self.seed(db)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let bad = folder.appendingPathComponent("bad.jsonl").path
            try "{\"application_id\": 1}\n".write(toFile: bad, atomically: true, encoding: .utf8)
            expectFailure(try lictrack(["audit", "verify", "--anchor", bad], database: db), status: 65, "malformed")
            let missing = folder.appendingPathComponent("missing.jsonl").path
            let unreadable = try lictrack(["audit", "verify", "--anchor", missing], database: db)
            expectFailure(unreadable, status: 64, "missing")
            #expect(unreadable.stderr.contains("--anchor"))
            expectFailure(
                try lictrack(["audit", "verify", "--application", "999"], database: db), status: 66, "unknown")
            let output = try lictrack(["audit", "anchor", "--output", "/no/such/folder/a.jsonl"], database: db)
            expectFailure(output, status: 73, "unwritable")
        }
    }
}
