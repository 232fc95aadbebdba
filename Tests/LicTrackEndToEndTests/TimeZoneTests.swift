import Foundation
import LicTrackTestSupport
import Testing

/// Time zones are IANA names the database knows, for authorities and calendars, from the CLI and from SQL.
@Suite("Time zone names")
struct TimeZoneTests {
    @Test(
        "an unknown or offset-only time zone is refused (65) naming it",
        arguments: ["UTC+100", "Bad/Zone", "EST5EDT,M3.2.0,M11.1.0"])
    func refused(zone: String) throws {
        try TestDatabase.with { db in
            let authority = try lictrack(
                ["authority", "add", "KOTRA", "--name", "Korea", "--country", "KR", "--time-zone", zone], database: db)
            expectFailure(authority, status: 65, "authority add --time-zone \(zone)")
            #expect(authority.stderr.contains("unknown time zone"), "\(authority.stderr)")
            let calendar = try lictrack(
                ["calendar", "add", "KR", "--name", "Korea", "--time-zone", zone], database: db)
            expectFailure(calendar, status: 65, "calendar add --time-zone \(zone)")
            #expect(try queryText(db, "select count(*) from authorities where code = 'KOTRA'") == "0")
            #expect(try queryText(db, "select count(*) from calendars where code = 'KR'") == "0")
        }
    }

    @Test("psql is held to the same rule on calendars, and IANA names and UTC pass")
    func sqlAndValidNames() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            #expect(throws: (any Error).self) {
                try connection.execute(
                    "insert into calendars (code, name, time_zone) values ('KR', 'Korea', 'UTC+100')")
            }
            try lictrackOK(
                ["authority", "add", "KOTRA", "--name", "Korea", "--country", "KR", "--time-zone", "Asia/Seoul"],
                database: db)
            try lictrackOK(["calendar", "add", "KR", "--name", "Korea", "--time-zone", "UTC"], database: db)
        }
    }
}
