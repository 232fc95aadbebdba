import LicTrackTestSupport
import Postgres
import Testing

@Suite("Errors")
struct PostgresErrorTests {
    @Test func uniqueViolationCarriesSQLStateAndConstraint() throws {
        let connection = try connect()
        try connection.execute("CREATE TEMP TABLE licences (code text CONSTRAINT licences_code_key UNIQUE)")
        try connection.execute("INSERT INTO licences (code) VALUES ($1)", ["EX-0001-secretcode"])
        let error = try #require(throws: PostgresError.self) {
            try connection.execute("INSERT INTO licences (code) VALUES ($1)", ["EX-0001-secretcode"])
        }
        #expect(error.kind == .server)
        #expect(error.sqlState == "23505")
        #expect(error.constraintName == "licences_code_key")
        #expect(error.tableName == "licences")
        #expect(error.severity == "ERROR")
        #expect(error.detail?.contains("EX-0001-secretcode") == true)
        #expect(!error.isSerializationFailure)
        #expect(!error.isConnectionFailure)
        // The description is safe to show: kind and SQLSTATE, never the message or the data.
        #expect(error.description == "PostgresError(kind: server, sqlState: 23505)")
        #expect(!error.description.contains("secretcode"))
        #expect(!error.description.contains(error.message))
        let debug = String(reflecting: error)
        #expect(debug.contains("23505"))
        #expect(debug.contains("licences_code_key"))
        #expect(debug.contains("secretcode"))
        // The connection is fine afterwards.
        #expect(try connection.query("SELECT count(*) AS n FROM licences")[0].decode(Int.self, "n") == 1)
    }

    @Test func raisedErrorWithDetailHintAndCustomCode() throws {
        let connection = try connect()
        try connection.executeScript(
            """
            CREATE FUNCTION pg_temp.refuse(reason text) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'transition refused: %', reason
                    USING ERRCODE = 'LT001', DETAIL = 'status is closed', HINT = 'reopen the case first',
                          COLUMN = 'status', TABLE = 'cases', SCHEMA = 'public', CONSTRAINT = 'cases_status_check';
            END
            $$;
            """
        )
        let error = try #require(throws: PostgresError.self) {
            try connection.execute("SELECT pg_temp.refuse($1)", ["too late"])
        }
        #expect(error.kind == .server)
        #expect(error.sqlState == "LT001")
        #expect(error.message == "transition refused: too late")
        #expect(error.detail == "status is closed")
        #expect(error.hint == "reopen the case first")
        #expect(error.columnName == "status")
        #expect(error.tableName == "cases")
        #expect(error.schemaName == "public")
        #expect(error.constraintName == "cases_status_check")
        #expect(error.description == "PostgresError(kind: server, sqlState: LT001)")
        for text in ["transition refused", "status is closed", "reopen"] {
            #expect(!error.description.contains(text))
            #expect(String(reflecting: error).contains(text))
        }
    }

    @Test func syntaxErrorLeavesConnectionUsable() throws {
        let connection = try connect()
        let error = try #require(throws: PostgresError.self) { try connection.query("SELEC 1") }
        #expect(error.sqlState == "42601")
        #expect(error.kind == .server)
        #expect(try connection.query("SELECT 1 AS one").count == 1)
    }

    @Test func connectionRefused() throws {
        let configuration = PostgresConfiguration(
            connectionString: "postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=5")
        let error = try #require(throws: PostgresError.self) { try PostgresConnection(configuration: configuration) }
        #expect(error.kind == .connectionFailed)
        #expect(error.isConnectionFailure)
        #expect(error.sqlState == nil)
        #expect(error.description == "PostgresError(kind: connectionFailed)")
        #expect(!error.message.isEmpty)
    }

    @Test func passwordNeverAppearsInConnectionErrors() throws {
        let connectionStrings = [
            "postgresql://u:SuperSecret123@127.0.0.1:1/x",
            "host=127.0.0.1 port=1 user=u password=SuperSecret123 dbname=x",
            "postgresql://u:SuperSecret123@[::1/x",  // unparseable: libpq echoes the URL
            "postgresql://u:SuperSecret123@127.0.0.1:1/x?bogus_option=1",
            "host=127.0.0.1 port=1 password='SuperSecret123' nonsense",
        ]
        for connectionString in connectionStrings {
            let error = try #require(throws: PostgresError.self) {
                try PostgresConnection(configuration: .init(connectionString: connectionString))
            }
            #expect(error.kind == .connectionFailed, "\(connectionString)")
            for text in [error.description, String(reflecting: error), error.message] {
                #expect(!text.contains("SuperSecret123"), "\(text)")
            }
        }
    }

    @Test func passwordIsScrubbedFromServerErrors() throws {
        // Trust authentication ignores the password, so the connection succeeds with it set.
        let connectionString = try adminConnectionString(replacing: ["password": "SuperSecret123"])
        let connection = try PostgresConnection(configuration: .init(connectionString: connectionString))
        let error = try #require(throws: PostgresError.self) {
            try connection.query("SELECT $1::int AS n", ["SuperSecret123"])
        }
        #expect(error.sqlState == "22P02")
        #expect(error.message.contains("***"))
        for text in [error.description, String(reflecting: error), error.message] {
            #expect(!text.contains("SuperSecret123"), "\(text)")
        }
    }

    @Test func connectionLossIsReported() throws {
        let victim = try connect()
        let pid = try victim.query("SELECT pg_backend_pid() AS pid")[0].decode(Int.self, "pid")
        let admin = try connect()
        try admin.execute("SELECT pg_terminate_backend($1::int)", [pid])
        let error = try #require(throws: PostgresError.self) { try victim.query("SELECT 1") }
        #expect(error.kind == .connectionLost)
        #expect(error.isConnectionFailure)
    }

    @Test func closedConnectionThrows() throws {
        let connection = try connect()
        #expect(connection.serverVersion >= 100_000)
        connection.close()
        connection.close()
        #expect(connection.serverVersion == 0)
        #expect(!connection.isInTransaction)
        let error = try #require(throws: PostgresError.self) { try connection.query("SELECT 1") }
        #expect(error.kind == .connectionLost)
    }

    @Test func classification() {
        #expect(PostgresError(kind: .server, message: "", sqlState: "40001").isSerializationFailure)
        #expect(PostgresError(kind: .server, message: "", sqlState: "40P01").isSerializationFailure)
        #expect(!PostgresError(kind: .server, message: "", sqlState: "23505").isSerializationFailure)
        #expect(PostgresError(kind: .server, message: "", sqlState: "08006").isConnectionFailure)
        #expect(PostgresError(kind: .server, message: "", sqlState: "57P01").isConnectionFailure)
        #expect(PostgresError(kind: .server, message: "", sqlState: "57P03").isConnectionFailure)
        #expect(!PostgresError(kind: .server, message: "", sqlState: "57014").isConnectionFailure)
        #expect(PostgresError(kind: .connectionLost, message: "").isConnectionFailure)
        #expect(!PostgresError(kind: .decoding, message: "").isConnectionFailure)
    }
}
