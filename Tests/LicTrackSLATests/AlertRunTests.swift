import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// `lictrack alerts run`: raising once, raising again for a moved deadline, its output, and
/// delivery to the stdout and JSON-lines channels, filtered and concurrent.
@Suite("Alert job: raising and delivering")
struct AlertRunTests {
    typealias F = AlertFixture

    static func raised(_ outcome: LicTrackBinary.Outcome) throws -> [[String: Any]] {
        try #require(try F.object(outcome)["raised"] as? [[String: Any]], "no raised list: \(outcome)")
    }

    static func runJSON(
        _ database: TestDatabase, asOf: String? = nil, environment: [String: String] = [:]
    ) throws
        -> [String: Any]
    {
        let arguments = ["alerts", "run", "--format", "json"] + (asOf.map { ["--as-of", $0] } ?? [])
        return try F.object(try F.ok(arguments, database, environment: environment))
    }

    @Test("each alert is raised once: a second run raises nothing new")
    func raisedOnce() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            // BIS: 90 calendar days from submission, due soon 5 days before.
            let app = try F.bis(connection, submittedOn: "2025-03-03")
            #expect(try F.deadline(connection, app) == "2025-06-01")

            #expect(try Self.raised(F.ok(["alerts", "run", "--as-of", "2025-05-20", "--format", "json"], db)).isEmpty)

            let first = try Self.raised(F.ok(["alerts", "run", "--as-of", "2025-05-28", "--format", "json"], db))
            try #require(first.count == 1)
            #expect(first[0]["level"] as? String == "due_soon")
            #expect(first[0]["application_id"] as? Int == Int(app))
            #expect(first[0]["deadline"] as? String == "2025-06-01")
            #expect(first[0]["raised_on"] as? String == "2025-05-28")

            #expect(try Self.raised(F.ok(["alerts", "run", "--as-of", "2025-05-28", "--format", "json"], db)).isEmpty)
            #expect(try Self.raised(F.ok(["alerts", "run", "--as-of", "2025-05-31", "--format", "json"], db)).isEmpty)

            let breach = try Self.raised(F.ok(["alerts", "run", "--as-of", "2025-06-02", "--format", "json"], db))
            try #require(breach.count == 1)
            #expect(breach[0]["level"] as? String == "breached")
            #expect(breach[0]["deadline"] as? String == "2025-06-01")

            #expect(try Self.raised(F.ok(["alerts", "run", "--as-of", "2025-06-02", "--format", "json"], db)).isEmpty)
            #expect(try Self.raised(F.ok(["alerts", "run", "--format", "json"], db)).isEmpty)
            #expect(try F.scalar(connection, "select count(*)::text as v from sla_alerts") == "2")
        }
    }

    @Test("a moved deadline (an extension) raises due_soon again, for the new deadline")
    func movedDeadline() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let app = try F.bis(connection, submittedOn: "2025-03-03")
            let first = try Self.raised(F.ok(["alerts", "run", "--as-of", "2025-05-28", "--format", "json"], db))
            #expect(first.count == 1)

            try connection.execute(
                """
                insert into application_events (application_id, event, occurred_on, reason, extend_by)
                values ($1::bigint, 'delay', '2025-05-29', 'extension', 10)
                """, [app])
            #expect(try F.deadline(connection, app) == "2025-06-11")

            // The old deadline has passed, but it is no longer the deadline: no breach.
            #expect(try Self.raised(F.ok(["alerts", "run", "--as-of", "2025-06-02", "--format", "json"], db)).isEmpty)

            let again = try Self.raised(F.ok(["alerts", "run", "--as-of", "2025-06-07", "--format", "json"], db))
            try #require(again.count == 1)
            #expect(again[0]["level"] as? String == "due_soon")
            #expect(again[0]["deadline"] as? String == "2025-06-11")
            #expect(again[0]["idempotency_key"] as? String != first[0]["idempotency_key"] as? String)
            #expect(try Self.raised(F.ok(["alerts", "run", "--as-of", "2025-06-07", "--format", "json"], db)).isEmpty)

            let rows = try connection.query(
                "select level, deadline::text as deadline from sla_alerts where application_id = $1::bigint order by id",
                [app]
            ).map { "\(try $0.decode(String.self, "level")) \(try $0.decode(String.self, "deadline"))" }
            #expect(rows == ["due_soon 2025-06-01", "due_soon 2025-06-11"])
        }
    }

    @Test(
        "--format json: as_of, raised (id, application_id, cycle, level, deadline, authority, raised_on, idempotency_key), delivered, failed, pending"
    )
    func jsonShape() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let app = try F.bis(connection, submittedOn: "2025-03-03")
            try F.ok(["alerts", "channel", "add", "file", "--kind", "jsonl", "--target", "/dev/null"], db)

            let outcome = try F.ok(["alerts", "run", "--as-of", "2025-06-02", "--format", "json"], db)
            let text = outcome.stdout
            let keys = [
                "\"as_of\"", "\"raised\"", "\"id\"", "\"application_id\"", "\"cycle\"", "\"level\"",
                "\"deadline\"", "\"authority\"", "\"raised_on\"", "\"idempotency_key\"", "\"delivered\"",
                "\"failed\"", "\"pending\"",
            ]
            let positions = keys.map { text.range(of: $0)?.lowerBound }
            #expect(!positions.contains(nil), "missing keys in \(text)")
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "keys out of order: \(text)")

            let object = try F.object(outcome)
            #expect(object.count == 5)
            #expect(object["as_of"] as? String == "2025-06-02")
            #expect(object["delivered"] as? Int == 1)
            #expect(object["failed"] as? Int == 0)
            #expect(object["pending"] as? Int == 0)
            let alert = try #require((object["raised"] as? [[String: Any]])?.first)
            #expect(alert.count == 8)
            let id = try #require(alert["id"] as? Int)
            #expect(alert["application_id"] as? Int == Int(app))
            #expect(alert["cycle"] as? Int == 1)
            #expect(alert["authority"] as? String == "BIS")
            #expect(
                alert["idempotency_key"] as? String
                    == (try F.scalar(
                        connection, "select idempotency_key::text as v from sla_alerts where id = $1::bigint", [id])))

            let none = try F.object(try F.ok(["alerts", "run", "--format", "json"], db))
            #expect(none["as_of"] is NSNull)
            #expect((none["raised"] as? [Any])?.isEmpty == true)
            #expect(none["delivered"] as? Int == 0)
        }
    }

    @Test("table output: one line per raised alert and a summary; the stdout channel prints alert_payload as one line")
    func tableAndStdoutChannel() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let first = try F.bis(connection, submittedOn: "2025-03-03", reference: "BIS-REF-1")
            let second = try F.bis(connection, submittedOn: "2025-03-04")
            try F.ok(["alerts", "channel", "add", "screen", "--kind", "stdout"], db)

            let outcome = try F.ok(["alerts", "run", "--as-of", "2025-06-03"], db)
            let lines = outcome.stdout.split(separator: "\n").map(String.init)
            let payloads = lines.filter { $0.hasPrefix("{") }
            let prose = lines.filter { !$0.hasPrefix("{") }
            #expect(payloads.count == 2)
            #expect(prose.count == 3, "\(outcome)")
            #expect(prose[0].contains("BREACHED application \(first)"))
            #expect(prose[1].contains("BREACHED application \(second)"))
            #expect(prose[2] == "Raised 2 alerts as of 2025-06-03; delivered 2, failed 0, pending 0.")

            let expected = try connection.query("select alert_payload(id)::text as p from sla_alerts order by id").map {
                try $0.decode(String.self, "p")
            }
            #expect(payloads == expected)
            let payload = try #require(try F.jsonLines(payloads[0]).first)
            #expect(payload["authority_reference"] as? String == "BIS-REF-1")
            #expect(payload["level"] as? String == "breached")
            let order = [
                "alert_id", "idempotency_key", "level", "application_id", "cycle", "authority",
                "authority_reference", "applicant", "destination", "owner", "status", "deadline",
                "raised_on", "raised_at",
            ]
            let positions = order.compactMap { payloads[0].range(of: "\"\($0)\"")?.lowerBound }
            #expect(positions.count == order.count && positions == positions.sorted())
        }
    }

    @Test("two runs at the same time never deliver one alert twice")
    func concurrentRuns() throws {
        try F.withTemporaryDirectory { directory in
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                var apps: [Int64] = []
                for day in 1...28 {
                    apps.append(try F.bis(connection, submittedOn: "2025-02-\(day < 10 ? "0" : "")\(day)"))
                }
                let fileA = directory.appendingPathComponent("a.jsonl").path
                let fileB = directory.appendingPathComponent("b.jsonl").path
                try F.ok(["alerts", "channel", "add", "a", "--kind", "jsonl", "--target", fileA], db)
                try F.ok(["alerts", "channel", "add", "b", "--kind", "jsonl", "--target", fileB], db)

                let arguments = ["alerts", "run", "--as-of", "2025-12-31", "--format", "json"]
                let one = F.start(arguments, db)
                let two = F.start(arguments, db)
                let outcomes = [try one.wait(), try two.wait()]
                for outcome in outcomes { #expect(outcome.status == 0, "\(outcome)") }
                let objects = try outcomes.map { try F.object($0) }
                let raisedTotal = objects.map { ($0["raised"] as? [Any])?.count ?? -1 }.reduce(0, +)
                let deliveredTotal = objects.map { $0["delivered"] as? Int ?? -1 }.reduce(0, +)
                #expect(raisedTotal == apps.count)
                #expect(deliveredTotal == 2 * apps.count)

                for file in [fileA, fileB] {
                    let lines = try F.jsonLines(file: file)
                    #expect(lines.count == apps.count, "\(file)")
                    let counts = F.counts(lines, "alert_id")
                    #expect(counts.count == apps.count)
                    #expect(counts.values.allSatisfy { $0 == 1 }, "delivered twice: \(counts.filter { $0.value > 1 })")
                }
                let mode = try FileManager.default.attributesOfItem(atPath: fileA)[.posixPermissions] as? Int
                #expect(mode == 0o640)
                #expect(
                    try F.scalar(
                        connection, "select count(*)::text as v from alert_deliveries where status = 'delivered'")
                        == "\(2 * apps.count)")
            }
        }
    }

    @Test("a channel gets only the authorities and levels it asks for; a disabled one gets nothing")
    func channelFilters() throws {
        try F.withTemporaryDirectory { directory in
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                let mofcom = try F.mofcom(connection, acceptedOn: "2025-03-05")
                let deadline = try #require(try F.deadline(connection, mofcom) as String?)
                // A BIS application with the same deadline: submitted 90 calendar days before it.
                let submitted = try #require(
                    try F.scalar(connection, "select ($1::date - 90)::text as v", [deadline]))
                let bis = try F.bis(connection, submittedOn: submitted)
                #expect(try F.deadline(connection, bis) == deadline)

                func file(_ name: String) -> String { directory.appendingPathComponent("\(name).jsonl").path }
                try F.ok(["alerts", "channel", "add", "all", "--kind", "jsonl", "--target", file("all")], db)
                try F.ok(
                    [
                        "alerts", "channel", "add", "mofcom", "--kind", "jsonl", "--target", file("mofcom"),
                        "--authority", "mofcom",
                    ], db)
                try F.ok(
                    [
                        "alerts", "channel", "add", "breaches", "--kind", "jsonl", "--target", file("breaches"),
                        "--level", "breached",
                    ], db)
                try F.ok(
                    [
                        "alerts", "channel", "add", "bis-due", "--kind", "jsonl", "--target", file("bis-due"),
                        "--authority", "BIS,ECJU", "--level", "due_soon",
                    ], db)
                try F.ok(["alerts", "channel", "add", "off", "--kind", "jsonl", "--target", file("off")], db)
                try F.ok(["alerts", "channel", "disable", "off"], db)

                let dueSoon = try Self.runJSON(db, asOf: deadline)
                #expect((dueSoon["raised"] as? [Any])?.count == 2)
                let nextDay = try #require(try F.scalar(connection, "select ($1::date + 1)::text as v", [deadline]))
                let breached = try Self.runJSON(db, asOf: nextDay)
                #expect((breached["raised"] as? [Any])?.count == 2)

                func received(_ name: String) throws -> Set<String> {
                    Set(try F.jsonLines(file: file(name)).map { "\($0["authority"]!) \($0["level"]!)" })
                }
                #expect(try received("all") == ["MOFCOM due_soon", "BIS due_soon", "MOFCOM breached", "BIS breached"])
                #expect(try received("mofcom") == ["MOFCOM due_soon", "MOFCOM breached"])
                #expect(try received("breaches") == ["MOFCOM breached", "BIS breached"])
                #expect(try received("bis-due") == ["BIS due_soon"])
                #expect(try received("off").isEmpty)
                #expect(
                    try F.scalar(
                        connection,
                        "select count(*)::text as v from alert_deliveries d join alert_channels c on c.id = d.channel_id where c.name = 'off'"
                    ) == "0")
            }
        }
    }

    @Test("deliveries of a channel disabled after raising wait, and go out once it is enabled again")
    func disabledChannelWaits() throws {
        try F.withTemporaryDirectory { directory in
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                _ = try F.bis(connection, submittedOn: "2025-03-03")
                let path = directory.appendingPathComponent("ops.jsonl").path
                try F.ok(["alerts", "channel", "add", "ops", "--kind", "jsonl", "--target", path], db)
                // Raised (and queued) by the database function itself, not delivered yet.
                _ = try connection.query("select * from alerts_raise('2025-06-02')")
                try F.ok(["alerts", "channel", "disable", "ops"], db)

                let waiting = try Self.runJSON(db)
                #expect(waiting["delivered"] as? Int == 0)
                #expect(waiting["pending"] as? Int == 1)
                #expect(try F.jsonLines(file: path).isEmpty)

                try F.ok(["alerts", "channel", "enable", "ops"], db)
                let sent = try Self.runJSON(db)
                #expect(sent["delivered"] as? Int == 1)
                #expect(sent["pending"] as? Int == 0)
                #expect(try F.jsonLines(file: path).count == 1)
            }
        }
    }
}
