import Foundation
import LicTrackTestSupport
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `alerts run` interrupted in the middle of a delivery, by `kill -9` or by PostgreSQL stopping
/// (fast or immediate) under it: no alert is lost, and the batch that was being sent is sent again,
/// with the same idempotency keys, by the first run after its lease expires, which is at most
/// `--channel-time` + 60 s after it was claimed (Docs/alerts-delivery.md). Nothing else is sent twice.
///
/// The receiver is a sendmail stub that records each message's `X-Lictrack-Idempotency-Key` and
/// then blocks while a file exists, so the run is provably in the middle of its first batch when
/// the fault strikes.
@Suite("Faults: alerts run interrupted mid-delivery")
struct AlertRunFaultTests {
    /// What strikes the run while its first sendmail blocks.
    enum Interruption: Sendable, CaseIterable, CustomTestStringConvertible {
        case killCLI
        case stopServerFast
        case stopServerImmediate

        var testDescription: String {
            switch self {
            case .killCLI: "kill -9 of alerts run"
            case .stopServerFast: "PostgreSQL stopped (fast), then started"
            case .stopServerImmediate: "PostgreSQL stopped (immediate), then started"
            }
        }
    }

    /// Each channel's share of the run in these tests; a claim's lease lasts at most this + 60 s.
    static let channelSeconds = 20
    /// The documented bound on a re-send: the channel's share plus the lease's grace.
    static let resendBound = channelSeconds + 60
    /// The applications (and so the alerts), and the batch size: the first batch is 2 of 5.
    static let submitted = ["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07"]
    static let batchSize = 2

    /// A sendmail that records the idempotency key, then waits while `hold` exists.
    static func sendmailStub(received: String, hold: String) -> String {
        """
        key=$(sed -n 's/^X-Lictrack-Idempotency-Key: *//p' | head -n 1 | tr -d '\\r')
        echo "$key" >> '\(received)'
        while [ -e '\(hold)' ]; do sleep 0.1; done
        exit 0

        """
    }

    /// Delivery statuses: status -> count.
    static func statuses(_ connection: PostgresConnection) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try connection.query("select status, count(*) as n from alert_deliveries group by status") {
            result[try row.decode(String.self, "status")] = try row.decode(Int.self, "n")
        }
        return result
    }

    @Test(
        "an interrupted run loses nothing; its batch is re-sent within the lease bound, nothing else twice",
        .timeLimit(.minutes(5)), arguments: Interruption.allCases)
    func interrupted(_ interruption: Interruption) throws {
        if interruption == .killCLI {
            try TestDatabase.with { db in
                try Self.scenario(interruption, url: db.connectionString, connect: db.connect, cluster: nil)
            }
        } else {
            let cluster = try ThrowawayCluster.create()
            defer { cluster.remove() }
            let admin = try cluster.connect()
            try admin.execute("create database lictrack")
            admin.close()
            let url = cluster.url(database: "lictrack")
            try Fault.ok(["db", "migrate"], url: url)
            try Self.scenario(
                interruption, url: url, connect: { try cluster.connect(database: "lictrack") }, cluster: cluster)
        }
    }

    static func scenario(
        _ interruption: Interruption, url: String, connect: () throws -> PostgresConnection,
        cluster: ThrowawayCluster?
    ) throws {
        try Fault.withTemporaryDirectory { directory in
            let received = directory.appendingPathComponent("received").path
            let hold = directory.appendingPathComponent("hold").path
            let sendmail = directory.appendingPathComponent("sendmail")
            try Fault.script(sendmail, sendmailStub(received: received, hold: hold))
            _ = FileManager.default.createFile(atPath: hold, contents: nil)
            defer { try? FileManager.default.removeItem(atPath: hold) }
            let environment = ["LICTRACK_SENDMAIL": sendmail.path]
            let run = [
                "alerts", "run", "--as-of", "2025-06-30", "--batch-size", String(batchSize), "--channel-time",
                String(channelSeconds), "--format", "json",
            ]

            var connection = try connect()
            defer { connection.close() }
            for day in submitted {
                let id = try connection.query(
                    """
                    insert into applications (authority, applicant, destination, created_on)
                    values ('BIS', 'Acme Magnets Ltd', 'DE', $1::date) returning id
                    """, [day]
                )[0].decode(Int64.self, "id")
                try connection.execute(
                    "insert into application_events (application_id, event, occurred_on) values ($1::bigint, 'submit', $2::date)",
                    [id, day])
            }
            try Fault.ok(
                ["alerts", "channel", "add", "mail", "--kind", "email", "--target", "ops@example.com"], url: url)
            let startedAt = try connection.query("select now()::text as t")[0].decode(String.self, "t")

            let running = Fault.start(run, url: url, environment: environment)
            let inFlight = Fault.waitUntil(seconds: 60) { Fault.lines(of: received).count == 1 }
            try #require(inFlight, "the run never handed its first message to sendmail")
            #expect(try statuses(connection) == ["sending": 2, "pending": 3])
            let batch = Set(
                try connection.query(
                    """
                    select a.idempotency_key::text as k from alert_deliveries d join sla_alerts a on a.id = d.alert_id
                    where d.status = 'sending'
                    """
                ).map { try $0.decode(String.self, "k") })
            let first = try #require(Fault.lines(of: received).first)
            #expect(batch.count == 2 && batch.contains(first), "\(batch) \(first)")
            // The batch was claimed after the run started and before sendmail saw its first message:
            // its lease lasts at least the grace of 60 s, and ends within the documented bound.
            let seenAt = try connection.query("select clock_timestamp()::text as t")[0].decode(String.self, "t")
            let lease = try connection.query(
                """
                select bool_and(lease_until >= $1::timestamptz + interval '60 seconds') as long_enough,
                       bool_and(lease_until <= $2::timestamptz + make_interval(secs => $3::integer)) as bounded
                from alert_deliveries where status = 'sending'
                """, [startedAt, seenAt, resendBound])[0]
            #expect(try lease.decode(Bool.self, "long_enough"))
            #expect(try lease.decode(Bool.self, "bounded"), "a lease outlasts the documented \(resendBound) s")

            // The fault.
            switch interruption {
            case .killCLI:
                kill(running.processIdentifier, SIGKILL)
                let killed = try running.wait()
                #expect(killed.status == SIGKILL, "\(killed)")
                try FileManager.default.removeItem(atPath: hold)
            case .stopServerFast, .stopServerImmediate:
                let cluster = try #require(cluster)
                connection.close()
                try cluster.stop(interruption == .stopServerFast ? .fast : .immediate)
                // sendmail accepts the message and the next one; recording them finds no server.
                try FileManager.default.removeItem(atPath: hold)
                let failed = try running.wait()
                #expect(failed.status == 69, "\(failed)")
                #expect(Fault.isOneErrorLine(failed.stderr), "\(failed.stderr.debugDescription)")
                try cluster.start()
                connection = try connect()
            }
            let sentBeforeFault = interruption == .killCLI ? 1 : 2
            #expect(Fault.lines(of: received).count == sentBeforeFault)

            // Nothing lost: the alerts were committed before anything was sent.
            #expect(try connection.query("select count(*) as n from sla_alerts")[0].decode(Int.self, "n") == 5)
            #expect(try statuses(connection) == ["sending": 2, "pending": 3])

            // While the lease holds, the next run sends the other three and leaves the batch alone.
            let next = try Fault.object(try Fault.ok(run, url: url, environment: environment))
            #expect(next["delivered"] as? Int == 3, "\(next)")
            #expect(next["pending"] as? Int == 2, "\(next)")

            // Once the lease has expired, within the bound, the batch is due again and sent.
            let expired = try Fault.waitUntil(seconds: Double(resendBound) + 30) {
                try connection.query(
                    "select count(*) as n from alert_deliveries where status = 'sending' and next_attempt_at > now()"
                )[0].decode(Int.self, "n") == 0
            }
            try #require(expired, "the lease never expired")
            // (5 s for polling on a busy machine.)
            let withinBound = try connection.query(
                "select now() <= $1::timestamptz + make_interval(secs => $2::integer + 5) as ok", [seenAt, resendBound]
            )[0].decode(Bool.self, "ok")
            #expect(withinBound, "the batch was not due again within \(resendBound) s of its claim")
            let last = try Fault.object(try Fault.ok(run, url: url, environment: environment))
            #expect(last["delivered"] as? Int == 2, "\(last)")
            #expect(last["pending"] as? Int == 0, "\(last)")
            #expect(try statuses(connection) == ["delivered": 5])

            // Every alert arrived; the interrupted batch's keys twice if they reached sendmail before, the rest once.
            let keys = Set(
                try connection.query("select idempotency_key::text as k from sla_alerts").map {
                    try $0.decode(String.self, "k")
                })
            var counts: [String: Int] = [:]
            for key in Fault.lines(of: received) { counts[key, default: 0] += 1 }
            #expect(Set(counts.keys) == keys, "\(counts)")
            let twice = Set(Fault.lines(of: received).prefix(sentBeforeFault))
            for key in keys {
                #expect(counts[key] == (twice.contains(key) ? 2 : 1), "\(key): \(counts)")
            }
        }
    }
}
