import LicTrackTestSupport
import Postgres
import Testing

@Suite("Connections")
struct ConnectionTests {
    @Test func sessionSettings() throws {
        let connection = try connect()
        let row = try #require(
            try connection.query(
                """
                SELECT current_setting('DateStyle') AS datestyle, current_setting('IntervalStyle') AS intervalstyle,
                       current_setting('client_encoding') AS encoding, current_setting('application_name') AS app
                """
            ).first
        )
        #expect(row["datestyle"] == "ISO, YMD")
        #expect(row["intervalstyle"] == "iso_8601")
        #expect(row["encoding"] == "UTF8")
        #expect(row["app"] == "lictrack-tests")
        #expect(!connection.isInTransaction)
    }

    @Test func defaultApplicationName() throws {
        let connection = try PostgresConnection(
            configuration: .init(connectionString: TestCluster.adminConnectionString))
        #expect(try connection.query("SELECT current_setting('application_name') AS app")[0]["app"] == "lictrack")
    }

    @Test func explicitApplicationNameWins() throws {
        let connectionString = try adminConnectionString(replacing: ["application_name": "from-url"])
        let connection = try PostgresConnection(configuration: .init(connectionString: connectionString))
        #expect(try connection.query("SELECT current_setting('application_name') AS app")[0]["app"] == "from-url")
    }

    @Test func userOptionsAreMergedNotClobbered() throws {
        let connectionString = try adminConnectionString(replacing: ["options": "-c search_path=lt_custom,public"])
        let connection = try PostgresConnection(configuration: .init(connectionString: connectionString))
        let row = try connection.query(
            "SELECT current_setting('search_path') AS path, current_setting('DateStyle') AS datestyle"
        )[0]
        #expect(row["path"] == "lt_custom,public")
        #expect(row["datestyle"] == "ISO, YMD")
    }

    @Test func urlWithOptionsQueryParameter() throws {
        let (host, port, user) = try serverAddress()
        let url =
            "postgresql:///postgres?host=\(host)&port=\(port)&user=\(user)"
            + "&options=-c%20work_mem%3D7MB&application_name=url-app"
        let connection = try PostgresConnection(configuration: .init(connectionString: url))
        let row = try connection.query(
            "SELECT current_setting('work_mem') AS mem, current_setting('DateStyle') AS ds, current_setting('application_name') AS app"
        )[0]
        #expect(row["mem"] == "7MB")
        #expect(row["ds"] == "ISO, YMD")
        #expect(row["app"] == "url-app")
    }

    @Test func multiHostConnectionStringsPassThrough() throws {
        let (host, port, _) = try serverAddress()
        // The first host refuses; libpq moves on to the second, which accepts writes.
        let connectionString = try adminConnectionString(replacing: [
            "host": "127.0.0.1,\(host)", "port": "1,\(port)", "target_session_attrs": "read-write",
        ])
        let connection = try PostgresConnection(configuration: .init(connectionString: connectionString))
        #expect(try connection.query("SELECT 1 AS one")[0].decode(Int.self, "one") == 1)
    }

    @Test func bareDatabaseNameIsAccepted() throws {
        // A bare word is a database name; with no server settings it uses libpq defaults, so only check the parse.
        let parameters = try PostgresConfiguration.parseConnectionString("lictrack")
        #expect(parameters.map(\.keyword) == ["dbname"])
        #expect(parameters.map(\.value) == ["lictrack"])
    }
}

@Suite("Test cluster")
struct TestClusterTests {
    @Test func createConnectAndDropDatabase() throws {
        let name = uniqueName("lt_pgtest")
        try TestCluster.createDatabase(named: name, template: "template0")
        defer { try? TestCluster.dropDatabase(named: name) }
        let connectionString = TestCluster.connectionString(forDatabase: name)
        let connection = try PostgresConnection(configuration: .init(connectionString: connectionString))
        #expect(try connection.query("SELECT current_database() AS db")[0]["db"] == name)
        // Dropping works even while connected.
        try TestCluster.dropDatabase(named: name)
        try TestCluster.dropDatabase(named: name)
        #expect(throws: PostgresError.self) { try connection.query("SELECT 1") }
    }
}
