import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// `lictrack alerts check`, `ack`, `list` and `channel`.
@Suite("Alert commands: check, ack, list, channel")
struct AlertCommandTests {
    typealias F = AlertFixture

    /// A BIS application submitted `days` days before today (in New York): 90 days, due soon from day 85.
    static func bisSubmitted(daysAgo days: Int, _ connection: PostgresConnection) throws -> Int64 {
        let date = try #require(
            try F.scalar(connection, "select (authority_today('BIS') - $1::integer)::text as v", [days]))
        return try F.bis(connection, submittedOn: date)
    }

    /// Checks that a failure printed exactly one `lictrack: error:` line.
    static func expectOneErrorLine(_ outcome: LicTrackBinary.Outcome, sourceLocation: SourceLocation = #_sourceLocation)
    {
        let lines = outcome.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(
            lines.count == 2 && lines[0].hasPrefix("lictrack: error:") && lines[1].isEmpty, "\(outcome)",
            sourceLocation: sourceLocation)
    }

    @Test(
        "check: 0 OK, 1 WARNING, 2 CRITICAL, counting clocks the job has not raised yet; acknowledged alerts drop out")
    func checkLevels() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            var outcome = try F.run(["alerts", "check"], db)
            #expect(outcome.status == 0)
            #expect(outcome.stdout == "LICTRACK OK - no pending alerts\n")

            // Due soon today, not raised yet: the job is behind, and check says so.
            _ = try Self.bisSubmitted(daysAgo: 87, connection)
            outcome = try F.run(["alerts", "check"], db)
            #expect(outcome.status == 1, "\(outcome)")
            #expect(outcome.stdout == "LICTRACK WARNING - 1 due soon | breached=0 due_soon=1\n")

            // Raised and not acknowledged: still a warning, counted once.
            try F.ok(["alerts", "run"], db)
            #expect(try F.scalar(connection, "select count(*)::text as v from sla_alerts") == "1")
            outcome = try F.run(["alerts", "check"], db)
            #expect(outcome.status == 1)
            #expect(outcome.stdout == "LICTRACK WARNING - 1 due soon | breached=0 due_soon=1\n")

            // A breach not raised yet.
            _ = try Self.bisSubmitted(daysAgo: 120, connection)
            outcome = try F.run(["alerts", "check"], db)
            #expect(outcome.status == 2, "\(outcome)")
            #expect(outcome.stdout == "LICTRACK CRITICAL - 1 breached, 1 due soon | breached=1 due_soon=1\n")

            try F.ok(["alerts", "run"], db)
            outcome = try F.run(["alerts", "check"], db)
            #expect(outcome.status == 2)
            #expect(outcome.stdout == "LICTRACK CRITICAL - 1 breached, 1 due soon | breached=1 due_soon=1\n")

            let ids = try connection.query("select id from sla_alerts order by id").map {
                try $0.decode(Int64.self, "id")
            }
            try #require(ids.count == 2)
            try F.ok(["alerts", "ack", "\(ids[1])"], db)
            outcome = try F.run(["alerts", "check"], db)
            #expect(outcome.status == 1)
            try F.ok(["alerts", "ack", "\(ids[0])"], db)
            outcome = try F.run(["alerts", "check"], db)
            #expect(outcome.status == 0)
            #expect(outcome.stdout == "LICTRACK OK - no pending alerts\n")
        }
    }

    @Test("check: any error, the database being down included, is UNKNOWN (exit 3) on one line")
    func checkUnknown() throws {
        let down = try F.run(
            ["alerts", "check"], nil,
            environment: ["LICTRACK_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=3"])
        #expect(down.status == 3, "\(down)")
        #expect(down.stdout.hasPrefix("LICTRACK UNKNOWN - cannot reach the database"), "\(down)")
        #expect(down.stdout.hasSuffix("\n") && down.stdout.dropLast().contains("\n") == false)

        try TestDatabase.with(migrated: false) { db in
            let outcome = try F.run(["alerts", "check"], db)
            #expect(outcome.status == 3, "\(outcome)")
            #expect(outcome.stdout.hasPrefix("LICTRACK UNKNOWN - the database is not migrated"), "\(outcome)")
        }
    }

    @Test("ack: records who and why; an unknown id is 66; acknowledging twice says so and exits 0")
    func acknowledge() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            _ = try F.bis(connection, submittedOn: "2025-03-03")
            _ = try F.bis(connection, submittedOn: "2025-03-04")
            try F.ok(["alerts", "run", "--as-of", "2025-06-03"], db)
            let ids = try connection.query("select id from sla_alerts order by id").map {
                try $0.decode(Int64.self, "id")
            }
            try #require(ids.count == 2)

            let unknown = try F.run(["alerts", "ack", "999999"], db)
            #expect(unknown.status == 66)
            Self.expectOneErrorLine(unknown)

            let first = try F.ok(
                ["alerts", "ack", "\(ids[0])", "--note", "called BIS, decision next week", "--actor", "alice"], db)
            #expect(first.stdout.hasPrefix("Acknowledged alert \(ids[0])"), "\(first)")
            let again = try F.ok(["alerts", "ack", "\(ids[0])", "--note", "other"], db)
            #expect(again.stdout.contains("already acknowledged"), "\(again)")

            let row = try connection.query(
                "select acknowledged_by, ack_note, acknowledged_at is not null as acked from sla_alerts where id = $1::bigint",
                [ids[0]])[0]
            #expect(try row.decode(String.self, "acknowledged_by") == "alice")
            #expect(try row.decode(String.self, "ack_note") == "called BIS, decision next week")

            let pending = try #require(
                try F.ok(["alerts", "list", "--pending", "--format", "json"], db).json() as? [[String: Any]])
            #expect(pending.map { $0["id"] as? Int } == [Int(ids[1])])
            let all = try #require(try F.ok(["alerts", "list", "--format", "json"], db).json() as? [[String: Any]])
            #expect(all.count == 2)
            #expect(all[0]["acknowledged"] as? Bool == true)
            #expect(all[0]["acknowledged_by"] as? String == "alice")
            #expect(all[0]["ack_note"] as? String == "called BIS, decision next week")
            #expect(all[1]["acknowledged"] as? Bool == false)
        }
    }

    @Test("list: level, application, deadline, raised, acknowledged and delivery state")
    func listDeliveryState() throws {
        try F.withTemporaryDirectory { directory in
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                let app = try F.bis(connection, submittedOn: "2025-03-03", reference: "BIS-9")
                try F.ok(
                    [
                        "alerts", "channel", "add", "file", "--kind", "jsonl", "--target",
                        directory.appendingPathComponent("a.jsonl").path,
                    ], db)
                try F.ok(
                    ["alerts", "channel", "add", "hook", "--kind", "webhook", "--target", "http://127.0.0.1:9/x"], db)
                try F.ok(
                    ["alerts", "run", "--as-of", "2025-06-02"], db, environment: ["LICTRACK_CURL": "/nonexistent/curl"])

                let entries = try #require(
                    try F.ok(["alerts", "list", "--format", "json"], db).json() as? [[String: Any]])
                try #require(entries.count == 1)
                let entry = entries[0]
                #expect(entry["level"] as? String == "breached")
                #expect(entry["application_id"] as? Int == Int(app))
                #expect(entry["authority_reference"] as? String == "BIS-9")
                #expect(entry["deadline"] as? String == "2025-06-01")
                #expect(entry["raised_on"] as? String == "2025-06-02")
                #expect(entry["acknowledged"] as? Bool == false)
                let deliveries = try #require(entry["deliveries"] as? [String: Any])
                #expect(deliveries["delivered"] as? Int == 1)
                #expect(deliveries["pending"] as? Int == 1)
                #expect(deliveries["failed"] as? Int == 1)
                #expect((deliveries["last_error"] as? String)?.contains("cannot run /nonexistent/curl") == true)

                let table = try F.ok(["alerts", "list"], db).stdout
                let lines = table.split(separator: "\n")
                #expect(lines.count == 2)
                #expect(lines[0].hasPrefix("ID"))
                #expect(
                    lines[1].contains("breached") && lines[1].contains("BIS BIS-9") && lines[1].contains("2025-06-01"))
                #expect(lines[1].contains("1 delivered, 1 failing: cannot run /nonexistent/curl"), "\(table)")

                let csv = try F.ok(["alerts", "list", "--format", "csv"], db).stdout
                #expect(csv.hasPrefix("id,level,application_id,cycle,authority,authority_reference,deadline,raised_on"))
            }
        }
    }

    @Test("channel add, list, disable and enable, with their errors")
    func channels() throws {
        try TestDatabase.with { db in
            try F.ok(
                [
                    "alerts", "channel", "add", "legal", "--kind", "email", "--target", "legal@example.com",
                    "--authority", "bis,ecju", "--level", "breached",
                ], db)
            try F.ok(["alerts", "channel", "add", "screen", "--kind", "stdout"], db)

            var listed = try #require(
                try F.ok(["alerts", "channel", "list", "--format", "json"], db).json() as? [[String: Any]])
            #expect(listed.map { $0["name"] as? String } == ["legal", "screen"])
            #expect(listed[0]["kind"] as? String == "email")
            #expect(listed[0]["target"] as? String == "legal@example.com")
            #expect(listed[0]["authorities"] as? [String] == ["BIS", "ECJU"])
            #expect(listed[0]["levels"] as? [String] == ["breached"])
            #expect(listed[0]["enabled"] as? Bool == true)
            #expect(listed[1]["authorities"] is NSNull)
            #expect(listed[1]["target"] is NSNull)

            for bad in [
                ["alerts", "channel", "add", "x", "--kind", "jsonl", "--target", "relative.jsonl"],
                ["alerts", "channel", "add", "x", "--kind", "stdout", "--target", "/tmp/x"],
                ["alerts", "channel", "add", "x", "--kind", "webhook", "--target", "ftp://example.com"],
                ["alerts", "channel", "add", "x", "--kind", "email", "--target", "not an address"],
                ["alerts", "channel", "add", "bad name", "--kind", "stdout"],
                ["alerts", "channel", "add", "x", "--kind", "pigeon"],
                ["alerts", "channel", "add", "x", "--kind", "stdout", "--level", "overdue"],
            ] {
                let outcome = try F.run(bad, db)
                #expect(outcome.status == 64, "\(bad): \(outcome)")
                Self.expectOneErrorLine(outcome)
            }
            let unknownAuthority = try F.run(
                ["alerts", "channel", "add", "x", "--kind", "stdout", "--authority", "NOPE"], db)
            #expect(unknownAuthority.status == 65, "\(unknownAuthority)")
            #expect(unknownAuthority.stderr.contains("unknown authority: NOPE"))
            let duplicate = try F.run(["alerts", "channel", "add", "screen", "--kind", "stdout"], db)
            #expect(duplicate.status == 65)
            #expect(duplicate.stderr.contains("already exists"))
            Self.expectOneErrorLine(duplicate)

            let missing = try F.run(["alerts", "channel", "disable", "nope"], db)
            #expect(missing.status == 66)
            Self.expectOneErrorLine(missing)

            #expect(
                try F.ok(["alerts", "channel", "disable", "screen"], db).stdout == "Disabled alert channel screen.\n")
            #expect(try F.ok(["alerts", "channel", "disable", "screen"], db).stdout.contains("already disabled"))
            listed = try #require(
                try F.ok(["alerts", "channel", "list", "--format", "json"], db).json() as? [[String: Any]])
            #expect(listed[1]["enabled"] as? Bool == false)
            #expect(
                try F.ok(["alerts", "channel", "enable", "screen"], db).stdout == "Enabled alert channel screen.\n")
            let table = try F.ok(["alerts", "channel", "list"], db).stdout
            #expect(table.contains("legal") && table.contains("BIS,ECJU") && table.contains("breached"))
        }
    }
}
