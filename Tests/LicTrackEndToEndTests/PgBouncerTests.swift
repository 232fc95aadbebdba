import Foundation
import LicTrackStore
import LicTrackTestSupport
import Testing

/// Every command family works through a real pgbouncer in transaction mode (Docs/operations.md,
/// "Behind pgbouncer"), where consecutive transactions of one command run on different server sessions.
@Suite("Behind pgbouncer: every command family", .enabled(if: PgBouncer.shouldRun, pgbouncerSkipReason))
struct PgBouncerTests {
    @Test("the test's pgbouncer really moves one client's transactions between server sessions")
    func transactionsChangeSession() throws {
        try TestDatabase.with { db in
            try setSessionDefaults(on: db)
            let bouncer = try PgBouncer.start()
            defer { bouncer.stop() }
            let pids = try backendsOfConsecutiveTransactions(Pooled(bouncer: bouncer, database: db))
            // Two server connections handed out in turn: 1, 2, 1, 2.
            #expect(Set(pids).count == 2, "\(pids)")
            #expect(pids[0] != pids[1] && pids[0] == pids[2] && pids[1] == pids[3], "\(pids)")
        }
    }

    @Test("db, app, policy, calendar, report and alerts commands, through pgbouncer in transaction mode")
    func everyCommandFamily() throws {
        try TestDatabase.with { db in
            try setSessionDefaults(on: db)
            let bouncer = try PgBouncer.start()
            defer { bouncer.stop() }
            let pooled = Pooled(bouncer: bouncer, database: db)
            _ = try backendsOfConsecutiveTransactions(pooled)

            // db
            let status = try pooled.json(["db", "status", "--format", "json"], as: [[String: Any]].self)
            #expect(status.count == Migration.all.count)
            #expect(status.allSatisfy { $0["status"] as? String == "applied" }, "\(status)")
            #expect(try pooled.ok(["db", "migrate"]).stdout.contains("up to date"))

            // app: create, submit, accept, note, stock, show, list
            let open = try pooled.json(
                [
                    "app", "create", "--authority", "BIS", "--applicant", "Pool Test Ltd", "--destination", "DE",
                    "--on", "2025-03-03", "--format", "json",
                ], as: [String: Any].self)
            let id = try #require(int(open["id"]))
            #expect(open["status"] as? String == "draft")
            try pooled.ok(["app", "submit", "\(id)", "--on", "2025-03-10"])
            let accepted = try pooled.json(
                ["app", "accept", "\(id)", "--on", "2025-03-12", "--actor", "Pat Pool", "--format", "json"],
                as: [String: Any].self)
            #expect(accepted["from"] as? String == "submitted")
            #expect(accepted["to"] as? String == "under_review")
            let clock = try #require(accepted["sla"] as? [String: Any])
            // BIS: 90 calendar days from submission on 10 March: 21 + 30 + 31 + 8 days, to 8 June.
            #expect(clock["started_on"] as? String == "2025-03-10")
            #expect(clock["deadline"] as? String == "2025-06-08")
            let noted = try pooled.json(
                ["app", "note", "\(id)", "--on", "2025-03-13", "--note", "Called the desk", "--format", "json"],
                as: [String: Any].self)
            #expect(noted["from"] as? String == "under_review" && noted["to"] as? String == "under_review")
            try pooled.ok([
                "app", "stock", "\(id)", "--on", "2025-03-14", "--runs-out", "2025-05-01", "--feeds", "Line 3",
            ])

            let shown = try pooled.json(["app", "show", "\(id)", "--format", "json"], as: [String: Any].self)
            #expect(shown["status"] as? String == "under_review")
            #expect(events(shown).map { $0["event"] as? String } == ["create", "submit", "accept", "note", "stock"])
            #expect(events(shown)[2]["actor"] as? String == "Pat Pool")
            #expect(events(shown)[3]["note"] as? String == "Called the desk")
            // No forced user in pgbouncer's [databases]: the server session is the client's login.
            #expect(events(shown).allSatisfy { $0["recorded_by"] as? String == bouncer.user }, "\(events(shown))")
            #expect((shown["stock"] as? [String: Any])?["runs_out"] as? String == "2025-05-01")

            let decided = try decidedApplication(pooled)
            let listed = try pooled.json(["app", "list", "--format", "json"], as: [[String: Any]].self)
            #expect(listed.compactMap { int($0["id"]) }.sorted() == [id, decided])

            // policy, calendar
            let policy = try pooled.json(["policy", "show", "BIS", "--format", "json"], as: [String: Any].self)
            #expect(int(policy["target"]) == 90 && policy["unit"] as? String == "calendar_days")
            #expect(policy["start_status"] as? String == "submitted")
            let calendars = try pooled.json(["calendar", "list", "--format", "json"], as: [[String: Any]].self)
            #expect(calendars.compactMap { $0["code"] as? String }.sorted() == ["CN", "DE", "GB-ENG", "US"])

            try reportsThroughPgBouncer(pooled, open: id)
            try alertsThroughPgBouncer(pooled, open: id)

            // Each command logged in through pgbouncer: the 4 probes and at least 17 commands.
            #expect(pooled.logins >= 21, "\(pooled.logins) logins in the log:\n\(bouncer.log)")
        }
    }

    @Test("demo seed fills an empty database through pgbouncer")
    func demoSeed() throws {
        try TestDatabase.with { db in
            try setSessionDefaults(on: db)
            let bouncer = try PgBouncer.start()
            defer { bouncer.stop() }
            let pooled = Pooled(bouncer: bouncer, database: db)
            _ = try backendsOfConsecutiveTransactions(pooled)
            let seeded = try pooled.ok(["demo", "seed", "--applications", "4", "--seed", "10"])
            #expect(seeded.stdout.hasPrefix("Seeded 4 applications"), "\(seeded.stdout)")
            #expect(try pooled.json(["app", "list", "--format", "json"], as: [[String: Any]].self).count == 4)
            #expect(try rowCounts(db).applications == 4)
        }
    }

    /// Creates a BIS application approved on 2025-04-01 and returns its id.
    private func decidedApplication(_ pooled: Pooled) throws -> Int {
        let created = try pooled.json(
            [
                "app", "create", "--authority", "BIS", "--applicant", "Decided GmbH", "--destination", "FR",
                "--on", "2025-03-03", "--format", "json",
            ], as: [String: Any].self)
        let id = try #require(int(created["id"]))
        try pooled.ok(["app", "submit", "\(id)", "--on", "2025-03-04"])
        try pooled.ok(["app", "accept", "\(id)", "--on", "2025-03-05"])
        try pooled.ok(["app", "approve", "\(id)", "--on", "2025-04-01", "--licence-number", "D-1"])
        return id
    }

    /// report delays and report authority, as JSON.
    private func reportsThroughPgBouncer(_ pooled: Pooled, open: Int) throws {
        let delays = try pooled.json(
            ["report", "delays", "--as-of", "2025-06-18", "--format", "json"], as: [String: Any].self)
        #expect(delays["report"] as? String == "delays")
        let rows = delays["applications"] as? [[String: Any]] ?? []
        #expect(rows.compactMap { int($0["id"]) } == [open], "\(rows)")
        // Deadline 8 June, as of 18 June: 10 days overdue.
        #expect(int(rows.first?["overdue"]) == 10)
        #expect((rows.first?["clock"] as? [String: Any])?["state"] as? String == "breached")

        let authority = try pooled.json(
            ["report", "authority", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json"],
            as: [String: Any].self)
        #expect(authority["report"] as? String == "authority")
        let bis = (authority["authorities"] as? [[String: Any]] ?? []).filter { $0["authority"] as? String == "BIS" }
        #expect(bis.count == 1, "\(authority)")
        #expect(int(bis.first?["decided"]) == 1 && int(bis.first?["approved"]) == 1, "\(bis)")
    }

    /// alerts run (delivering to two channels, so two threads with a connection each), list and check.
    private func alertsThroughPgBouncer(_ pooled: Pooled, open: Int) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lictrack-pgb-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["ops", "audit"] {
            let target = folder.appendingPathComponent("\(name).jsonl").path
            try pooled.ok(["alerts", "channel", "add", name, "--kind", "jsonl", "--target", target])
        }
        let run = try pooled.json(
            ["alerts", "run", "--as-of", "2025-06-18", "--format", "json"], as: [String: Any].self)
        let raised = run["raised"] as? [[String: Any]] ?? []
        // Breached (deadline 8 June), and a supply risk: stock runs out on 1 May, 38 days before it.
        #expect(raised.compactMap { $0["level"] as? String }.sorted() == ["breached", "supply_risk"], "\(run)")
        #expect(raised.allSatisfy { int($0["application_id"]) == open })
        #expect(int(raised.first { $0["level"] as? String == "supply_risk" }?["days_short"]) == 38)
        #expect(int(run["delivered"]) == 4 && int(run["failed"]) == 0, "\(run)")
        for name in ["ops", "audit"] {
            let lines = try String(contentsOf: folder.appendingPathComponent("\(name).jsonl"), encoding: .utf8)
                .split(separator: "\n")
            #expect(lines.count == 2, "\(name): \(lines)")
        }

        let alerts = try pooled.json(["alerts", "list", "--format", "json"], as: [[String: Any]].self)
        #expect(alerts.compactMap { $0["level"] as? String }.sorted() == ["breached", "supply_risk"])
        #expect(alerts.allSatisfy { int(($0["deliveries"] as? [String: Any])?["delivered"]) == 2 }, "\(alerts)")

        let check = try pooled.run(["alerts", "check"])
        #expect(check.status == 2, "\(check)")
        #expect(check.stdout.hasPrefix("LICTRACK CRITICAL - 1 breached"), "\(check.stdout)")
    }
}
