import LicTrackCore
import Postgres

/// Reads SLA clocks.
public struct ClockStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// A store on an open database.
    public init(_ database: Database) {
        self.init(connection: database.connection)
    }

    /// The current cycle's clock of an application as of a day (default: today in its authority's zone).
    public func clock(of id: Int64, asOf: CivilDate? = nil) throws -> SLAClock {
        try LicTrackError.translating {
            try Self.clock(of: id, asOf: asOf, on: connection)
        }
    }

    /// The clock the event trigger has just stored for the application, projected onto today in
    /// its authority's time zone (`sla_clock_stored()`).
    ///
    /// Right after an event this equals ``clock(of:asOf:)`` (the trigger stored it in the event's
    /// statement) without replaying the log: what the event verbs print.
    public func storedClock(of id: Int64) throws -> SLAClock {
        try LicTrackError.translating {
            try Self.clock(of: id, asOf: nil, stored: true, on: connection)
        }
    }

    static func clock(
        of id: Int64, asOf: CivilDate?, stored: Bool = false, on connection: PostgresConnection
    ) throws -> SLAClock {
        let rows = try connection.query(
            stored
                ? """
                select d.as_of, c.*
                from applications a
                cross join lateral (select authority_today(a.authority) as as_of) d
                left join lateral sla_clock_stored(a.id, d.as_of) c on true
                where a.id = $1::bigint
                """
                : """
                select d.as_of, c.*
                from applications a
                cross join lateral (select coalesce($2::date, authority_today(a.authority)) as as_of) d
                left join lateral sla_clock_as_of(a.id, d.as_of) c on true
                where a.id = $1::bigint
                """, stored ? [id] : [id, asOf])
        guard let row = rows.first else {
            throw LicTrackError.applicationNotFound(id)
        }
        // No state: the application has no cycle yet (a draft), so its clock has not started.
        let state = try row.decodeKnownIfPresent(SLAClock.State.self, "state")
        return SLAClock(
            asOf: try row.decode(CivilDate.self, "as_of"), cycle: try row.decodeIfPresent("cycle"),
            target: try row.decodeIfPresent("target"), extensionUnits: try row.decodeIfPresent("extension"),
            unit: try row.decodeIfPresent("unit"), calendar: try row.decodeIfPresent("calendar"),
            startedOn: try row.decodeIfPresent("started_on"), deadline: try row.decodeIfPresent("deadline"),
            elapsed: try row.decodeIfPresent("elapsed"), remaining: try row.decodeIfPresent("remaining"),
            paused: try row.decodeIfPresent("paused"), state: state ?? .notStarted,
            provisional: try row.decodeIfPresent(Bool.self, "provisional") ?? false)
    }
}
