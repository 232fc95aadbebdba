import Postgres
import Testing

@Suite("Connection strings")
struct ConnectionStringTests {
    @Test func parsesURLs() throws {
        let parameters = try PostgresConfiguration.parseConnectionString(
            "postgresql://alice:s%40cret@db1:5433,db2/lictrack?sslmode=require&application_name=x"
        )
        let dictionary = Dictionary(uniqueKeysWithValues: parameters.map { ($0.keyword, $0.value) })
        #expect(dictionary["user"] == "alice")
        #expect(dictionary["password"] == "s@cret")
        #expect(dictionary["host"] == "db1,db2")
        #expect(dictionary["port"] == "5433,")
        #expect(dictionary["dbname"] == "lictrack")
        #expect(dictionary["sslmode"] == "require")
        #expect(dictionary["application_name"] == "x")
    }

    @Test func parsesKeyValueStringsAndEmpty() throws {
        let parameters = try PostgresConfiguration.parseConnectionString("host=/tmp dbname='my db' options='-c a=b'")
        // In libpq's keyword order, not the string's.
        let dictionary = Dictionary(uniqueKeysWithValues: parameters.map { ($0.keyword, $0.value) })
        #expect(dictionary == ["host": "/tmp", "dbname": "my db", "options": "-c a=b"])
        #expect(try PostgresConfiguration.parseConnectionString("").isEmpty)
    }

    @Test func invalidStringsThrowWithoutThePassword() throws {
        let error = try #require(throws: PostgresError.self) {
            try PostgresConfiguration.parseConnectionString("host=x password=hunter2 dbname")
        }
        #expect(error.kind == .connectionFailed)
        #expect(!String(reflecting: error).contains("hunter2"))
    }

    @Test func formattingQuotesEverything() throws {
        let parameters: [(keyword: String, value: String)] = [
            ("host", "h"), ("password", #"it's a \ test"#), ("dbname", ""),
        ]
        let text = PostgresConfiguration.formatConnectionString(parameters)
        #expect(text == #"host='h' password='it\'s a \\ test' dbname=''"#)
        let back = try PostgresConfiguration.parseConnectionString(text)
        let dictionary = Dictionary(uniqueKeysWithValues: back.map { ($0.keyword, $0.value) })
        #expect(dictionary == ["host": "h", "password": #"it's a \ test"#, "dbname": ""])
    }
}
