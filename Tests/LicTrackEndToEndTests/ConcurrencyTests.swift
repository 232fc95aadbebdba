import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// Two clerks acting on one application at the same moment: exactly one wins, the other is refused.
///
/// The race is made real, not hoped for: the test holds the application's row lock, starts both
/// processes, waits until PostgreSQL shows both of them blocked on a lock, and only then lets go.
@Suite("Concurrent commands on one application")
struct ConcurrencyTests {
    /// Two verbs that are each allowed from `submitted` but not after the other.
    struct Race: Sendable, CustomTestStringConvertible {
        var first: Verb
        var second: Verb
        var testDescription: String { "\(first.rawValue) vs \(second.rawValue)" }
    }

    /// How many backends in `db` are waiting for a lock.
    static func blockedBackends(_ db: TestDatabase, on observer: PostgresConnection) throws -> Int {
        try observer.query(
            "select count(*) as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'", [db.name]
        )[0].decode(Int.self, "n")
    }

    @Test(
        "exactly one of two simultaneous decisions succeeds",
        arguments: [
            Race(first: .approve, second: .deny), Race(first: .withdraw, second: .approve),
            Race(first: .return, second: .deny), Race(first: .approve, second: .approve),
        ])
    func race(race: Race) throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, on: "2025-04-01")
            try lictrackOK(["app", "submit", String(id), "--on", "2025-04-02"], database: db)

            let locker = try db.connect()
            defer { locker.close() }
            let observer = try db.connect()
            defer { observer.close() }

            var running: [LicTrackBinary.Running] = []
            var blocked = 0
            try locker.transaction(maxAttempts: 1) { tx in
                _ = try tx.query("select * from applications where id = $1::bigint for update", [id])
                running = [race.first, race.second].map {
                    LicTrackBinary.start($0.arguments(String(id), on: "2025-04-03"), database: db)
                }
                let deadline = Date().addingTimeInterval(30)
                while Date() < deadline {
                    blocked = try Self.blockedBackends(db, on: observer)
                    if blocked >= 2 { break }
                    usleep(20_000)
                }
                // Committing releases the lock; the processes race for it from here.
            }
            #expect(blocked == 2, "both processes should have been waiting for the row lock")

            let outcomes = try running.map { try $0.wait() }
            let winners = outcomes.indices.filter { outcomes[$0].status == 0 }
            #expect(winners.count == 1, "exactly one must succeed: \(outcomes)")
            let losers = outcomes.filter { $0.status != 0 }
            #expect(losers.count == 1)
            if let loser = losers.first {
                expectFailure(loser, status: 65, "the losing \(race.testDescription)")
                #expect(loser.stderr.contains("cannot"), "not a clear refusal: \(loser.stderr)")
            }

            let shown = try show(id, db)
            let decisions = events(shown).filter {
                ["approve", "deny", "withdraw", "return"].contains($0["event"] as? String ?? "")
            }
            #expect(decisions.count == 1, "history must hold exactly one decision: \(events(shown))")
            #expect(events(shown).count == 3)
            if let winner = winners.first {
                let verb = [race.first, race.second][winner]
                #expect(decisions.first?["event"] as? String == verb.rawValue)
                #expect(shown["status"] as? String == verb.target(from: .submitted)?.rawValue)
            }
        }
    }

    @Test("many notes at once on one application are all recorded with distinct sequence numbers")
    func concurrentNotes() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, on: "2025-04-01")
            let count = 6
            let running = (0..<count).map { n in
                LicTrackBinary.start(
                    ["app", "note", String(id), "--note", "call \(n)", "--on", "2025-04-02"], database: db)
            }
            for outcome in try running.map({ try $0.wait() }) {
                #expect(outcome.status == 0, "\(outcome)")
            }
            let history = events(try show(id, db))
            #expect(history.count == count + 1)
            #expect(history.compactMap { int($0["seq"]) } == Array(1...(count + 1)))
            #expect(Set(history.compactMap { $0["note"] as? String }) == Set((0..<count).map { "call \($0)" }))
        }
    }
}
