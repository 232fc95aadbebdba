import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

// Helpers for the report figure suites (aging, authority, throughput), in the `ReportFixture`
// namespace. Applications are written the way a psql user would: INSERT INTO applications (with
// its items in the same transaction), then one INSERT INTO application_events per event, backdated;
// the triggers apply each transition and refresh the clock. Nothing is bulk-loaded.

enum ReportFixture {
    /// Creates a draft application (and its item, when a control code is given) and returns its id.
    static func application(
        _ connection: PostgresConnection, authority: String, destination: String = "DE", owner: String? = nil,
        controlCode: String? = nil, licenceType: String = "single", createdOn: String = "2024-06-03"
    ) throws -> Int64 {
        try connection.transaction { tx in
            let id = try tx.query(
                """
                insert into applications (authority, licence_type, applicant, destination, owner, created_on)
                values ($1, $2, 'Müller & Söhne GmbH', $3, $4, $5::date)
                returning id
                """, [authority, licenceType, destination, owner, createdOn]
            )[0].decode(Int64.self, "id")
            if let controlCode {
                try tx.execute(
                    """
                    insert into application_items (application_id, description, control_code)
                    values ($1::bigint, 'Sintered magnets', $2)
                    """, [id, controlCode])
            }
            return id
        }
    }

    /// An application with its events, in order: `[("submit", "2025-01-15"), ("approve", "2025-04-14")]`.
    static func application(
        _ connection: PostgresConnection, authority: String, destination: String = "DE", owner: String? = nil,
        controlCode: String? = nil, licenceType: String = "single", events: [(String, String)]
    ) throws -> Int64 {
        let id = try application(
            connection, authority: authority, destination: destination, owner: owner, controlCode: controlCode,
            licenceType: licenceType)
        try ClockFixture.record(connection, id, events)
        return id
    }

    /// A BIS application (90 calendar days from submission) submitted on `submitted`, decided by
    /// `decision` on `decided` when given.
    static func bis(
        _ connection: PostgresConnection, submitted: String, decision: String? = nil, on decided: String? = nil,
        destination: String = "DE", owner: String? = nil, controlCode: String? = nil
    ) throws -> Int64 {
        var events = [("submit", submitted)]
        if let decision, let decided { events.append((decision, decided)) }
        return try application(
            connection, authority: "BIS", destination: destination, owner: owner, controlCode: controlCode,
            events: events)
    }

    /// A date written as YYYY-MM-DD.
    static func date(_ text: String) -> CivilDate { ClockFixture.date(text) }

    /// Runs `body` with a connection to a fresh migrated database and the figure store on it.
    static func with<T>(_ body: (PostgresConnection, FigureReportStore) throws -> T) throws -> T {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            return try body(connection, FigureReportStore(connection: connection))
        }
    }

    /// The SQLSTATE and message `sql` fails with, or nil when it succeeds.
    static func failure(
        _ connection: PostgresConnection, _ sql: String, _ parameters: [(any PostgresEncodable)?] = []
    ) -> (state: String?, message: String)? {
        do {
            _ = try connection.query(sql, parameters)
            return nil
        } catch let error as PostgresError {
            return (error.sqlState, error.message)
        } catch {
            return (nil, "\(error)")
        }
    }
}
