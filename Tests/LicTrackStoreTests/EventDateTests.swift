import LicTrackTestSupport
import Postgres
import Testing

/// Event dates: never before the previous event, never after today in the authority's time zone.
@Suite("Event dates")
struct EventDateTests {
    static let authorities = ["MOFCOM", "BIS", "ECJU", "BAFA"]

    @Test func beforeThePreviousEventIsRefused() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication(createdOn: "2025-01-02")
            #expect(sqlState { try connection.insertEvent(application, "submit", on: "2025-01-01") } == "LT002")
            try connection.insertEvent(application, "submit", on: "2025-03-10")
            #expect(sqlState { try connection.insertEvent(application, "accept", on: "2025-03-09") } == "LT002")
            #expect(
                sqlState { try connection.insertEvent(application, "note", on: "2025-02-01", note: "late note") }
                    == "LT002")
            #expect(try connection.status(of: application) == "submitted")
            // The same day as the previous event is fine.
            try connection.insertEvent(application, "accept", on: "2025-03-10")
            #expect(try connection.status(of: application) == "under_review")
        }
    }

    @Test func afterTodayInTheAuthoritysTimeZoneIsRefused() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            for authority in Self.authorities {
                let application = try connection.createApplication(authority: authority)
                try connection.rolledBack {
                    let tomorrow = try #require(
                        try connection.value("select (authority_today($1) + 1)::text", [authority]))
                    #expect(
                        sqlState { try connection.insertEvent(application, "submit", on: tomorrow) } == "LT003",
                        "\(authority)")
                }
                try connection.rolledBack {
                    let today = try #require(try connection.value("select authority_today($1)::text", [authority]))
                    let row = try connection.insertEvent(application, "submit", on: today)
                    #expect(try row.decode(String.self, "occurred_on") == today, "\(authority)")
                }
                #expect(try connection.eventCount(of: application) == 1)
            }
        }
    }

    /// Today is reckoned in the authority's zone: UTC+14 is always at least a day ahead of UTC-11.
    @Test func todayDependsOnTheAuthoritysTimeZone() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try connection.execute(
                """
                insert into authorities (code, name, country, time_zone) values
                    ('EAST', 'Line Islands licensing', 'KI', 'Pacific/Kiritimati'),
                    ('WEST', 'Samoan licensing', 'AS', 'Pacific/Pago_Pago')
                """)
            let east = try connection.createApplication(authority: "EAST")
            let west = try connection.createApplication(authority: "WEST")
            try connection.rolledBack {
                let eastToday = try #require(try connection.value("select authority_today('EAST')::text"))
                let westToday = try #require(try connection.value("select authority_today('WEST')::text"))
                #expect(eastToday > westToday)
                let row = try connection.insertEvent(east, "submit", on: eastToday)
                #expect(try row.decode(String.self, "occurred_on") == eastToday)
                #expect(sqlState { try connection.insertEvent(west, "submit", on: eastToday) } == "LT003")
            }
        }
    }

    /// Without occurred_on an event is dated today in the authority's time zone.
    @Test func defaultDateIsTheAuthoritysToday() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            for authority in Self.authorities {
                let application = try connection.createApplication(authority: authority)
                try connection.rolledBack {
                    try connection.execute(
                        "insert into application_events (application_id, event) values ($1::bigint, 'submit')",
                        [application])
                    let stored = try connection.value(
                        "select occurred_on::text from application_events where application_id = $1::bigint and seq = 2",
                        [application])
                    let today = try connection.value("select authority_today($1)::text", [authority])
                    #expect(stored == today, "\(authority)")
                    #expect(
                        try connection.value(
                            "select status_since::text from applications where id = $1::bigint", [application])
                            == today, "\(authority)")
                }
            }
        }
    }

    /// An application cannot be created in the future either.
    @Test func applicationCreatedTomorrowIsRefused() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try connection.rolledBack {
                let tomorrow = try #require(try connection.value("select (authority_today('MOFCOM') + 1)::text"))
                #expect(
                    sqlState { _ = try connection.createApplication(authority: "MOFCOM", createdOn: tomorrow) }
                        == "LT003")
            }
            try connection.rolledBack {
                _ = try connection.createApplication(authority: "MOFCOM", createdOn: nil)
                #expect(
                    try connection.value("select created_on = authority_today('MOFCOM') from applications") == "t")
            }
        }
    }
}
