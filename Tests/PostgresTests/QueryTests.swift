import Postgres
import Testing

@Suite("Queries")
struct QueryTests {
    @Test func resultsAreCollectionsOfRows() throws {
        let connection = try connect()
        let result = try connection.query(
            "SELECT n, 'row ' || n AS label FROM generate_series(1, $1::int) AS n ORDER BY n",
            [5]
        )
        #expect(result.columnNames == ["n", "label"])
        #expect(result.count == 5)
        #expect(result.affectedRows == 5)
        #expect(result.commandTag == "SELECT 5")
        #expect(try result.map { try $0.decode(Int.self, "n") } == [1, 2, 3, 4, 5])
        #expect(result.last?["label"] == "row 5")
        #expect(try result[2].decode(String.self, "label") == "row 3")
        let empty = try connection.query("SELECT 1 AS n WHERE false")
        #expect(empty.isEmpty)
        #expect(empty.columnNames == ["n"])
    }

    @Test func columnNamesAreMatchedExactly() throws {
        let connection = try connect()
        let row = try #require(try connection.query(#"SELECT 1 AS "CamelCase", 2 AS lower"#).first)
        #expect(try row.decode(Int.self, "CamelCase") == 1)
        #expect(throws: PostgresError.self) { try row.decode(Int.self, "camelcase") }
        #expect(row["lower"] == "2")
    }

    @Test func executeReturnsAffectedRows() throws {
        let connection = try connect()
        #expect(try connection.execute("CREATE TEMP TABLE t (n int)") == 0)
        #expect(try connection.execute("INSERT INTO t SELECT generate_series(1, 10)") == 10)
        #expect(try connection.execute("UPDATE t SET n = n + 1 WHERE n > $1::int", [7]) == 3)
        #expect(try connection.execute("DELETE FROM t WHERE n = $1::int", [999]) == 0)
        #expect(try connection.execute("DELETE FROM t") == 10)
    }

    @Test func parametersAreNeverInterpolated() throws {
        let connection = try connect()
        try connection.execute("CREATE TEMP TABLE t (s text)")
        let hostile = "x'); DROP TABLE t; --"
        try connection.execute("INSERT INTO t VALUES ($1)", [hostile])
        #expect(try connection.query("SELECT s FROM t")[0].decode(String.self, "s") == hostile)
    }

    @Test func nulBytesAreRejectedBeforeSending() throws {
        let connection = try connect()
        let error = try #require(throws: PostgresError.self) { try connection.query("SELECT $1::text", ["a\u{0}b"]) }
        #expect(error.kind == .protocolViolation)
        #expect(try connection.query("SELECT 1 AS one").count == 1)
    }

    @Test func executeScriptRunsSeveralStatements() throws {
        let connection = try connect()
        try connection.executeScript(
            """
            CREATE TEMP TABLE a (n int);
            CREATE TEMP TABLE b (n int);
            INSERT INTO a VALUES (1), (2);
            INSERT INTO b SELECT n * 10 FROM a;
            -- a comment
            """
        )
        let total = try connection.query("SELECT sum(n)::int8 AS s FROM b")[0].decode(Int.self, "s")
        #expect(total == 30)
        try connection.executeScript("")  // An empty script is fine.
    }

    @Test func failingScriptRollsBackAsOneImplicitTransaction() throws {
        let connection = try connect()
        try connection.execute("CREATE TEMP TABLE t (n int)")
        let error = try #require(throws: PostgresError.self) {
            try connection.executeScript("INSERT INTO t VALUES (1); SELECT 1/0; INSERT INTO t VALUES (2);")
        }
        #expect(error.sqlState == "22012")
        #expect(!connection.isInTransaction)
        #expect(try connection.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 0)
    }

    @Test func noticesAreCollectedNotPrinted() throws {
        let connection = try connect()
        try connection.execute("DO $$ BEGIN RAISE NOTICE 'first'; RAISE WARNING 'second'; END $$")
        #expect(connection.notices.count == 2)
        #expect(connection.notices.first?.contains("first") == true)
        #expect(connection.notices.last?.contains("second") == true)
        try connection.execute("SELECT 1")
        #expect(connection.notices.isEmpty)
        try connection.execute("DROP TABLE IF EXISTS surely_not_there")
        #expect(connection.notices.count == 1)
    }

    @Test func copyIsRejectedAndTheConnectionRecovers() throws {
        let connection = try connect()
        let out = try #require(throws: PostgresError.self) { try connection.query("COPY (SELECT 1) TO STDOUT") }
        #expect(out.kind == .protocolViolation)
        try connection.execute("CREATE TEMP TABLE t (n int)")
        let into = try #require(throws: PostgresError.self) { try connection.execute("COPY t FROM STDIN") }
        #expect(into.kind == .protocolViolation)
        #expect(try connection.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 0)
    }

    @Test func resultsOutliveTheirConnection() throws {
        let result = try connect().query("SELECT 'kept' AS v")
        #expect(try result[0].decode(String.self, "v") == "kept")
    }
}
