import LicTrackTestSupport
import Postgres
import Testing

/// `PostgresConnection.stream`: rows one at a time in libpq's single-row mode.
@Suite("Streaming queries")
struct StreamTests {
    @Test func rowsArriveInOrderWithTheirColumns() throws {
        let connection = try connect()
        var seen: [(Int, String?)] = []
        let count = try connection.stream(
            "SELECT n, CASE WHEN n % 2 = 0 THEN 'even ' || n END AS label FROM generate_series(1, $1::int) n ORDER BY n",
            [5]
        ) { row in
            seen.append((try row.decode(Int.self, "n"), try row.decodeIfPresent(String.self, "label")))
        }
        #expect(count == 5)
        #expect(seen.map(\.0) == [1, 2, 3, 4, 5])
        #expect(seen.map(\.1) == [nil, "even 2", nil, "even 4", nil])
        // The connection goes on as usual.
        #expect(try connection.query("SELECT 42 AS n")[0].decode(Int.self, "n") == 42)
    }

    @Test func noRowsIsNotAnError() throws {
        let connection = try connect()
        var calls = 0
        #expect(try connection.stream("SELECT 1 AS n WHERE false") { _ in calls += 1 } == 0)
        #expect(calls == 0)
        #expect(try connection.stream("CREATE TEMP TABLE streamed (n int)") { _ in calls += 1 } == 0)
        #expect(calls == 0)
    }

    /// A row kept beyond the callback stays readable: each row owns its result.
    @Test func rowsOutliveTheCallback() throws {
        let connection = try connect()
        var rows: [PostgresRow] = []
        try connection.stream("SELECT n, repeat('x', n) AS s FROM generate_series(1, 3) n ORDER BY n") {
            rows.append($0)
        }
        #expect(try rows.map { try $0.decode(String.self, "s") } == ["x", "xx", "xxx"])
    }

    struct Stop: Error {}

    /// The caller stops early: the statement is cancelled, and the connection is usable at once.
    @Test func throwingFromTheCallbackCancelsTheStatement() throws {
        let connection = try connect()
        var seen = 0
        #expect(throws: Stop.self) {
            try connection.stream("SELECT n FROM generate_series(1, 5000000) n") { _ in
                seen += 1
                if seen == 3 { throw Stop() }
            }
        }
        #expect(seen == 3)
        #expect(try connection.query("SELECT 7 AS n")[0].decode(Int.self, "n") == 7)
    }

    /// A server error after some rows: the rows already handed over stay, then the error is thrown.
    @Test func aServerErrorMidwayIsThrownAfterTheRowsBeforeIt() throws {
        let connection = try connect()
        var seen: [Int] = []
        let error = try #require(
            throws: PostgresError.self,
            performing: {
                try connection.stream("SELECT 10 / (4 - n) AS q FROM generate_series(1, 6) n") { row in
                    seen.append(try row.decode(Int.self, "q"))
                }
            })
        #expect(error.sqlState == "22012")
        #expect(seen == [3, 5, 10])
        #expect(try connection.query("SELECT 1 AS n").count == 1)
    }

    @Test func anInvalidStatementFailsWithItsSQLState() throws {
        let connection = try connect()
        let error = try #require(throws: PostgresError.self) {
            try connection.stream("SELECT * FROM no_such_table_for_streaming") { _ in }
        }
        #expect(error.sqlState == "42P01")
        #expect(error.kind == .server)
    }

    /// Errors from a streamed statement are scrubbed of the password like every other error.
    @Test func errorsAreScrubbedOfThePassword() throws {
        let secret = "Str3am-s3cret-\(UInt32.random(in: 0...UInt32.max))"
        let connection = try PostgresConnection(
            configuration: .init(connectionString: try adminConnectionString(replacing: ["password": secret])))
        defer { connection.close() }
        let error = try #require(throws: PostgresError.self) {
            try connection.stream("SELECT $1::int AS n", [secret]) { _ in }
        }
        #expect(error.sqlState == "22P02")
        #expect(!error.message.contains(secret))
        #expect(!String(describing: error).contains(secret))
    }

    @Test func aClosedConnectionFailsAsLost() throws {
        let connection = try connect()
        connection.close()
        let error = try #require(throws: PostgresError.self) { try connection.stream("SELECT 1") { _ in } }
        #expect(error.kind == .connectionLost)
    }

    /// Inside a transaction a cancelled stream aborts the transaction, which the wrapper rolls back.
    @Test func aStoppedStreamInsideATransactionRollsItBack() throws {
        let connection = try connect()
        try connection.execute("CREATE TEMP TABLE stream_tx (n int)")
        #expect(throws: Stop.self) {
            try connection.transaction { tx in
                try tx.execute("INSERT INTO stream_tx VALUES (1)")
                try tx.stream("SELECT n FROM generate_series(1, 1000000) n") { _ in throw Stop() }
            }
        }
        #expect(try connection.query("SELECT count(*) AS n FROM stream_tx")[0].decode(Int.self, "n") == 0)
    }
}
