import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// `sla_clocks_as_of()`, the set-based clock as of a day, against the per-application
/// `sla_clock_as_of()` of migration 0004 on random histories.
///
/// Migration 0009 makes `sla_clock_as_of` a row of `sla_clocks_as_of`, so the original is
/// recreated here from the text of 0004 as it is embedded in the binary (a temporary function),
/// and both are asked the same questions.
@Suite("Clocks as of a day, set-based")
struct ClocksAsOfTests {
    /// A small deterministic generator (SplitMix64), so that a failure can be replayed from its seed.
    typealias SplitMix = SeededGenerator

    /// Creates `pg_temp.sla_clock_as_of_0004` from migration 0004's own text.
    static func createOriginal(_ connection: PostgresConnection) throws {
        let sql = try #require(Migration.all.first { $0.version == 4 }?.sql)
        let start = try #require(sql.range(of: "create function sla_clock_as_of("))
        let end = try #require(sql.range(of: "\n$$;\n", range: start.upperBound..<sql.endIndex))
        let text = String(sql[start.lowerBound..<end.upperBound])
            .replacing("create function sla_clock_as_of(", with: "create function pg_temp.sla_clock_as_of_0004(")
        try connection.executeScript(text)
    }

    /// Records a random legal history for a new application of `authority`: the events the
    /// workflow allows from each status (asked of the database), a few days apart.
    static func randomHistory(
        _ connection: PostgresConnection, authority: String, using rng: inout SplitMix
    ) throws -> Int64 {
        var day = ClockFixture.date("2025-01-02").adding(days: Int.random(in: 0...120, using: &rng))
        let id = try ClockFixture.application(connection, authority: authority, createdOn: day.description)
        for _ in 0..<Int.random(in: 0...14, using: &rng) {
            let status = try #require(
                try ClockFixture.value(connection, "select status from applications where id = $1::bigint", [id]))
            let allowed = try connection.query(
                "select event from workflow_transitions where from_status = $1 and event not in ('add-item') order by event",
                [status]
            ).map { try $0.decode(String.self, "event") }
            // Decisions and withdrawals are rarer, so that many clocks stay open.
            let weighted = allowed.flatMap { ["approve", "deny", "withdraw"].contains($0) ? [$0] : [$0, $0, $0] }
            guard let event = weighted.randomElement(using: &rng) else { break }
            day = day.adding(days: Int.random(in: 0...12, using: &rng))
            let extendBy = event == "delay" && Bool.random(using: &rng) ? Int.random(in: 1...10, using: &rng) : nil
            try connection.execute(
                """
                insert into application_events (application_id, event, occurred_on, reason, extend_by, note,
                                                stock_runs_out, feeds)
                values ($1::bigint, $2, $3::date, $4, $5::integer, $6, $7::date, $8)
                """,
                [
                    id, event, day.description, event == "delay" ? (extendBy == nil ? "referral" : "extension") : nil,
                    extendBy, event == "note" ? "called" : nil,
                    event == "stock" ? day.adding(days: 60).description : nil,
                    event == "stock" ? "Line 1" : nil,
                ])
        }
        return id
    }

    static let columns = [
        "cycle", "target", "extension", "unit", "calendar", "started_on", "deadline", "elapsed", "remaining", "paused",
        "state", "provisional",
    ]

    /// Every column of every application's clock, as text, keyed by application.
    static func clocks(_ rows: PostgresResult) throws -> [Int64: [String?]] {
        var result: [Int64: [String?]] = [:]
        for row in rows {
            result[try row.decode(Int64.self, "application_id")] = columns.map { row[$0] }
        }
        return result
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func agreesWithThePerApplicationOriginal(seed: UInt64) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try Self.createOriginal(connection)
            var rng = SplitMix(state: seed)
            var ids: [Int64] = []
            for index in 0..<40 {
                let authority = ["MOFCOM", "BIS", "ECJU", "BAFA"][index % 4]
                ids.append(try Self.randomHistory(connection, authority: authority, using: &rng))
            }
            // A rule change after some applications closed: their stored clocks are not recomputed.
            try connection.execute("update sla_policies set target = target + 7 where authority in ('BIS', 'MOFCOM')")

            var days = ["2025-01-01", "2025-06-30", "2026-12-31", "2027-06-01"]
            for _ in 0..<6 {
                days.append(
                    ClockFixture.date("2025-01-02").adding(days: Int.random(in: 0...400, using: &rng)).description)
            }
            for day in days {
                let setBased = try Self.clocks(
                    try connection.query(
                        "select * from sla_clocks_as_of($1::bigint[], $2::date)",
                        ["{" + ids.map(String.init).joined(separator: ",") + "}", day]))
                var original: [Int64: [String?]] = [:]
                for id in ids {
                    let rows = try connection.query(
                        "select $1::bigint as application_id, * from pg_temp.sla_clock_as_of_0004($1::bigint, $2::date)",
                        [id, day])
                    original.merge(try Self.clocks(rows)) { $1 }
                }
                #expect(setBased == original, "seed \(seed), as of \(day)")
                // sla_clock_as_of (what app show reads) is one row of it.
                for id in ids.prefix(8) {
                    let rows = try connection.query(
                        "select $1::bigint as application_id, * from sla_clock_as_of($1::bigint, $2::date)", [id, day])
                    #expect(try Self.clocks(rows)[id] == original[id], "application \(id), as of \(day)")
                }
            }
        }
    }

    /// `app list`'s new columns come from the same projection: days in status, remaining, overdue.
    @Test func appListColumns() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let late = try ClockFixture.submitted(connection, authority: "BIS", on: "2025-03-10")
            let early = try ClockFixture.submitted(connection, authority: "BIS", on: "2025-05-01")
            let draft = try ClockFixture.application(connection, authority: "ECJU", createdOn: "2025-05-01")
            var filter = ApplicationFilter()
            filter.asOf = ClockFixture.date("2025-06-18")
            let rows = try ApplicationStore(connection: connection).list(filter)
            let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
            // Day 90 after 2025-03-10 is 2025-06-08: 100 elapsed, 10 overdue on 06-18.
            #expect(byID[late]?.daysInStatus == 100)
            #expect(byID[late]?.remaining == -10)
            #expect(byID[late]?.overdue == 10)
            #expect(byID[late]?.slaState == "breached")
            #expect(byID[early]?.daysInStatus == 48)
            #expect(byID[early]?.remaining == 42)
            #expect(byID[early]?.overdue == 0)
            #expect(byID[draft]?.remaining == nil)
            #expect(byID[draft]?.overdue == 0)
            #expect(byID[draft]?.slaState == "not_started")
        }
    }
}
