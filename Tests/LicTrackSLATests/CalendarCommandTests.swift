import Foundation
import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// `lictrack calendar list/show/add`, and the seeded CN calendar against calendar-facts.md.
@Suite("Calendar commands")
struct CalendarCommandTests {
    struct ListedCalendar: Decodable {
        struct Year: Decodable, Equatable {
            var year: Int
            var provisional: Bool
        }
        var code: String
        var name: String
        var timeZone: String
        var years: [Year]
    }

    struct ShownYear: Decodable {
        struct Day: Decodable, Equatable {
            var date: String
            var working: Bool
            var name: String?
        }
        var code: String
        var year: Int
        var provisional: Bool
        var source: String
        var workingDays: Int
        var days: [Day]
    }

    @Test("calendar list: the four seeded calendars, CN 2027 provisional")
    func list() throws {
        try TestDatabase.with { db in
            let outcome = try ClockFixture.runOK(["calendar", "list", "--format", "json"], db)
            let calendars = try ClockFixture.decode([ListedCalendar].self, outcome)
            #expect(Set(calendars.map(\.code)) == ["CN", "DE", "GB-ENG", "US"])
            let cn = try #require(calendars.first { $0.code == "CN" })
            #expect(cn.timeZone == "Asia/Shanghai")
            #expect(
                cn.years == [
                    .init(year: 2024, provisional: false), .init(year: 2025, provisional: false),
                    .init(year: 2026, provisional: false), .init(year: 2027, provisional: true),
                ])
            let gb = try #require(calendars.first { $0.code == "GB-ENG" })
            #expect(gb.timeZone == "Europe/London")
            #expect(gb.years.allSatisfy { !$0.provisional })

            let table = try ClockFixture.runOK(["calendar", "list"], db).stdout
            let cnLine = try #require(table.split(separator: "\n").first { $0.hasPrefix("CN ") })
            #expect(cnLine.contains("2026 2027*"), "\(cnLine)")
            #expect(!cnLine.contains("2026*"))
            #expect(table.contains("provisional"))
        }
    }

    @Test("calendar show CN 2025: Saturday 2025-02-08 is a working day")
    func showCN2025() throws {
        try TestDatabase.with { db in
            let outcome = try ClockFixture.runOK(["calendar", "show", "CN", "2025", "--format", "json"], db)
            let year = try ClockFixture.decode(ShownYear.self, outcome)
            #expect(year.code == "CN")
            #expect(year.year == 2025)
            #expect(year.provisional == false)
            // 261 weekdays, less 18 weekdays off, plus 5 make-up weekend days.
            #expect(year.workingDays == 248)
            let feb08 = try #require(year.days.first { $0.date == "2025-02-08" })
            #expect(feb08.working == true)
            #expect(year.days.first { $0.date == "2025-01-29" }?.working == false)

            let table = try ClockFixture.runOK(["calendar", "show", "CN", "2025"], db).stdout
            let line = try #require(table.split(separator: "\n").first { $0.hasPrefix("2025-02-08") })
            #expect(line.contains("Sat"))
            #expect(line.contains("yes"))
            #expect(!table.contains("PROVISIONAL"))
        }
    }

    @Test("calendar show CN 2027 is marked provisional")
    func showCN2027() throws {
        try TestDatabase.with { db in
            let year = try ClockFixture.decode(
                ShownYear.self, try ClockFixture.runOK(["calendar", "show", "CN", "2027", "--format", "json"], db))
            #expect(year.provisional == true)
            let table = try ClockFixture.runOK(["calendar", "show", "CN", "2027"], db).stdout
            #expect(table.split(separator: "\n").first?.contains("CN 2027 (PROVISIONAL)") == true, "\(table)")
        }
    }

    /// calendar-facts.md, CN: weekdays that are not working days and weekend days that are.
    struct CNYear: Sendable, CustomTestStringConvertible {
        var year: Int
        var weekdaysOff: [String]
        var weekendWorking: [String]
        var testDescription: String { "CN \(year)" }
    }

    static let cnYears: [CNYear] = [
        CNYear(
            year: 2024,
            weekdaysOff: [
                "01-01", "02-12", "02-13", "02-14", "02-15", "02-16", "04-04", "04-05", "05-01", "05-02", "05-03",
                "06-10", "09-16", "09-17", "10-01", "10-02", "10-03", "10-04", "10-07",
            ],
            weekendWorking: ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"]),
        CNYear(
            year: 2025,
            weekdaysOff: [
                "01-01", "01-28", "01-29", "01-30", "01-31", "02-03", "02-04", "04-04", "05-01", "05-02", "05-05",
                "06-02", "10-01", "10-02", "10-03", "10-06", "10-07", "10-08",
            ],
            weekendWorking: ["01-26", "02-08", "04-27", "09-28", "10-11"]),
        CNYear(
            year: 2026,
            weekdaysOff: [
                "01-01", "01-02", "02-16", "02-17", "02-18", "02-19", "02-20", "02-23", "04-06", "05-01", "05-04",
                "05-05", "06-19", "09-25", "10-01", "10-02", "10-05", "10-06", "10-07",
            ],
            weekendWorking: ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]),
    ]

    /// `calendar show CN Y` lists exactly the exceptions to Monday-Friday, and they are calendar-facts.md's.
    @Test("calendar show CN: exceptions match calendar-facts.md", arguments: cnYears)
    func cnExceptions(facts: CNYear) throws {
        try TestDatabase.with { db in
            let year = try ClockFixture.decode(
                ShownYear.self,
                try ClockFixture.runOK(["calendar", "show", "CN", "\(facts.year)", "--format", "json"], db))
            let off = Set(year.days.filter { !$0.working }.map(\.date))
            let working = Set(year.days.filter(\.working).map(\.date))
            #expect(off == Set(facts.weekdaysOff.map { "\(facts.year)-\($0)" }))
            #expect(working == Set(facts.weekendWorking.map { "\(facts.year)-\($0)" }))
        }
    }

    @Test("calendar show of an unknown calendar or year: 66")
    func showUnknown() throws {
        try TestDatabase.with { db in
            ClockFixture.expectFailure(try ClockFixture.run(["calendar", "show", "XX", "2025"], db), status: 66)
            ClockFixture.expectFailure(try ClockFixture.run(["calendar", "show", "CN", "2031"], db), status: 66)
        }
    }

    @Test("calendar add with an unknown time zone: 65, nothing added")
    func addBadTimeZone() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let outcome = try ClockFixture.run(
                ["calendar", "add", "XX", "--name", "Nowhere", "--time-zone", "Bad/Zone"], db)
            ClockFixture.expectFailure(outcome, status: 65)
            #expect(outcome.stdout.isEmpty)
            #expect(try ClockFixture.value(connection, "select count(*) from calendars where code = 'XX'") == "0")
        }
    }

    /// A custom calendar: added empty, then its days imported; a second add of the same code fails.
    @Test("calendar add, then import its days")
    func addThenImport() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try ClockFixture.runOK(["calendar", "add", "JP", "--name", "Japan", "--time-zone", "Asia/Tokyo"], db)
            let calendars = try ClockFixture.decode(
                [ListedCalendar].self, try ClockFixture.runOK(["calendar", "list", "--format", "json"], db))
            let jp = try #require(calendars.first { $0.code == "JP" })
            #expect(jp.name == "Japan")
            #expect(jp.timeZone == "Asia/Tokyo")
            #expect(jp.years.isEmpty)

            ClockFixture.expectFailure(
                try ClockFixture.run(["calendar", "add", "JP", "--name", "Japan", "--time-zone", "Asia/Tokyo"], db),
                status: 65)

            var lines = ["date,working,name"]
            var day = ClockFixture.date("2027-01-01")
            while day.year == 2027 {
                let weekday = day.isoWeekday <= 5
                let holiday = day.description == "2027-01-01"
                lines.append("\(day),\(weekday && !holiday),\(holiday ? "New Year's Day" : "")")
                day = day.adding(days: 1)
            }
            let file = try ClockFixture.temporaryFile(lines.joined(separator: "\n") + "\n")
            defer { try? FileManager.default.removeItem(atPath: file) }
            let result = try ClockFixture.runOK(["calendar", "import", "JP", file, "--format", "json"], db)
            #expect(result.stdout.contains("\"days_loaded\""))
            let year = try ClockFixture.decode(
                ShownYear.self, try ClockFixture.runOK(["calendar", "show", "JP", "2027", "--format", "json"], db))
            #expect(year.provisional == false)
            // 2027: 261 weekdays, less New Year's Day (a Friday).
            #expect(year.workingDays == 260)
            #expect(
                try ClockFixture.value(connection, "select add_working_days('JP', date '2027-01-01', 1)")
                    == "2027-01-04")
        }
    }
}
