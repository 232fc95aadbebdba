import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// ``SessionSettings`` agrees with what a connection asks for, and refuses a session that would be misread.
@Suite("Session settings")
struct SessionSettingsTests {
    /// What `PostgresConnection` asks for at startup is what ``SessionSettings`` documents and accepts.
    @Test func aDirectConnectionReportsTheRequiredValues() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let reported = SessionSettings.requirements.map { connection.parameterStatus($0.name) }
            #expect(reported == ["UTF8", "ISO, YMD", "iso_8601"])
            #expect(SessionSettings.requirements.map(\.value) == ["UTF8", "ISO, YMD", "iso_8601"])
            try SessionSettings.verify(connection)
        }
    }

    @Test(
        "a setting the decoders would misread is refused with exit 78, naming it, its value and the fix",
        arguments: [
            ("set intervalstyle = 'postgres'", "IntervalStyle 'postgres'", "SET IntervalStyle = 'iso_8601'"),
            ("set datestyle = 'SQL, DMY'", "DateStyle 'SQL, DMY'", "SET DateStyle = 'ISO, YMD'"),
            ("set datestyle = 'German'", "DateStyle 'German, DMY'", "SET DateStyle = 'ISO, YMD'"),
        ])
    func misreadSettingIsRefused(statement: String, named: String, fix: String) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try connection.execute(statement)
            let error = try #require(throws: LicTrackError.self) { try SessionSettings.verify(connection) }
            #expect(error.kind == .configuration)
            #expect(error.message.contains(named), "\(error.message)")
            #expect(error.hint?.contains("ALTER DATABASE \"\(db.name)\" \(fix)") == true, "\(error.hint ?? "")")
        }
    }

    /// Only the ISO output matters for DateStyle: dates print as YYYY-MM-DD in every order.
    @Test func anyISODateOrderIsAccepted() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try connection.execute("set datestyle = 'ISO, MDY'")
            #expect(connection.parameterStatus("DateStyle") == "ISO, MDY")
            try SessionSettings.verify(connection)
            #expect(try connection.query("select date '2025-03-04' as d")[0].decode(String.self, "d") == "2025-03-04")
        }
    }
}
