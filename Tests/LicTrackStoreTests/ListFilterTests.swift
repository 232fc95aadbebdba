import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// ApplicationStore.list: each filter, each sort order, descending and limit.
@Suite("Listing applications")
struct ListFilterTests {
    /// One case: a filter and the applications (by label) it should list, in order.
    struct Case: Sendable {
        var name: String
        var filter: ApplicationFilter
        var expected: [String]

        init(_ name: String, _ expected: [String], _ configure: (inout ApplicationFilter) -> Void) {
            var filter = ApplicationFilter()
            configure(&filter)
            self.name = name
            self.filter = filter
            self.expected = expected
        }
    }

    /// Five applications with distinct dates, statuses, authorities, destinations and owners.
    ///
    /// | label | authority | dest | owner | created    | events (2025)                 | status       | last event |
    /// |-------|-----------|------|-------|------------|-------------------------------|--------------|------------|
    /// | a1    | BAFA      | CN   | alice | 2025-01-02 | submit 01-10                  | submitted    | 01-10      |
    /// | a2    | BIS       | DE   | bob   | 2025-01-05 | submit 01-06, approve 01-20   | approved     | 01-20      |
    /// | a3    | ECJU      | CN   | alice | 2025-01-03 | -                             | draft        | 01-03      |
    /// | a4    | MOFCOM    | US   | -     | 2025-01-04 | withdraw 01-08                | withdrawn    | 01-08      |
    /// | a5    | BAFA      | JP   | bob   | 2025-01-01 | submit 01-02, accept 01-30    | under_review | 01-30      |
    static func seed(_ connection: PostgresConnection) throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        ids["a1"] = try connection.createApplication(
            authority: "BAFA", destination: "CN", createdOn: "2025-01-02", owner: "alice")
        ids["a2"] = try connection.createApplication(
            authority: "BIS", destination: "DE", createdOn: "2025-01-05", owner: "bob")
        ids["a3"] = try connection.createApplication(
            authority: "ECJU", destination: "CN", createdOn: "2025-01-03", owner: "alice")
        ids["a4"] = try connection.createApplication(authority: "MOFCOM", destination: "US", createdOn: "2025-01-04")
        ids["a5"] = try connection.createApplication(
            authority: "BAFA", destination: "JP", createdOn: "2025-01-01", owner: "bob")
        try connection.insertEvent(ids["a1"]!, "submit", on: "2025-01-10")
        try connection.insertEvent(ids["a2"]!, "submit", on: "2025-01-06")
        try connection.insertEvent(ids["a2"]!, "approve", on: "2025-01-20")
        try connection.insertEvent(ids["a4"]!, "withdraw", on: "2025-01-08")
        try connection.insertEvent(ids["a5"]!, "submit", on: "2025-01-02")
        try connection.insertEvent(ids["a5"]!, "accept", on: "2025-01-30")
        return ids
    }

    static let cases: [Case] = [
        Case("everything by id", ["a1", "a2", "a3", "a4", "a5"]) { _ in },
        Case("status", ["a1", "a5"]) { $0.statuses = ["submitted", "under_review"] },
        Case("one status", ["a2"]) { $0.statuses = ["approved"] },
        Case("authority", ["a1", "a5"]) { $0.authority = "BAFA" },
        Case("destination", ["a1", "a3"]) { $0.destination = "CN" },
        Case("owner", ["a2", "a5"]) { $0.owner = "bob" },
        Case("open only", ["a1", "a3", "a5"]) { $0.openOnly = true },
        Case("open BAFA submitted", ["a1"]) {
            $0.openOnly = true
            $0.authority = "BAFA"
            $0.statuses = ["submitted"]
        },
        Case("nothing matches", []) {
            $0.authority = "ECJU"
            $0.owner = "bob"
        },
        Case("sort created", ["a5", "a1", "a3", "a4", "a2"]) { $0.sort = .created },
        Case("sort updated", ["a3", "a4", "a1", "a2", "a5"]) { $0.sort = .updated },
        Case("sort status", ["a3", "a1", "a5", "a2", "a4"]) { $0.sort = .status },
        Case("sort authority", ["a1", "a5", "a2", "a3", "a4"]) { $0.sort = .authority },
        Case("sort destination", ["a1", "a3", "a2", "a5", "a4"]) { $0.sort = .destination },
        Case("id descending", ["a5", "a4", "a3", "a2", "a1"]) { $0.descending = true },
        Case("limit", ["a1", "a2"]) { $0.limit = 2 },
        Case("limit after sort", ["a5", "a1"]) {
            $0.sort = .created
            $0.limit = 2
        },
        Case("limit after filter, descending", ["a5"]) {
            $0.authority = "BAFA"
            $0.descending = true
            $0.limit = 1
        },
    ]

    /// Descending reverses the whole sort order, not only the id that breaks ties.
    static let descendingCases: [Case] = [
        Case("created descending", ["a2", "a4", "a3", "a1", "a5"]) {
            $0.sort = .created
            $0.descending = true
        },
        Case("updated descending", ["a5", "a2", "a1", "a4", "a3"]) {
            $0.sort = .updated
            $0.descending = true
        },
        Case("status descending", ["a4", "a2", "a5", "a1", "a3"]) {
            $0.sort = .status
            $0.descending = true
        },
        Case("authority descending", ["a4", "a3", "a2", "a5", "a1"]) {
            $0.sort = .authority
            $0.descending = true
        },
        Case("destination descending", ["a4", "a5", "a2", "a3", "a1"]) {
            $0.sort = .destination
            $0.descending = true
        },
    ]

    @Test func filtersSortsAndLimits() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let ids = try Self.seed(connection)
            let labels = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
            let store = ApplicationStore(connection: connection)
            for testCase in Self.cases {
                let listed = try store.list(testCase.filter)
                #expect(listed.map { labels[$0.id] ?? "?" } == testCase.expected, "\(testCase.name)")
            }
        }
    }

    /// Product bug: `descending` appends DESC to the last ORDER BY key only ("a.created_on, a.id desc"),
    /// so every sort but id stays ascending.
    @Test func descendingReversesEverySortOrder() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let ids = try Self.seed(connection)
            let labels = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
            let store = ApplicationStore(connection: connection)
            for testCase in Self.descendingCases {
                let listed = try store.list(testCase.filter)
                #expect(listed.map { labels[$0.id] ?? "?" } == testCase.expected, "\(testCase.name)")
            }
        }
    }

    /// A summary carries the application's current facts.
    @Test func summaryFields() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let ids = try Self.seed(connection)
            try connection.execute(
                "insert into application_items (application_id, description) values ($1::bigint, 'Motor'), ($1::bigint, 'Drive')",
                [ids["a5"]!])
            var filter = ApplicationFilter()
            filter.owner = "bob"
            filter.authority = "BAFA"
            let summary = try #require(try ApplicationStore(connection: connection).list(filter).first)
            #expect(summary.id == ids["a5"])
            #expect(summary.status == "under_review")
            #expect(summary.statusSince == CivilDate(iso8601: "2025-01-30"))
            #expect(summary.destination == "JP")
            #expect(summary.createdOn == CivilDate(iso8601: "2025-01-01"))
            #expect(summary.itemCount == 2)
            #expect(summary.licenceType == "single")
        }
    }
}
