import Foundation
import LicTrackTestSupport
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `kill -9` of the CLI in the middle of recording an event leaves no trace: the event is one
/// transaction that the killed process never commits.
///
/// The moment is made certain, not hoped for: the test holds the application's row lock from a
/// second connection, so `app accept` stops inside its `INSERT` (the trigger locks the row first);
/// PostgreSQL shows its backend waiting on the lock; the test kills the process, and only then
/// lets go of the lock, so the orphaned backend runs the whole trigger before it finds its
/// client gone.
@Suite("Faults: kill -9 of the CLI mid-event")
struct KilledEventTests {
    /// The backends of `database` that lictrack opened and that wait for a lock in their INSERT.
    static func waitingInsert(_ observer: PostgresConnection, _ database: String) throws -> [Int] {
        try observer.query(
            """
            select pid from pg_stat_activity
            where datname = $1 and application_name = 'lictrack' and wait_event_type = 'Lock'
              and state = 'active' and query ilike '%insert into application_events%'
            """, [database]
        ).map { try $0.decode(Int.self, "pid") }
    }

    /// Whether the backend `pid` is still there.
    static func isConnected(_ observer: PostgresConnection, _ pid: Int) throws -> Bool {
        try observer.query("select count(*) as n from pg_stat_activity where pid = $1::integer", [pid])[0]
            .decode(Int.self, "n") == 1
    }

    @Test(
        "kill -9 while app accept waits inside its INSERT: nothing written, the chain intact, the next event is seq 3")
    func killedWhileWaiting() throws {
        try TestDatabase.with { db in
            let url = db.connectionString
            let created = try Fault.object(
                try Fault.ok(
                    [
                        "app", "create", "--authority", "BIS", "--applicant", "Acme Export GmbH", "--destination", "DE",
                        "--on", "2025-04-01", "--format", "json",
                    ], url: url))
            let id = try #require(created["id"] as? Int)
            try Fault.ok(["app", "submit", String(id), "--on", "2025-04-02"], url: url)

            let observer = try db.connect()
            defer { observer.close() }
            let clockBefore = try observer.query(
                "select count(*) as n, max(started_on)::text as started from application_clocks where application_id = $1::bigint",
                [id])[0]
            #expect(try clockBefore.decode(Int.self, "n") == 1)

            let locker = try db.connect()
            defer { locker.close() }
            var waiting: [Int] = []
            var killed: LicTrackBinary.Outcome?
            try locker.transaction(maxAttempts: 1) { tx in
                _ = try tx.query("select id from applications where id = $1::bigint for update", [id])
                let running = LicTrackBinary.start(
                    ["app", "accept", String(id), "--on", "2025-04-03", "--authority-ref", "BIS-KILLED-1"],
                    environment: ["LICTRACK_DATABASE_URL": url])
                _ = try Fault.waitUntil(seconds: 30) {
                    waiting = try Self.waitingInsert(observer, db.name)
                    return waiting.count == 1
                }
                kill(running.processIdentifier, SIGKILL)
                killed = try running.wait()
                // Rolling back releases the lock: the orphaned INSERT runs now, with nobody to commit it.
            }
            let backend = try #require(waiting.first, "app accept never waited for the row lock")
            #expect(killed?.status == SIGKILL, "the process was not killed by SIGKILL: \(killed.map { "\($0)" } ?? "")")

            // The server notices the dead client once the INSERT is done, and rolls it back.
            let gone = try Fault.waitUntil(seconds: 30) { try !Self.isConnected(observer, backend) }
            #expect(gone, "the killed command's backend is still there")

            let history = try Fault.history(observer, Int64(id))
            #expect(history.map(\.event) == ["create", "submit"])
            #expect(try Fault.chainDefect(observer, Int64(id)) == nil)
            let row = try observer.query(
                """
                select status, authority_reference, last_event_seq, last_event,
                       (select count(*) from application_clocks k where k.application_id = a.id) as clocks,
                       (select max(started_on)::text from application_clocks k where k.application_id = a.id) as started
                from applications a where id = $1::bigint
                """, [id])[0]
            #expect(try row.decode(String.self, "status") == "submitted")
            #expect(try row.decodeIfPresent(String.self, "authority_reference") == nil)
            #expect(try row.decode(Int.self, "last_event_seq") == 2)
            #expect(try row.decode(String.self, "last_event") == "submit")
            #expect(try row.decode(Int.self, "clocks") == 1)
            #expect(
                try row.decodeIfPresent(String.self, "started")
                    == (try clockBefore.decodeIfPresent(String.self, "started")))

            // The same event again succeeds, numbered right after the last committed one.
            let again = try Fault.object(
                try Fault.ok(["app", "accept", String(id), "--on", "2025-04-03", "--format", "json"], url: url))
            #expect(again["seq"] as? Int == 3)
            #expect(again["from"] as? String == "submitted")
            #expect(again["to"] as? String == "under_review")
            #expect(try Fault.chainDefect(observer, Int64(id)) == nil)
        }
    }
}
