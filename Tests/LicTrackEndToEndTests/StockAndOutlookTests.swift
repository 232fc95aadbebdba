import Foundation
import LicTrackTestSupport
import Testing

/// The built `lictrack`: stock records (`app stock`, `app create --stock-runs-out`), the forecast
/// and stock in `app show`, the new `app list` columns and the policy basis.
@Suite("Stock, forecast and delay columns")
struct StockAndOutlookTests {
    /// A BIS application submitted on 2025-05-01: deadline 2025-07-30 (90 calendar days).
    static func submittedBIS(_ db: TestDatabase) throws -> Int {
        let id = try createApplication(db, authority: "BIS", on: "2025-05-01")
        try lictrackOK(["app", "submit", String(id), "--on", "2025-05-01"], database: db)
        return id
    }

    static func show(_ db: TestDatabase, _ id: Int, asOf: String) throws -> [String: Any] {
        let outcome = try lictrackOK(["app", "show", String(id), "--as-of", asOf, "--format", "json"], database: db)
        return try #require(try outcome.json() as? [String: Any])
    }

    @Test func appStockRecordsAndShowsTheStock() throws {
        try TestDatabase.with { db in
            let id = try Self.submittedBIS(db)
            let recorded = try lictrackOK(
                [
                    "app", "stock", String(id), "--runs-out", "2025-07-20", "--feeds", "Müller & Söhne line 2", "--on",
                    "2025-05-02",
                ], database: db)
            #expect(recorded.stdout.hasPrefix("Application \(id): still submitted (stock on 2025-05-02)."))

            let shown = try Self.show(db, id, asOf: "2025-06-18")
            let stock = try #require(shown["stock"] as? [String: Any])
            #expect(stock["runs_out"] as? String == "2025-07-20")
            #expect(stock["feeds"] as? String == "Müller & Söhne line 2")
            // No forecast to go on, so the deadline 2025-07-30 counts: 10 days short.
            #expect(int(stock["days_short"]) == 10)
            let forecast = try #require(shown["forecast"] as? [String: Any])
            #expect(forecast["p50"] is NSNull)
            #expect(forecast["p90"] is NSNull)
            #expect(int(forecast["sample"]) == 0)
            #expect(forecast["reason"] as? String == "too few decided applications")
            let events = try #require(shown["events"] as? [[String: Any]])
            #expect(events.last?["event"] as? String == "stock")
            #expect(events.last?["stock_runs_out"] as? String == "2025-07-20")

            let table = try lictrackOK(["app", "show", String(id), "--as-of", "2025-06-18"], database: db).stdout
            #expect(
                table.contains(
                    "Stock:          runs out 2025-07-20, feeds Müller & Söhne line 2 (recorded 2025-05-02); SUPPLY RISK: 10 days short"
                ))
            #expect(table.contains("Forecast:       none: too few decided applications (0 to go on)"))
        }
    }

    @Test func appStockBadInput() throws {
        try TestDatabase.with { db in
            let id = String(try Self.submittedBIS(db))
            expectFailure(try lictrack(["app", "stock", id, "--runs-out", "2025-07-20"], database: db), status: 64)
            expectFailure(try lictrack(["app", "stock", id, "--feeds", "Line 2"], database: db), status: 64)
            expectFailure(
                try lictrack(["app", "stock", id, "--runs-out", "2025-13-01", "--feeds", "x"], database: db), status: 64
            )
            expectFailure(
                try lictrack(["app", "stock", id, "--runs-out", "2025-07-20", "--feeds", " "], database: db), status: 64
            )
            expectFailure(
                try lictrack(["app", "stock", "999999", "--runs-out", "2025-07-20", "--feeds", "x"], database: db),
                status: 66)
            let shown = try Self.show(db, Int(id)!, asOf: "2025-06-18")
            #expect(shown["stock"] is NSNull)
        }
    }

    @Test func appCreateWithStock() throws {
        try TestDatabase.with { db in
            let created = try lictrackOK(
                [
                    "app", "create", "--authority", "MOFCOM", "--applicant", "Ningbo Eastbay Magnetics",
                    "--destination",
                    "DE", "--on", "2025-04-01", "--stock-runs-out", "2025-07-15", "--feeds", "Traction motors",
                    "--format", "json",
                ], database: db)
            let id = try createdID(created)
            let shown = try Self.show(db, id, asOf: "2025-04-02")
            let stock = try #require(shown["stock"] as? [String: Any])
            #expect(stock["runs_out"] as? String == "2025-07-15")
            #expect(stock["feeds"] as? String == "Traction motors")
            #expect(stock["days_short"] is NSNull)
            #expect(shown["forecast"] is NSNull)
            let events = try #require(shown["events"] as? [[String: Any]])
            #expect(events.map { $0["event"] as? String } == ["create", "stock"])
            #expect(events[1]["on"] as? String == "2025-04-01")

            let before = try lictrackOK(["app", "list", "--format", "json"], database: db).stdout
            for partial in [["--stock-runs-out", "2025-07-15"], ["--feeds", "Traction motors"]] {
                expectFailure(
                    try lictrack(
                        ["app", "create", "--authority", "MOFCOM", "--applicant", "A", "--destination", "DE"] + partial,
                        database: db), status: 64)
            }
            #expect(try lictrackOK(["app", "list", "--format", "json"], database: db).stdout == before)
        }
    }

    /// `app list` gains days_in_status, remaining and overdue in every format.
    @Test func appListColumns() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, authority: "BIS", on: "2025-03-01")
            try lictrackOK(["app", "submit", String(id), "--on", "2025-03-10"], database: db)
            // Day 90 after 2025-03-10 is 2025-06-08; on 2025-06-18 that is 100 elapsed, 10 overdue.
            let json = try lictrackOK(["app", "list", "--as-of", "2025-06-18", "--format", "json"], database: db)
            let rows = try #require(try json.json() as? [[String: Any]])
            #expect(int(rows[0]["days_in_status"]) == 100)
            #expect(int(rows[0]["remaining"]) == -10)
            #expect(int(rows[0]["overdue"]) == 10)

            let csv = parseCSV(
                try lictrackOK(["app", "list", "--as-of", "2025-06-18", "--format", "csv"], database: db).stdout)
            let header = csv[0]
            let row = csv[1]
            for (column, value) in [("days_in_status", "100"), ("remaining", "-10"), ("overdue", "10")] {
                let index = try #require(header.firstIndex(of: column), "no \(column) in \(header)")
                #expect(row[index] == value)
            }

            let table = try lictrackOK(["app", "list", "--as-of", "2025-06-18"], database: db).stdout
            let lines = table.split(separator: "\n").map(String.init)
            #expect(
                lines[0].split(separator: " ", omittingEmptySubsequences: true).prefix(9) == [
                    "ID", "AUTHORITY", "STATUS", "SINCE", "DAYS", "DEADLINE", "SLA", "LEFT", "OVERDUE",
                ])
            #expect(
                lines[1].split(separator: " ", omittingEmptySubsequences: true).prefix(9) == [
                    "\(id)", "BIS", "submitted", "2025-03-10", "100", "2025-06-08", "breached", "-10", "10",
                ])
        }
    }

    @Test func policyBasis() throws {
        try TestDatabase.with { db in
            let shown = try #require(
                try lictrackOK(["policy", "show", "MOFCOM", "--format", "json"], database: db).json() as? [String: Any])
            #expect(
                shown["basis"] as? String
                    == "45 working days from acceptance, Regulations on Export Control of Dual-Use Items (State Council Order No. 792)"
            )
            let basis = "20 working days from submission, ECJU service target (internal escalation after 30)"
            try lictrackOK(["policy", "set", "ECJU", "--basis", basis], database: db)
            let ecju = try #require(
                try lictrackOK(["policy", "show", "ECJU", "--format", "json"], database: db).json() as? [String: Any])
            #expect(ecju["basis"] as? String == basis)
            #expect(int(ecju["target"]) == 20)
            #expect(
                try lictrackOK(["policy", "show", "ECJU"], database: db).stdout.contains("Basis:           \(basis)"))
            let csv = parseCSV(try lictrackOK(["policy", "list", "--format", "csv"], database: db).stdout)
            let column = try #require(csv[0].firstIndex(of: "basis"))
            #expect(csv.first { $0.first == "BIS" }?[column] == "90 calendar days from registration, 15 CFR 750.4(a)")
            #expect(try lictrackOK(["policy", "list"], database: db).stdout.contains("BASIS"))
        }
    }
}
