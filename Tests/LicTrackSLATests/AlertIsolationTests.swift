import Foundation
import LicTrackTestSupport
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Channels are isolated: a webhook that hangs delays neither the other channels nor the end of
/// the run beyond its share; a failing channel stops early; webhooks to one host share a bound on
/// requests in flight.
@Suite("Alert job: isolated channels")
struct AlertIsolationTests {
    typealias F = AlertFixture

    @Test(
        "a webhook that hangs: the jsonl and e-mail channels are delivered while it hangs, and the run ends after the webhook's share"
    )
    func hungWebhook() throws {
        let server = try AlertTestServer { _ in nil }
        defer { server.stop() }
        try F.withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("ops.jsonl").path
            let outbox = directory.appendingPathComponent("outbox")
            try FileManager.default.createDirectory(at: outbox, withIntermediateDirectories: true)
            let sendmail = directory.appendingPathComponent("sendmail")
            try F.script(sendmail, "cat > \"\(outbox.path)/mail-$$.eml\"\n")
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                _ = try F.bis(connection, submittedOn: "2025-03-03")
                _ = try F.bis(connection, submittedOn: "2025-03-04")
                try F.ok(["alerts", "channel", "add", "hook", "--kind", "webhook", "--target", server.url], db)
                try F.ok(["alerts", "channel", "add", "file", "--kind", "jsonl", "--target", file], db)
                try F.ok(["alerts", "channel", "add", "mail", "--kind", "email", "--target", "ops@example.com"], db)

                let started = ContinuousClock.now
                let running = F.start(
                    ["alerts", "run", "--as-of", "2025-06-30", "--channel-time", "4", "--format", "json"], db,
                    environment: ["LICTRACK_SENDMAIL": sendmail.path])
                func mails() -> Int {
                    ((try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? []).count
                }
                let othersDone = try F.waitUntil(seconds: 3) { try F.jsonLines(file: file).count == 2 && mails() == 2 }
                let stillRunning = !AlertLivenessTests.isGone(running.processIdentifier)
                let outcome = try #require(try AlertLivenessTests.wait(for: running, killAfter: 60))
                let elapsed = ContinuousClock.now - started

                #expect(othersDone, "jsonl and e-mail were not delivered within 3 s: \(outcome)")
                #expect(stillRunning, "the run had already ended: the webhook did not hang")
                // The webhook's share is 4 s; curl is stopped then (SIGTERM, SIGKILL 2 s later at most).
                #expect(elapsed < .seconds(12), "alerts run took \(elapsed)")
                #expect(outcome.status == 0, "\(outcome)")
                let summary = try F.object(outcome)
                #expect(summary["delivered"] as? Int == 4)
                #expect(summary["failed"] as? Int == 2)
                #expect(summary["pending"] as? Int == 2)
                #expect(outcome.stderr.contains("to channel hook failed"), "\(outcome)")

                let hook = try connection.query(
                    """
                    select d.status, d.attempts, d.last_error from alert_deliveries d
                    join alert_channels c on c.id = d.channel_id where c.name = 'hook'
                    """)
                #expect(hook.count == 2)
                for row in hook {
                    #expect(try row.decode(String.self, "status") == "pending")
                    #expect(try row.decode(Int.self, "attempts") == 1)
                    let error = try row.decode(String.self, "last_error")
                    #expect(error.contains("curl timed out after 4 s"), "\(error)")
                }
            }
        }
    }

    @Test("a failing receiver stops its channel for the run after one failed batch; the rest wait, untried")
    func failingChannelStops() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            for day in ["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07"] {
                _ = try F.bis(connection, submittedOn: day)
            }
            try F.ok(
                [
                    "alerts", "channel", "add", "dead", "--kind", "webhook", "--target",
                    try AlertLivenessTests.closedURL(),
                ],
                db)
            let outcome = try F.ok(
                ["alerts", "run", "--as-of", "2025-06-30", "--batch-size", "2", "--format", "json"], db)
            let summary = try F.object(outcome)
            #expect(summary["delivered"] as? Int == 0)
            #expect(summary["failed"] as? Int == 2)
            #expect(summary["pending"] as? Int == 5)
            let lines = outcome.stderr.split(separator: "\n")
            #expect(lines.count == 3, "\(outcome)")
            #expect(
                lines.last.map(String.init)
                    == "lictrack: warning: channel dead stopped for this run because its receiver is failing; "
                    + "3 deliveries wait for the next run", "\(outcome)")
            let attempts = try connection.query(
                "select attempts, count(*) as n from alert_deliveries group by attempts order by attempts"
            ).map { "\(try $0.decode(Int.self, "attempts")):\(try $0.decode(Int.self, "n"))" }
            #expect(attempts == ["0:3", "1:2"])
        }
    }

    @Test(
        "webhooks to one host: each channel's batch goes out in parallel, and the host never has more than 8 requests in flight"
    )
    func hostConcurrency() throws {
        let inFlight = Counter()
        let server = try AlertTestServer { _ in
            inFlight.enter()
            usleep(400_000)
            inFlight.leave()
            return 200
        }
        defer { server.stop() }
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            for day in 1...12 {
                _ = try F.bis(connection, submittedOn: "2025-03-\(day < 10 ? "0" : "")\(day)")
            }
            try F.ok(["alerts", "channel", "add", "a", "--kind", "webhook", "--target", server.url + "?to=a"], db)
            try F.ok(["alerts", "channel", "add", "b", "--kind", "webhook", "--target", server.url + "?to=b"], db)

            let started = ContinuousClock.now
            let summary = try F.object(try F.ok(["alerts", "run", "--as-of", "2025-06-30", "--format", "json"], db))
            let elapsed = ContinuousClock.now - started
            #expect(summary["delivered"] as? Int == 24)
            #expect(server.requests.count == 24)
            let keysByChannel = Dictionary(grouping: server.requests) { $0.path }
                .mapValues { Set($0.compactMap { $0.header("Idempotency-Key") }).count }
            #expect(keysByChannel == ["/hooks/lictrack?to=a": 12, "/hooks/lictrack?to=b": 12])
            // 8 in flight at most; more than one channel's 4 at once (the channels send side by side).
            #expect(inFlight.maximum <= 8, "\(inFlight.maximum) requests in flight")
            #expect(inFlight.maximum >= 5, "\(inFlight.maximum) requests in flight")
            // 24 requests of 0.4 s each, 8 at a time: about 1.2 s, far below one after another (9.6 s).
            #expect(elapsed < .seconds(6), "alerts run took \(elapsed)")
        }
    }
}

/// Counts concurrent entries and remembers the most at once.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private var most = 0

    var maximum: Int { lock.withLock { most } }

    func enter() {
        lock.withLock {
            current += 1
            most = max(most, current)
        }
    }

    func leave() {
        lock.withLock { current -= 1 }
    }
}
