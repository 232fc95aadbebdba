import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// Seeing what is stuck: `alerts check --stale-after`, `alerts deliveries`, `alerts retry`.
@Suite("Alert commands: stale deliveries, deliveries, retry")
struct AlertMonitoringTests {
    typealias F = AlertFixture

    /// One BIS application in breach, a jsonl channel that works and a webhook that fails; one run.
    static func failingSetup(_ db: TestDatabase, _ connection: PostgresConnection, file: String) throws {
        _ = try F.bis(connection, submittedOn: "2025-03-03")
        _ = try F.bis(connection, submittedOn: "2025-03-04")
        try F.ok(["alerts", "channel", "add", "file", "--kind", "jsonl", "--target", file], db)
        try F.ok(
            ["alerts", "channel", "add", "hook", "--kind", "webhook", "--target", try AlertLivenessTests.closedURL()],
            db)
        try F.ok(["alerts", "run", "--as-of", "2025-06-30"], db)
    }

    @Test(
        "check: deliveries failing for longer than --stale-after (default 1h) are a WARNING naming the channel and its last error"
    )
    func staleDeliveries() throws {
        try F.withTemporaryDirectory { directory in
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                try Self.failingSetup(db, connection, file: directory.appendingPathComponent("a.jsonl").path)
                // Acknowledged, so that only the deliveries can make the check complain.
                try connection.execute("update sla_alerts set acknowledged_at = now()")
                #expect(try F.run(["alerts", "check"], db).stdout == "LICTRACK OK - no pending alerts\n")

                try connection.execute(
                    """
                    update alert_deliveries
                    set failing_since = '2026-01-01 00:00:00+00',
                        last_error = 'relay https://bob:hunter2@relay.example/x?sig=zzz&v=1 said 4|5'
                    where last_error is not null
                    """)
                var outcome = try F.run(["alerts", "check"], db)
                #expect(outcome.status == 1, "\(outcome)")
                #expect(
                    outcome.stdout
                        == "LICTRACK WARNING - 2 deliveries to channel hook failing for over 1h (since 2026-01-01T00:00:00Z): "
                        + "relay https://bob:***@relay.example/x?sig=***&v=1 said 4/5 "
                        + "| breached=0 due_soon=0 stale_deliveries=2\n")

                // Failing for two hours: stale after 90 minutes, not after 3 hours.
                try connection.execute(
                    "update alert_deliveries set failing_since = now() - interval '2 hours' where last_error is not null"
                )
                outcome = try F.run(["alerts", "check", "--stale-after", "3h"], db)
                #expect(outcome.status == 0, "\(outcome)")
                outcome = try F.run(["alerts", "check", "--stale-after", "1h30m"], db)
                #expect(outcome.status == 1, "\(outcome)")
                #expect(
                    outcome.stdout.hasPrefix("LICTRACK WARNING - 2 deliveries to channel hook failing for over 90m"))

                // An unacknowledged breach as well: CRITICAL, saying both.
                try connection.execute("update sla_alerts set acknowledged_at = null")
                outcome = try F.run(["alerts", "check"], db)
                #expect(outcome.status == 2, "\(outcome)")
                #expect(
                    outcome.stdout.hasPrefix("LICTRACK CRITICAL - 2 breached, 0 due soon; 2 deliveries to channel hook")
                )
                #expect(outcome.stdout.hasSuffix("| breached=2 due_soon=0 stale_deliveries=2\n"))

                // A disabled channel's deliveries wait on purpose: not reported.
                try F.ok(["alerts", "channel", "disable", "hook"], db)
                outcome = try F.run(["alerts", "check"], db)
                #expect(outcome.stdout == "LICTRACK CRITICAL - 2 breached, 0 due soon | breached=2 due_soon=0\n")

                for bad in ["5", "1x", "h", "0m", ""] {
                    let refused = try F.run(["alerts", "check", "--stale-after", bad], db)
                    #expect(refused.status == 64, "\(bad): \(refused)")
                    #expect(refused.stderr.contains("--stale-after takes a duration"), "\(refused)")
                    #expect(refused.stderr.contains("'\(bad)'"), "\(refused)")
                }
            }
        }
    }

    @Test("deliveries: attempts, next attempt and last error, as a table, JSON and CSV; --failing and --channel")
    func deliveriesList() throws {
        try F.withTemporaryDirectory { directory in
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                try Self.failingSetup(db, connection, file: directory.appendingPathComponent("a.jsonl").path)

                let all = try #require(
                    try F.ok(["alerts", "deliveries", "--format", "json"], db).json() as? [[String: Any]])
                #expect(all.count == 4)
                #expect(all.map { $0["channel"] as? String } == ["file", "hook", "file", "hook"])
                for entry in all where entry["channel"] as? String == "file" {
                    #expect(entry["status"] as? String == "delivered")
                    #expect(entry["attempts"] as? Int == 1)
                    #expect(entry["next_attempt_at"] is NSNull)
                    #expect(entry["delivered_at"] is String)
                    #expect(entry["last_error"] is NSNull)
                }
                let failing = try #require(
                    try F.ok(["alerts", "deliveries", "--failing", "--format", "json"], db).json() as? [[String: Any]])
                #expect(failing.count == 2)
                for entry in failing {
                    #expect(entry["channel"] as? String == "hook")
                    #expect(entry["channel_kind"] as? String == "webhook")
                    #expect(entry["status"] as? String == "pending")
                    #expect(entry["attempts"] as? Int == 1)
                    #expect(entry["next_attempt_at"] is String)
                    #expect(entry["failing_since"] is String)
                    #expect((entry["last_error"] as? String)?.hasPrefix("curl (7): ") == true, "\(entry)")
                    #expect(entry["lease_until"] is NSNull)
                }
                let keys = try F.ok(["alerts", "deliveries", "--format", "json"], db).stdout
                let order = [
                    "alert_id", "application_id", "level", "channel", "channel_kind", "status", "attempts",
                    "next_attempt_at", "lease_until", "leased_by", "failing_since", "last_attempt_at", "delivered_at",
                    "last_error", "idempotency_key",
                ]
                let positions = order.compactMap { keys.range(of: "\"\($0)\"")?.lowerBound }
                #expect(positions.count == order.count && positions == positions.sorted())

                let file = try #require(
                    try F.ok(["alerts", "deliveries", "--channel", "file", "--format", "json"], db).json()
                        as? [[String: Any]])
                #expect(file.count == 2)
                let csv = try F.ok(["alerts", "deliveries", "--failing", "--format", "csv"], db).stdout
                let csvLines = csv.split(whereSeparator: \.isNewline)
                #expect(csvLines.first.map(String.init) == order.joined(separator: ","))
                #expect(csvLines.count == 3)
                let table = try F.ok(["alerts", "deliveries", "--failing"], db).stdout.split(separator: "\n")
                #expect(table.count == 3)
                #expect(
                    table.first?.hasPrefix("ALERT  APP  LEVEL     CHANNEL  STATUS   ATTEMPTS  NEXT ATTEMPT") == true,
                    "\(table)")
                #expect(table.dropFirst().allSatisfy { $0.contains("hook") && $0.contains("curl (7): ") })

                #expect(
                    try F.ok(["alerts", "deliveries", "--failing", "--channel", "file"], db).stdout
                        == "No failing deliveries.\n")
                let unknown = try F.run(["alerts", "deliveries", "--channel", "nope"], db)
                #expect(unknown.status == 66, "\(unknown)")
                #expect(
                    unknown.stderr
                        == "lictrack: error: no alert channel is named 'nope' (see 'lictrack alerts channel list')\n")
            }
        }
    }

    @Test("retry --channel: the channel's failing deliveries are due now, and the next run sends them")
    func retry() throws {
        try F.withTemporaryDirectory { directory in
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                try Self.failingSetup(db, connection, file: directory.appendingPathComponent("a.jsonl").path)
                let dueNow =
                    "select count(*)::text as v from alert_deliveries where status = 'pending' and next_attempt_at <= now()"
                #expect(try F.scalar(connection, dueNow) == "0")

                let outcome = try F.ok(["alerts", "retry", "--channel", "hook"], db)
                #expect(
                    outcome.stdout
                        == "Made 2 failing deliveries to channel hook due now; 'lictrack alerts run' sends them.\n")
                #expect(try F.scalar(connection, dueNow) == "2")
                #expect(
                    try F.ok(["alerts", "retry", "--channel", "file"], db).stdout
                        == "Alert channel file has no failing deliveries.\n")
                let unknown = try F.run(["alerts", "retry", "--channel", "nope"], db)
                #expect(unknown.status == 66)
                let missing = try F.run(["alerts", "retry"], db)
                #expect(missing.status == 64)

                // The next run tries them again (and they fail again: the receiver is still down).
                let again = try F.object(try F.ok(["alerts", "run", "--format", "json"], db))
                #expect(again["failed"] as? Int == 2)
                #expect(
                    try F.scalar(
                        connection,
                        "select string_agg(attempts::text, ',') as v from alert_deliveries where last_error is not null"
                    )
                        == "2,2")
            }
        }
    }
}
