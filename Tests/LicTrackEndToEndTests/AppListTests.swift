import Foundation
import LicTrackTestSupport
import Testing

/// `lictrack app list`: filters, sorting, limits.
///
/// Every test uses the same four applications (ids 1–4 in a fresh database), chosen so that no two
/// share a sort key:
///
/// | id | authority | destination | owner | created    | last event | status    |
/// |----|-----------|-------------|-------|------------|------------|-----------|
/// | 1  | BIS       | DE          | ann   | 2025-01-10 | 2025-01-11 | submitted |
/// | 2  | ECJU      | CN          | bob   | 2025-03-05 | 2025-03-05 | draft     |
/// | 3  | MOFCOM    | US          | ann   | 2025-02-01 | 2025-02-02 | withdrawn |
/// | 4  | BAFA      | GB          | –     | 2025-01-20 | 2025-02-10 | approved  |
@Suite("app list")
struct AppListTests {
    /// Creates the four applications in the table above and returns their ids in order.
    static func fixture(_ db: TestDatabase) throws -> [Int] {
        let a1 = try createApplication(
            db, authority: "BIS", destination: "DE", on: "2025-01-10", extra: ["--owner", "ann"])
        let a2 = try createApplication(
            db, authority: "ECJU", destination: "CN", on: "2025-03-05", extra: ["--owner", "bob"])
        let a3 = try createApplication(
            db, authority: "MOFCOM", destination: "US", on: "2025-02-01", extra: ["--owner", "ann"])
        let a4 = try createApplication(db, authority: "BAFA", destination: "GB", on: "2025-01-20")
        try lictrackOK(["app", "submit", String(a1), "--on", "2025-01-11"], database: db)
        try lictrackOK(["app", "withdraw", String(a3), "--on", "2025-02-02"], database: db)
        try lictrackOK(["app", "submit", String(a4), "--on", "2025-01-21"], database: db)
        try lictrackOK(["app", "approve", String(a4), "--on", "2025-02-10"], database: db)
        let ids = [a1, a2, a3, a4]
        try #require(ids == [1, 2, 3, 4], "a fresh database numbers applications from 1")
        return ids
    }

    @Test("filters: --status (repeated and comma-separated), --authority, --destination, --owner, --open")
    func filters() throws {
        try TestDatabase.with { db in
            _ = try Self.fixture(db)
            let cases: [([String], [Int])] = [
                ([], [1, 2, 3, 4]),
                (["--status", "draft"], [2]),
                (["--status", "draft,withdrawn"], [2, 3]),
                (["--status", "draft", "--status", "approved"], [2, 4]),
                (["--status", "draft,submitted", "--status", "approved"], [1, 2, 4]),
                (["--status", "under_review"], []),
                (["--authority", "ECJU"], [2]),
                (["--authority", "bis"], [1]),
                (["--destination", "us"], [3]),
                (["--destination", "DE"], [1]),
                (["--owner", "ann"], [1, 3]),
                (["--owner", "ANN"], [1, 3]),
                (["--owner", "Bob"], [2]),
                (["--open"], [1, 2]),
                (["--open", "--owner", "ann"], [1]),
                (["--status", "approved,withdrawn", "--owner", "ann"], [3]),
            ]
            for (arguments, expected) in cases {
                #expect(try listedIDs(arguments, db) == expected, "app list \(arguments.joined(separator: " "))")
            }
        }
    }

    @Test(
        "an unknown authority or destination is a usage error, not an empty list",
        arguments: [
            (["--authority", "XYZ"], "--authority: unknown authority 'XYZ'"),
            (["--destination", "zz"], "--destination: unknown country 'ZZ'"),
        ])
    func unknownCodes(arguments: [String], message: String) throws {
        try TestDatabase.with { db in
            let outcome = try lictrack(["app", "list"] + arguments, database: db)
            expectFailure(outcome, status: 64, "app list \(arguments.joined(separator: " "))")
            #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
            #expect(outcome.stdout.isEmpty)
        }
    }

    /// A sort key with the fixture's expected ascending order.
    struct SortCase: Sendable, CustomTestStringConvertible {
        var key: String
        var ascending: [Int]
        var testDescription: String { key }
    }

    @Test(
        "--sort KEY orders ascending and --desc reverses it",
        arguments: [
            SortCase(key: "id", ascending: [1, 2, 3, 4]),
            SortCase(key: "created", ascending: [1, 4, 3, 2]),
            SortCase(key: "updated", ascending: [1, 3, 4, 2]),
            SortCase(key: "status", ascending: [2, 1, 4, 3]),
            SortCase(key: "authority", ascending: [4, 1, 2, 3]),
            SortCase(key: "destination", ascending: [2, 1, 4, 3]),
        ])
    func sorting(sort: SortCase) throws {
        try TestDatabase.with { db in
            _ = try Self.fixture(db)
            #expect(try listedIDs(["--sort", sort.key], db) == sort.ascending, "--sort \(sort.key)")
            #expect(
                try listedIDs(["--sort", sort.key, "--desc"], db) == Array(sort.ascending.reversed()),
                "--sort \(sort.key) --desc")
            #expect(
                try listedIDs(["--sort", sort.key, "--desc", "--limit", "2"], db)
                    == Array(sort.ascending.reversed().prefix(2)),
                "--sort \(sort.key) --desc --limit 2")
        }
    }

    @Test("--limit keeps the first rows of the sorted list")
    func limit() throws {
        try TestDatabase.with { db in
            _ = try Self.fixture(db)
            #expect(try listedIDs(["--limit", "2"], db) == [1, 2])
            #expect(try listedIDs(["--limit", "0"], db) == [])
            #expect(try listedIDs(["--limit", "10"], db) == [1, 2, 3, 4])
            #expect(try listedIDs(["--sort", "created", "--limit", "3"], db) == [1, 4, 3])
            #expect(try listedIDs(["--open", "--limit", "1"], db) == [1])
        }
    }

    @Test("an unknown status or sort key is a usage error (64)")
    func badOptions() throws {
        try TestDatabase.with { db in
            expectFailure(
                try lictrack(["app", "list", "--status", "pending"], database: db), status: 64, "--status pending")
            expectFailure(
                try lictrack(["app", "list", "--status", "draft,nope"], database: db), status: 64, "--status draft,nope"
            )
            expectFailure(try lictrack(["app", "list", "--sort", "colour"], database: db), status: 64, "--sort colour")
            expectFailure(try lictrack(["app", "list", "--limit=-1"], database: db), status: 64, "--limit=-1")
        }
    }
}
