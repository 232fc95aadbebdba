import Foundation
import LicTrackTestSupport
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Deliveries are claimed with a lease, sent outside any transaction and recorded after: a run
/// killed during a batch re-sends at most that batch once the lease expires, and two runs that
/// hold claims at the same time never send the same delivery.
@Suite("Alert job: leases")
struct AlertLeaseTests {
    typealias F = AlertFixture

    /// Statuses of the deliveries: status -> count.
    static func statuses(_ connection: PostgresConnection) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try connection.query("select status, count(*) as n from alert_deliveries group by status") {
            result[try row.decode(String.self, "status")] = try row.decode(Int.self, "n")
        }
        return result
    }

    /// Distinct lease tokens of the deliveries being sent.
    static func leaseHolders(_ connection: PostgresConnection) throws -> Int {
        try connection.query(
            "select count(distinct lease_token) as n from alert_deliveries where status = 'sending'")[0]
            .decode(Int.self, "n")
    }

    /// Requests per Idempotency-Key.
    static func perKey(_ server: AlertTestServer) -> [String: Int] {
        var result: [String: Int] = [:]
        for request in server.requests { result[request.header("Idempotency-Key") ?? "none", default: 0] += 1 }
        return result
    }

    @Test(
        "a run killed during a batch: no transaction open while it sends; once the lease expires only that batch is re-sent, with the same keys; nothing is lost"
    )
    func killedDuringBatch() throws {
        // The first request hangs (the run is killed while waiting); every later one succeeds.
        let server = try AlertTestServer { index in index == 0 ? nil : 200 }
        defer { server.stop() }
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            for day in ["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07"] {
                _ = try F.bis(connection, submittedOn: day)
            }
            try F.ok(["alerts", "channel", "add", "hook", "--kind", "webhook", "--target", server.url], db)

            let running = F.start(["alerts", "run", "--as-of", "2025-06-30", "--batch-size", "2"], db)
            // Both requests of the first batch are in flight (curl sends a batch in parallel).
            let sending = F.waitUntil(seconds: 30) { server.requests.count >= 2 }
            try #require(sending, "the run never sent its first batch")

            // Sending happens outside any transaction: the run's session is idle, not idle in transaction.
            let states = try connection.query(
                """
                select state from pg_stat_activity
                where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
                """
            ).map { try $0.decode(String.self, "state") }
            #expect(!states.isEmpty && states.allSatisfy { $0 == "idle" }, "\(states)")
            #expect(try Self.statuses(connection) == ["sending": 2, "pending": 3])
            // The lease lasts the channel's share of the run (90 s) and a grace of 60 s: 150 s at most.
            let lease = try connection.query(
                """
                select bool_and(lease_until > now() + interval '120 seconds') as long_enough,
                       bool_and(lease_until <= now() + interval '150 seconds') as not_longer,
                       bool_and(leased_by like '% pid %') as named
                from alert_deliveries where status = 'sending'
                """)[0]
            #expect(try lease.decode(Bool.self, "long_enough"))
            #expect(try lease.decode(Bool.self, "not_longer"))
            #expect(try lease.decode(Bool.self, "named"))

            kill(running.processIdentifier, SIGKILL)
            _ = try running.wait()
            let batchKeys = Set(server.requests.prefix(2).compactMap { $0.header("Idempotency-Key") })
            try #require(batchKeys.count == 2)

            // While the lease holds, a run sends the rest and leaves the leased batch alone.
            let before = try F.object(try F.ok(["alerts", "run", "--format", "json"], db))
            #expect(before["delivered"] as? Int == 3)
            #expect(before["pending"] as? Int == 2)
            #expect(try Self.statuses(connection) == ["sending": 2, "delivered": 3])

            // The lease expires (as if 150 s had passed): the batch is due again, and sent.
            try connection.execute("update alert_deliveries set next_attempt_at = now() where status = 'sending'")
            let after = try F.object(try F.ok(["alerts", "run", "--format", "json"], db))
            #expect(after["delivered"] as? Int == 2)
            #expect(after["pending"] as? Int == 0)
            #expect(try Self.statuses(connection) == ["delivered": 5])

            // 2 requests of the killed batch, 3, then the batch again: its keys twice, the others once.
            let counts = Self.perKey(server)
            #expect(server.requests.count == 7)
            let keys = Set(
                try connection.query("select idempotency_key::text as k from sla_alerts").map {
                    try $0.decode(String.self, "k")
                })
            #expect(Set(counts.keys) == keys)
            for (key, count) in counts {
                #expect(count == (batchKeys.contains(key) ? 2 : 1), "\(key): \(counts)")
            }
        }
    }

    @Test("two runs that provably overlap (both hold a claim at once) never send the same delivery")
    func overlappingRuns() throws {
        // Every request waits at the gate until the test opens it.
        let gate = Gate()
        let server = try AlertTestServer { _ in
            gate.wait()
            return 200
        }
        defer {
            gate.open()
            server.stop()
        }
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            for day in ["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06"] {
                _ = try F.bis(connection, submittedOn: day)
            }
            try F.ok(["alerts", "channel", "add", "hook", "--kind", "webhook", "--target", server.url], db)
            _ = try connection.query("select * from alerts_raise('2025-06-30')")

            let arguments = ["alerts", "run", "--batch-size", "2", "--format", "json"]
            let first = F.start(arguments, db)
            let firstHolds = try F.waitUntil(seconds: 30) {
                try Self.statuses(connection)["sending"] == 2 && server.requests.count == 2
            }
            let second = F.start(arguments, db)
            // Both runs hold a claim at the same moment: four deliveries leased, under two tokens,
            // and four requests waiting at the gate.
            let bothHold = try F.waitUntil(seconds: 30) {
                try Self.statuses(connection)["sending"] == 4 && Self.leaseHolders(connection) == 2
                    && server.requests.count == 4
            }
            gate.open()
            let outcomes = [try first.wait(), try second.wait()]
            try #require(firstHolds && bothHold, "the runs did not overlap: \(outcomes)")

            for outcome in outcomes { #expect(outcome.status == 0, "\(outcome)") }
            let delivered = try outcomes.map { try F.object($0)["delivered"] as? Int ?? -1 }
            #expect(delivered == [2, 2])
            #expect(server.requests.count == 4)
            #expect(Self.perKey(server).values.allSatisfy { $0 == 1 }, "sent twice: \(Self.perKey(server))")
            #expect(Self.perKey(server).count == 4)
            #expect(try Self.statuses(connection) == ["delivered": 4])
        }
    }

    @Test("a batch's outcome is recorded only by the run that holds its lease")
    func recordNeedsTheLease() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            _ = try F.bis(connection, submittedOn: "2025-03-03")
            try connection.execute("insert into alert_channels (name, kind) values ('screen', 'stdout')")
            _ = try connection.query("select * from alerts_raise('2025-06-30')")
            let mine = "11111111-1111-1111-1111-111111111111"
            let other = "22222222-2222-2222-2222-222222222222"
            let claimed = try connection.query(
                """
                select alert_id from alert_deliveries_claim(
                    (select id from alert_channels), 10, now(), interval '1 minute', $1::uuid, 'test')
                """, [mine])
            #expect(claimed.count == 1)
            // Leased: a second claim finds nothing.
            #expect(
                try connection.query(
                    """
                    select alert_id from alert_deliveries_claim(
                        (select id from alert_channels), 10, now(), interval '1 minute', $1::uuid, 'test')
                    """, [other]
                ).isEmpty)
            let recorded = { (token: String) throws -> Int in
                try connection.query(
                    """
                    select alert_deliveries_record(
                        (select id from alert_channels), $1::uuid, '{}', (select array_agg(alert_id) from alert_deliveries),
                        '{HTTP 500}', '{}') as n
                    """, [token])[0].decode(Int.self, "n")
            }
            #expect(try recorded(other) == 0)
            #expect(try recorded(mine) == 1)
            let row = try connection.query(
                """
                select status, attempts, last_error, lease_token is null as released,
                       next_attempt_at - last_attempt_at = interval '30 seconds' as backs_off,
                       failing_since = last_attempt_at as failing_from_now
                from alert_deliveries
                """)[0]
            #expect(try row.decode(String.self, "status") == "pending")
            #expect(try row.decode(Int.self, "attempts") == 1)
            #expect(try row.decode(String.self, "last_error") == "HTTP 500")
            #expect(try row.decode(Bool.self, "released"))
            #expect(try row.decode(Bool.self, "backs_off"))
            #expect(try row.decode(Bool.self, "failing_from_now"))
        }
    }
}

/// A gate that threads wait at until it is opened.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false

    func wait() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }

    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }
}
