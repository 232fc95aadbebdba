import LicTrackTestSupport
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Transactions")
struct TransactionTests {
    struct Refused: Error {}

    @Test func commitsOnSuccess() throws {
        let connection = try connect()
        try connection.execute("CREATE TEMP TABLE t (n int)")
        let returned = try connection.transaction { connection -> Int in
            #expect(connection.isInTransaction)
            return try connection.execute("INSERT INTO t VALUES (1), (2)")
        }
        #expect(returned == 2)
        #expect(!connection.isInTransaction)
        #expect(try connection.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 2)
    }

    @Test func rollsBackWhenTheBodyThrows() throws {
        let connection = try connect()
        try connection.execute("CREATE TEMP TABLE t (n int)")
        #expect(throws: Refused.self) {
            try connection.transaction { connection in
                try connection.execute("INSERT INTO t VALUES (1)")
                throw Refused()
            }
        }
        #expect(!connection.isInTransaction)
        #expect(try connection.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 0)
    }

    @Test func rollsBackOnServerErrorAndDoesNotRetryIt() throws {
        let connection = try connect()
        try connection.execute("CREATE TEMP TABLE t (n int PRIMARY KEY)")
        var attempts = 0
        let error = try #require(throws: PostgresError.self) {
            try connection.transaction(isolation: .serializable) { connection in
                attempts += 1
                try connection.execute("INSERT INTO t VALUES (1)")
                try connection.execute("INSERT INTO t VALUES (1)")
            }
        }
        #expect(error.sqlState == "23505")
        #expect(attempts == 1)
        #expect(!connection.isInTransaction)
        #expect(try connection.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 0)
    }

    @Test func swallowedErrorStillPreventsCommit() throws {
        let connection = try connect()
        try connection.execute("CREATE TEMP TABLE t (n int PRIMARY KEY)")
        let error = try #require(throws: PostgresError.self) {
            try connection.transaction { connection in
                try connection.execute("INSERT INTO t VALUES (1)")
                _ = try? connection.execute("INSERT INTO t VALUES (1)")
            }
        }
        #expect(error.sqlState == "23505")
        #expect(!connection.isInTransaction)
        #expect(try connection.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 0)
    }

    @Test func readOnlyAndIsolationAreApplied() throws {
        let connection = try connect()
        let (level, readOnly) = try connection.transaction(isolation: .repeatableRead, readOnly: true) { connection in
            let row = try connection.query(
                "SELECT current_setting('transaction_isolation') AS level, current_setting('transaction_read_only') AS ro"
            )[0]
            return (try row.decode(String.self, "level"), try row.decode(String.self, "ro"))
        }
        #expect(level == "repeatable read")
        #expect(readOnly == "on")
        let error = try #require(throws: PostgresError.self) {
            try connection.transaction(readOnly: true) { connection in
                try connection.execute("CREATE TEMP TABLE nope (n int)")
            }
        }
        #expect(error.sqlState == "25006")
    }

    /// Classic write skew: two on-call doctors each go off call, having seen the other still on call.
    @Test func serializationFailureIsRetried() throws {
        let table = uniqueName("skew")
        let setup = try connect()
        try setup.execute("CREATE TABLE \(table) (id int PRIMARY KEY, on_call boolean NOT NULL)")
        defer { _ = try? setup.execute("DROP TABLE IF EXISTS \(table)") }
        try setup.execute("INSERT INTO \(table) VALUES (1, true), (2, true)")

        let alice = try connect()
        let bob = try connect()
        var attempts = 0
        try alice.transaction(isolation: .serializable) { connection in
            attempts += 1
            let onCall = try connection.query("SELECT count(*) AS n FROM \(table) WHERE on_call")[0].decode(
                Int.self, "n")
            if attempts == 1 {
                // Bob, concurrently, sees two on call and takes himself off.
                try bob.transaction(isolation: .serializable) { connection in
                    let seen = try connection.query("SELECT count(*) AS n FROM \(table) WHERE on_call")[0]
                        .decode(Int.self, "n")
                    #expect(seen == 2)
                    try connection.execute("UPDATE \(table) SET on_call = false WHERE id = 2")
                }
            }
            if onCall >= 2 {
                try connection.execute("UPDATE \(table) SET on_call = false WHERE id = 1")
            }
        }
        #expect(attempts == 2)
        let rows = try setup.query("SELECT id, on_call FROM \(table) ORDER BY id")
        #expect(try rows.map { try $0.decode(Bool.self, "on_call") } == [true, false])
    }

    @Test func retriesStopAfterMaxAttempts() throws {
        let connection = try connect()
        var attempts = 0
        let error = try #require(throws: PostgresError.self) {
            try connection.transaction(maxAttempts: 3) { connection in
                attempts += 1
                try connection.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = 'serialization_failure'; END $$"
                )
            }
        }
        #expect(error.isSerializationFailure)
        #expect(attempts == 3)
        #expect(!connection.isInTransaction)
    }

    @Test func connectionLossIsNeverRetried() throws {
        let victim = try connect()
        let pid = try victim.query("SELECT pg_backend_pid() AS pid")[0].decode(Int.self, "pid")
        let admin = try connect()
        var attempts = 0
        let error = try #require(throws: PostgresError.self) {
            try victim.transaction(isolation: .serializable) { connection in
                attempts += 1
                try admin.execute("SELECT pg_terminate_backend($1::int)", [pid])
                try connection.execute("SELECT 1")
            }
        }
        #expect(error.isConnectionFailure)
        #expect(attempts == 1)
    }

    @Test func nestedTransactionsStopTheProgram() async {
        await #expect(processExitsWith: .failure) {
            // Only the precondition may fail the process: any thrown error (no server, say) exits successfully.
            do {
                let connection = try TestCluster.connectAdmin()
                try connection.transaction { connection in
                    try connection.transaction { _ in }
                }
            } catch {}
            exit(0)
        }
    }
}
