import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// Two clerks recording events on one application at the same moment are serialised.
@Suite("Concurrent events")
struct ConcurrentEventTests {
    /// What the second clerk's INSERT ended with, set from its thread.
    final class Outcome: @unchecked Sendable {
        let lock = NSLock()
        var state: String?? = .none
        func set(_ value: String?) { lock.withLock { state = .some(value) } }
        var value: String?? { lock.withLock { state } }
    }

    /// Starts `event` on `application` from another connection and returns once it waits for a lock.
    static func startBlockedInsert(
        _ event: String, on application: Int64, in db: TestDatabase, observer: PostgresConnection,
        outcome: Outcome, done: DispatchGroup
    ) throws {
        let second = try db.connect()
        let pid = try #require(try second.value("select pg_backend_pid()"))
        done.enter()
        let box = UncheckedBox(second)
        Thread {
            let connection = box.value
            outcome.set(sqlState { try connection.insertEvent(application, event, on: "2025-01-11") })
            connection.close()
            done.leave()
        }.start()
        for _ in 0..<200 {
            if try observer.value("select wait_event_type from pg_stat_activity where pid = $1::int", [pid]) == "Lock" {
                return
            }
            usleep(25_000)
        }
        Issue.record("the second INSERT never waited for the first clerk's lock")
    }

    /// The same event twice: the second clerk waits, then finds it no longer allowed (LT001), not a duplicate seq.
    @Test func secondClerkSeesTheFirstClerksStatus() throws {
        try TestDatabase.with { db in
            let first = try db.connect()
            defer { first.close() }
            let observer = try db.connect()
            defer { observer.close() }
            let application = try first.createApplication()
            let outcome = Outcome()
            let done = DispatchGroup()

            try first.execute("begin")
            try first.insertEvent(application, "submit", on: "2025-01-10")
            try Self.startBlockedInsert(
                "submit", on: application, in: db, observer: observer, outcome: outcome, done: done)
            try first.execute("commit")
            #expect(done.wait(timeout: .now() + 30) == .success)

            #expect(outcome.value == .some("LT001"))
            #expect(try first.eventCount(of: application) == 2)
            #expect(try first.status(of: application) == "submitted")
        }
    }

    /// A different allowed event: the second clerk's INSERT goes on from the first one's status, numbered after it.
    @Test func secondClerkIsNumberedAfterTheFirst() throws {
        try TestDatabase.with { db in
            let first = try db.connect()
            defer { first.close() }
            let observer = try db.connect()
            defer { observer.close() }
            let application = try first.createApplication()
            let outcome = Outcome()
            let done = DispatchGroup()

            try first.execute("begin")
            try first.insertEvent(application, "submit", on: "2025-01-10")
            try Self.startBlockedInsert(
                "withdraw", on: application, in: db, observer: observer, outcome: outcome, done: done)
            try first.execute("commit")
            #expect(done.wait(timeout: .now() + 30) == .success)

            #expect(outcome.value == .some(nil))
            let log = try first.query(
                "select seq, event, from_status from application_events where application_id = $1::bigint order by seq",
                [application])
            #expect(try log.map { try $0.decode(Int.self, "seq") } == [1, 2, 3])
            #expect(try log.map { try $0.decode(String.self, "event") } == ["create", "submit", "withdraw"])
            #expect(try log[2].decode(String.self, "from_status") == "submitted")
            #expect(try first.status(of: application) == "withdrawn")
        }
    }
}

/// Hands a non-Sendable value to exactly one other thread.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
