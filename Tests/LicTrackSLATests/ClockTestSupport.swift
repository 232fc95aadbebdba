import Foundation
import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

// Helpers for the clock, calendar and policy suites. Everything lives in the `ClockFixture`
// namespace so that it cannot collide with helpers other suites of this target define.
//
// Applications are set up the way a psql user would (INSERT INTO applications, then INSERT INTO
// application_events: the triggers apply the transition and refresh the clock); what is checked
// is read back through ClockStore, the stored application_clocks rows, or the built `lictrack`.

enum ClockFixture {
    // MARK: Dates

    /// A date written as YYYY-MM-DD (a test bug if it is not one).
    static func date(_ text: String) -> CivilDate {
        guard let date = CivilDate(iso8601: text) else { preconditionFailure("not a date: \(text)") }
        return date
    }

    // MARK: Setting up applications with SQL

    /// Creates a draft application and returns its id.
    static func application(
        _ connection: PostgresConnection, authority: String = "MOFCOM", licenceType: String = "single",
        createdOn: String = "2024-12-02"
    ) throws -> Int64 {
        try connection.query(
            """
            insert into applications (authority, licence_type, applicant, destination, created_on)
            values ($1, $2, 'Acme Magnets Ltd', 'DE', $3::date)
            returning id
            """, [authority, licenceType, createdOn]
        )[0].decode(Int64.self, "id")
    }

    /// Records one event with a plain INSERT (the trigger applies it and refreshes the clock).
    static func record(
        _ connection: PostgresConnection, _ id: Int64, _ event: String, on date: String, reason: String? = nil,
        extendBy: Int? = nil
    ) throws {
        try connection.execute(
            """
            insert into application_events (application_id, event, occurred_on, reason, extend_by)
            values ($1::bigint, $2, $3::date, $4, $5::integer)
            """, [id, event, date, reason, extendBy])
    }

    /// Records several events in order.
    static func record(_ connection: PostgresConnection, _ id: Int64, _ events: [(String, String)]) throws {
        for (event, date) in events { try record(connection, id, event, on: date) }
    }

    /// A MOFCOM application submitted and accepted on `date`: its clock starts that day.
    static func acceptedMOFCOM(
        _ connection: PostgresConnection, on date: String, licenceType: String = "single"
    ) throws -> Int64 {
        let id = try application(connection, authority: "MOFCOM", licenceType: licenceType)
        try record(connection, id, [("submit", date), ("accept", date)])
        return id
    }

    /// An application of an authority whose clock starts at submission (BIS, ECJU, BAFA), submitted on `date`.
    static func submitted(_ connection: PostgresConnection, authority: String, on date: String) throws -> Int64 {
        let id = try application(connection, authority: authority)
        try record(connection, id, "submit", on: date)
        return id
    }

    /// The clock as ClockStore computes it on `asOf`.
    static func clock(_ connection: PostgresConnection, _ id: Int64, asOf: String) throws -> SLAClock {
        try ClockStore(connection: connection).clock(of: id, asOf: date(asOf))
    }

    /// One stored clock (application_clocks), or nil.
    static func stored(_ connection: PostgresConnection, _ id: Int64, cycle: Int = 1) throws -> StoredClock? {
        try connection.query(
            """
            select cycle, target, extension, unit, calendar, started_on, ended_on, end_event, paused_units,
                   pause_open_since, deadline, warn_on, provisional
            from application_clocks where application_id = $1::bigint and cycle = $2::integer
            """, [id, cycle]
        ).first.map { row in
            StoredClock(
                cycle: try row.decode(Int.self, "cycle"), target: try row.decode(Int.self, "target"),
                extensionUnits: try row.decode(Int.self, "extension"), unit: try row.decode(String.self, "unit"),
                calendar: try row.decodeIfPresent("calendar"), startedOn: try row.decodeIfPresent("started_on"),
                endedOn: try row.decodeIfPresent("ended_on"), endEvent: try row.decodeIfPresent("end_event"),
                pausedUnits: try row.decode(Int.self, "paused_units"),
                pauseOpenSince: try row.decodeIfPresent("pause_open_since"),
                deadline: try row.decodeIfPresent("deadline"), warnOn: try row.decodeIfPresent("warn_on"),
                provisional: try row.decode(Bool.self, "provisional"))
        }
    }

    /// A row of application_clocks.
    struct StoredClock: Equatable {
        var cycle: Int
        var target: Int
        var extensionUnits: Int
        var unit: String
        var calendar: String?
        var startedOn: CivilDate?
        var endedOn: CivilDate?
        var endEvent: String?
        var pausedUnits: Int
        var pauseOpenSince: CivilDate?
        var deadline: CivilDate?
        var warnOn: CivilDate?
        var provisional: Bool
    }

    /// A single text value from SQL (NULL as nil).
    static func value(
        _ connection: PostgresConnection, _ sql: String, _ parameters: [(any PostgresEncodable)?] = []
    ) throws -> String? {
        let rows = try connection.query(sql, parameters)
        guard let row = rows.first, let column = rows.columnNames.first else { return nil }
        return try row.decodeIfPresent(String.self, column)
    }

    /// The SQLSTATE `body` fails with: nil if it succeeds.
    static func sqlState(of body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as PostgresError {
            return error.sqlState ?? "(no SQLSTATE: \(error.kind))"
        } catch {
            return "(not SQL: \(error))"
        }
    }

    // MARK: Running lictrack

    typealias Outcome = LicTrackBinary.Outcome

    /// Runs the built `lictrack` against `database`.
    @discardableResult
    static func run(_ arguments: [String], _ database: TestDatabase) throws -> Outcome {
        try LicTrackBinary.run(arguments, database: database)
    }

    /// Runs `lictrack` and requires exit 0.
    @discardableResult
    static func runOK(
        _ arguments: [String], _ database: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Outcome {
        let outcome = try run(arguments, database)
        try #require(
            outcome.status == 0, "lictrack \(arguments.joined(separator: " ")) failed: \(outcome)",
            sourceLocation: sourceLocation)
        return outcome
    }

    /// Checks a failure: the exit status and exactly one `lictrack: error:` line on standard error.
    static func expectFailure(
        _ outcome: Outcome, status: Int32, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(outcome.status == status, "expected exit \(status), got \(outcome)", sourceLocation: sourceLocation)
        let line = outcome.stderr.hasSuffix("\n") ? String(outcome.stderr.dropLast()) : ""
        #expect(
            !line.isEmpty && !line.contains("\n") && line.hasPrefix("lictrack: error:"),
            "stderr is not one 'lictrack: error:' line: \(outcome.stderr.debugDescription)",
            sourceLocation: sourceLocation)
    }

    /// Decodes what `lictrack` printed as JSON.
    static func decode<T: Decodable>(
        _ type: T.Type, _ outcome: Outcome, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> T {
        do {
            let decoder = JSONDecoder()
            // JSON keys are snake_case (started_on); the Swift properties are lowerCamelCase.
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(T.self, from: Data(outcome.stdout.utf8))
        } catch {
            Issue.record("cannot decode \(T.self) from \(outcome.stdout): \(error)", sourceLocation: sourceLocation)
            throw error
        }
    }

    /// The `sla` object of `app show ID --as-of D --format json`.
    static func showSLA(
        _ database: TestDatabase, _ id: Int64, asOf: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ShownClock {
        let outcome = try runOK(
            ["app", "show", "\(id)", "--as-of", asOf, "--format", "json"], database, sourceLocation: sourceLocation)
        return try decode(ShownApplication.self, outcome, sourceLocation: sourceLocation).sla
    }

    /// `app list ARGS --format json`.
    static func list(
        _ database: TestDatabase, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [ListedApplication] {
        let outcome = try runOK(
            ["app", "list"] + arguments + ["--format", "json"], database, sourceLocation: sourceLocation)
        return try decode([ListedApplication].self, outcome, sourceLocation: sourceLocation)
    }

    /// What `app show --format json` prints, the parts these suites read.
    struct ShownApplication: Decodable {
        var id: Int64
        var status: String
        var sla: ShownClock
    }

    /// The `sla` object of `app show --format json`.
    struct ShownClock: Decodable, Equatable {
        var asOf: String
        var cycle: Int?
        var target: Int?
        var `extension`: Int?
        var unit: String?
        var calendar: String?
        var startedOn: String?
        var deadline: String?
        var elapsed: Int?
        var remaining: Int?
        var paused: Int?
        var state: String
        var provisional: Bool
    }

    /// One row of `app list --format json`.
    struct ListedApplication: Decodable {
        var id: Int64
        var authority: String
        var status: String
        var deadline: String?
        var slaState: String
        var provisional: Bool
    }

    // MARK: Files

    /// Writes `text` to a new temporary file and returns its path.
    static func temporaryFile(_ text: String, suffix: String = ".csv") throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("lictrack-clock-\(UUID().uuidString)\(suffix)")
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
