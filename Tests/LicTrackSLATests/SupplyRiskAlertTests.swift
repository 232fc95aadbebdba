import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// The `supply_risk` alert level (migration 0015): raised once per application, cycle and stock
/// date through the same outbox and channels; never for a decided application; a warning for
/// `alerts check`.
///
/// The BIS clock of these tests counts 90 calendar days from submission on 2025-03-03, so its
/// deadline is 2025-06-01. With no decided BIS applications there is no forecast, so the deadline
/// is the date the stock is judged against.
@Suite("Alert job: supply risk")
struct SupplyRiskAlertTests {
    typealias F = AlertFixture

    static func stock(
        _ connection: PostgresConnection, _ id: Int64, on day: String, runsOut: String, feeds: String = "Line 3"
    ) throws {
        try connection.execute(
            """
            insert into application_events (application_id, event, occurred_on, stock_runs_out, feeds)
            values ($1::bigint, 'stock', $2::date, $3::date, $4)
            """, [id, day, runsOut, feeds])
    }

    static func raised(_ database: TestDatabase, asOf: String) throws -> [[String: Any]] {
        let object = try F.object(try F.ok(["alerts", "run", "--as-of", asOf, "--format", "json"], database))
        return try #require(object["raised"] as? [[String: Any]], "no raised list: \(object)")
    }

    @Test("raised once per cycle and stock date, with the stock record and the days short")
    func raisedOnce() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let app = try F.bis(connection, submittedOn: "2025-03-03")
            #expect(try F.deadline(connection, app) == "2025-06-01")
            try Self.stock(connection, app, on: "2025-03-10", runsOut: "2025-05-01")

            let first = try Self.raised(db, asOf: "2025-03-10")
            try #require(first.count == 1)
            #expect(first[0]["level"] as? String == "supply_risk")
            #expect(first[0]["application_id"] as? Int == Int(app))
            #expect(first[0]["stock_runs_out"] as? String == "2025-05-01")
            #expect(first[0]["feeds"] as? String == "Line 3")
            // 1 May to 1 June: 31 calendar days.
            #expect(first[0]["days_short"] as? Int == 31)
            #expect(first[0]["deadline"] as? String == "2025-06-01")

            #expect(try Self.raised(db, asOf: "2025-03-10").isEmpty)
            #expect(try Self.raised(db, asOf: "2025-03-20").isEmpty)
            // The same runs-out day recorded again raises nothing new.
            try Self.stock(connection, app, on: "2025-03-21", runsOut: "2025-05-01", feeds: "Line 3 and 4")
            #expect(try Self.raised(db, asOf: "2025-03-21").isEmpty)

            let listed = try #require(F.run(["alerts", "list", "--format", "json"], db).json() as? [[String: Any]])
            #expect(listed.map { $0["level"] as? String } == ["supply_risk"])
            #expect(listed.first?["days_short"] as? Int == 31)
        }
    }

    @Test("a moved stock date raises again; stock that lasts past the deadline raises nothing")
    func movedStockDate() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let app = try F.bis(connection, submittedOn: "2025-03-03")
            try Self.stock(connection, app, on: "2025-03-10", runsOut: "2025-05-01")
            #expect(try Self.raised(db, asOf: "2025-03-10").count == 1)

            try Self.stock(connection, app, on: "2025-03-12", runsOut: "2025-05-15")
            let again = try Self.raised(db, asOf: "2025-03-12")
            try #require(again.count == 1)
            #expect(again[0]["level"] as? String == "supply_risk")
            #expect(again[0]["stock_runs_out"] as? String == "2025-05-15")
            // 15 May to 1 June: 17 calendar days.
            #expect(again[0]["days_short"] as? Int == 17)

            // Runs out the day after the deadline: no risk, no alert.
            try Self.stock(connection, app, on: "2025-03-14", runsOut: "2025-06-02")
            #expect(try Self.raised(db, asOf: "2025-03-14").isEmpty)
            // Runs out on the deadline itself: the deadline does not fall after it, no alert either.
            try Self.stock(connection, app, on: "2025-03-15", runsOut: "2025-06-01")
            #expect(try Self.raised(db, asOf: "2025-03-15").isEmpty)

            let rows = try connection.query(
                """
                select stock_runs_out::text as d from sla_alerts
                where application_id = $1::bigint and level = 'supply_risk' order by id
                """, [app]
            ).map { try $0.decode(String.self, "d") }
            #expect(rows == ["2025-05-01", "2025-05-15"])
        }
    }

    @Test("never for a decided application")
    func neverDecided() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let app = try F.bis(connection, submittedOn: "2025-03-03")
            try Self.stock(connection, app, on: "2025-03-10", runsOut: "2025-04-01")
            try connection.execute(
                "insert into application_events (application_id, event, occurred_on) values ($1::bigint, 'approve', '2025-03-11')",
                [app])
            #expect(try Self.raised(db, asOf: "2025-03-12").isEmpty)
            #expect(try Self.raised(db, asOf: "2025-04-02").isEmpty)
            #expect(try F.scalar(connection, "select count(*)::text as v from sla_alerts") == "0")
        }
    }

    @Test("a channel limited to supply_risk gets only those; one limited to due_soon none of them")
    func channelFilter() throws {
        try F.withTemporaryDirectory { folder in
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                let supplyFile = folder.appendingPathComponent("supply.jsonl").path
                let dueFile = folder.appendingPathComponent("due.jsonl").path
                try F.ok(
                    [
                        "alerts", "channel", "add", "supply", "--kind", "jsonl", "--target", supplyFile, "--levels",
                        "supply_risk",
                    ], db)
                try F.ok(
                    ["alerts", "channel", "add", "due", "--kind", "jsonl", "--target", dueFile, "--level", "due_soon"],
                    db)
                let app = try F.bis(connection, submittedOn: "2025-03-03")
                try Self.stock(connection, app, on: "2025-03-10", runsOut: "2025-05-01")

                #expect(try Self.raised(db, asOf: "2025-03-10").count == 1)
                // due_soon on 2025-05-27 (5 days before the deadline).
                #expect(try Self.raised(db, asOf: "2025-05-28").map { $0["level"] as? String } == ["due_soon"])

                let supply = try F.jsonLines(file: supplyFile)
                #expect(supply.map { $0["level"] as? String } == ["supply_risk"])
                #expect(supply.first?["stock_runs_out"] as? String == "2025-05-01")
                #expect(supply.first?["feeds"] as? String == "Line 3")
                #expect(supply.first?["days_short"] as? Int == 31)
                #expect(try F.jsonLines(file: dueFile).map { $0["level"] as? String } == ["due_soon"])

                let bad = try F.run(["alerts", "channel", "add", "x", "--kind", "stdout", "--levels", "supply"], db)
                #expect(bad.status == 64, "\(bad)")
                #expect(bad.stderr.contains("'supply'") && bad.stderr.contains("supply_risk"), "\(bad)")
            }
        }
    }

    @Test("alerts check: a pending supply_risk alone is a WARNING (exit 1); acknowledged, OK")
    func checkWarns() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            // Submitted 10 days ago: deadline in 80 days, not due soon. Stock runs out in 30 days.
            let submitted = try #require(
                try F.scalar(connection, "select (authority_today('BIS') - 10)::text as v"))
            let runsOut = try #require(try F.scalar(connection, "select (authority_today('BIS') + 30)::text as v"))
            let app = try F.bis(connection, submittedOn: submitted)
            try Self.stock(connection, app, on: submitted, runsOut: runsOut)
            try F.ok(["alerts", "run"], db)

            var outcome = try F.run(["alerts", "check"], db)
            #expect(outcome.status == 1, "\(outcome)")
            #expect(
                outcome.stdout == "LICTRACK WARNING - 1 at supply risk | breached=0 due_soon=0 supply_risk=1\n")

            let id = try #require(try F.scalar(connection, "select id::text as v from sla_alerts"))
            try F.ok(["alerts", "ack", id, "--note", "plant told"], db)
            outcome = try F.run(["alerts", "check"], db)
            #expect(outcome.status == 0, "\(outcome)")
            #expect(outcome.stdout == "LICTRACK OK - no pending alerts\n")
        }
    }
}
