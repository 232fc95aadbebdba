import LicTrackCore
import Postgres

/// Reads the manager reports. Each report is one SQL function (`Database/migrations`) that takes
/// its own parameters and then the four filter arrays of ``ReportFilter``; no SQL is assembled here.
public struct ReportStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// A store on an open database.
    public init(_ database: Database) {
        self.init(connection: database.connection)
    }

    /// Streams `report delays`: every open application in scope, most urgent first.
    ///
    /// Rows reach `each` one at a time as the server sends them, so memory stays flat however
    /// many applications are open. An unknown authority or destination in `filter` is a usage
    /// error; a filter that matches nothing gives no rows.
    ///
    /// - Parameters:
    ///   - asOf: The day to judge on; `nil` for today in each authority's time zone.
    ///   - atSupplyRisk: Only the applications at supply risk, in the same order: the report's
    ///     "Supply risk" section, computed for the applications with a stock record alone.
    /// - Returns: The number of rows.
    @discardableResult
    public func delays(
        asOf: CivilDate?, filter: ReportFilter, atSupplyRisk: Bool = false, _ each: (DelayRow) throws -> Void
    ) throws -> Int {
        try LicTrackError.translating {
            try filter.validate(on: connection)
            return try connection.stream(
                """
                select * from report_delays($1::date, $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean)
                order by ordinal
                """, [asOf] + filter.parameters + [atSupplyRisk]
            ) { row in
                try each(try Self.delayRow(row))
            }
        }
    }

    /// One application's outlook as of a day (its forecast and stock included), open or not.
    ///
    /// `nil` when the application did not exist on that day.
    public func outlook(of id: Int64, asOf: CivilDate?) throws -> DelayRow? {
        try LicTrackError.translating {
            try Self.outlook(of: id, asOf: asOf, on: connection)
        }
    }

    static func outlook(of id: Int64, asOf: CivilDate?, on connection: PostgresConnection) throws -> DelayRow? {
        let rows = try connection.query(
            "select * from application_outlook(array[$1::bigint], $2::date) where status is not null", [id, asOf])
        return try rows.first.map(delayRow)
    }

    /// Decodes one row of `application_outlook()` or `report_delays()`.
    static func delayRow(_ row: PostgresRow) throws -> DelayRow {
        let asOf = try row.decode(CivilDate.self, "as_of")
        let clock = SLAClock(
            asOf: asOf, cycle: try row.decodeIfPresent("cycle"), target: try row.decodeIfPresent("target"),
            extensionUnits: try row.decodeIfPresent("extension"), unit: try row.decodeIfPresent("unit"),
            calendar: try row.decodeIfPresent("calendar"), startedOn: try row.decodeIfPresent("started_on"),
            deadline: try row.decodeIfPresent("deadline"), elapsed: try row.decodeIfPresent("elapsed"),
            remaining: try row.decodeIfPresent("remaining"), paused: try row.decodeIfPresent("paused"),
            state: try row.decodeKnown(SLAClock.State.self, "state"),
            provisional: try row.decode(Bool.self, "provisional"))
        var forecast: DecisionForecast?
        if let sample = try row.decodeIfPresent(Int.self, "forecast_sample") {
            forecast = DecisionForecast(
                sample: sample, p50: try row.decodeIfPresent("forecast_p50"),
                p90: try row.decodeIfPresent("forecast_p90"),
                p50Elapsed: try row.decodeIfPresent("forecast_p50_elapsed"),
                p90Elapsed: try row.decodeIfPresent("forecast_p90_elapsed"),
                reason: try row.decodeIfPresent("forecast_reason"),
                provisional: try row.decodeIfPresent(Bool.self, "forecast_provisional") ?? false)
        }
        var supply: SupplyRisk?
        if let runsOut = try row.decodeIfPresent(CivilDate.self, "stock_runs_out") {
            supply = SupplyRisk(
                runsOut: runsOut, feeds: try row.decode(String.self, "stock_feeds"),
                recordedOn: try row.decode(CivilDate.self, "stock_recorded_on"),
                daysShort: try row.decodeIfPresent("supply_days_short"))
        }
        return DelayRow(
            id: try row.decode(Int64.self, "application_id"), asOf: asOf,
            authority: try row.decode(String.self, "authority"),
            authorityReference: try row.decodeIfPresent("authority_reference"),
            status: try row.decodeKnownText(ApplicationStatus.self, "status"),
            statusSince: try row.decodeIfPresent("status_since"),
            daysInStatus: try row.decodeIfPresent("days_in_status"),
            destination: try row.decode(String.self, "destination"),
            applicant: try row.decode(String.self, "applicant"),
            owner: try row.decodeIfPresent("owner"), clock: clock, overdue: try row.decode(Int.self, "overdue"),
            rfis: try row.decode(Int.self, "rfis"), lastEvent: try row.decodeIfPresent("last_event"),
            lastEventOn: try row.decodeIfPresent("last_event_on"), forecast: forecast, supply: supply)
    }
}
