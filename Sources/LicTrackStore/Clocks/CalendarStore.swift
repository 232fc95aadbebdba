import LicTrackCore
import Postgres

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A working-day calendar and the years it has loaded.
public struct CalendarSummary: Sendable {
    public var code: String
    public var name: String
    public var timeZone: String
    public var description: String?
    public var years: [(year: Int, provisional: Bool)]
}

/// One loaded year of a calendar, day by day.
public struct CalendarYear: Sendable {
    public var code: String
    public var year: Int
    public var provisional: Bool
    public var source: String
    public var days: [CalendarDay]
}

/// Reads, imports and adds working-day calendars.
public struct CalendarStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// A store on an open database.
    public init(_ database: Database) {
        self.init(connection: database.connection)
    }

    /// Every calendar with its loaded years.
    public func list() throws -> [CalendarSummary] {
        try LicTrackError.translating {
            try connection.query(
                """
                select c.code, c.name, c.time_zone, c.description,
                       array(select y.year from calendar_years y where y.calendar_code = c.code
                             order by y.year) as years,
                       array(select y.year from calendar_years y where y.calendar_code = c.code and y.provisional)
                           as provisional_years
                from calendars c order by c.code
                """
            ).map { row in
                CalendarSummary(
                    code: try row.decode(String.self, "code"), name: try row.decode(String.self, "name"),
                    timeZone: try row.decode(String.self, "time_zone"),
                    description: try row.decodeIfPresent("description"),
                    years: try Self.years(row))
            }
        }
    }

    /// The days of one loaded year.
    public func year(_ year: Int, of code: String) throws -> CalendarYear {
        try LicTrackError.translating {
            try connection.transaction(readOnly: true) { tx in
                let years = try tx.query(
                    "select provisional, source from calendar_years where calendar_code = $1 and year = $2::integer",
                    [code, year])
                guard let info = years.first else {
                    let known = try tx.query("select 1 from calendars where code = $1", [code]).count > 0
                    throw LicTrackError(
                        .notFound, known ? "calendar \(code) has no days loaded for \(year)" : "no calendar \(code)",
                        hint: "see 'lictrack calendar list'")
                }
                let days = try tx.query(
                    """
                    select day, is_working_day, name from calendar_days
                    where calendar_code = $1 and day between make_date($2::integer, 1, 1)
                                                         and make_date($2::integer, 12, 31)
                    order by day
                    """, [code, year]
                ).map {
                    CalendarDay(
                        date: try $0.decode(CivilDate.self, "day"), working: try $0.decode(Bool.self, "is_working_day"),
                        name: try $0.decodeIfPresent("name"))
                }
                return CalendarYear(
                    code: code, year: year, provisional: try info.decode(Bool.self, "provisional"),
                    source: try info.decode(String.self, "source"), days: days)
            }
        }
    }

    /// Replaces the days a file covers and moves every open deadline that counts on them.
    ///
    /// Returns the number of days loaded and of clocks whose deadline or state changed.
    public func importDays(
        _ days: [CalendarDay], into code: String, source: String, provisional: Bool = false
    ) throws -> (
        days: Int, clocksChanged: Int
    ) {
        let payload = days.map { day in
            ["date": day.date.description, "working": day.working ? "true" : "false", "name": day.name ?? ""]
        }
        let json = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        return try LicTrackError.translating {
            try connection.transaction { tx in
                let row = try tx.query(
                    """
                    select days_loaded, clocks_changed
                    from calendar_import($1, (select jsonb_agg(jsonb_build_object(
                                                  'date', d->>'date', 'working', (d->>'working')::boolean,
                                                  'name', d->>'name'))
                                              from jsonb_array_elements($2::jsonb) d), $3, $4::boolean)
                    """, [code, json, source, provisional])[0]
                return (try row.decode(Int.self, "days_loaded"), try row.decode(Int.self, "clocks_changed"))
            }
        }
    }

    /// Adds a custom calendar (its days are then imported); the database checks its time zone.
    public func add(code: String, name: String, timeZone: String, description: String?) throws {
        try LicTrackError.translating(given: GivenInput(["code": code, "name": name])) {
            try connection.transaction { tx in
                _ = try tx.execute(
                    """
                    insert into calendars (code, name, time_zone, description)
                    values ($1, $2, $3, $4)
                    """, [code, name, timeZone, description])
            }
        }
    }
}

extension CalendarStore {
    /// A calendar's loaded years from the `years` and `provisional_years` arrays of ``list()``.
    static func years(_ row: PostgresRow) throws -> [(year: Int, provisional: Bool)] {
        let provisional = Set(try row.decode([Int].self, "provisional_years"))
        return try row.decode([Int].self, "years").map { ($0, provisional.contains($0)) }
    }
}
