import LicTrackCore
import LicTrackReports
import LicTrackStore

/// How `report delays` shows an application in each format: its columns, cells and JSON object.
///
/// CSV gets every figure as its own column (``csvColumns``); the table, Markdown and HTML formats a
/// narrower set that fits a terminal or an A4 page (``columns``). JSON gets the object.
enum DelaysLayout {
    // MARK: Columns

    /// Every figure, for CSV: one column per JSON leaf, named like it.
    static let csvColumns: [ReportColumn] = [
        ReportColumn("id", "ID", kind: .integer),
        ReportColumn("authority", "Authority"),
        ReportColumn("authority_reference", "Reference"),
        ReportColumn("applicant", "Applicant"),
        ReportColumn("destination", "Destination"),
        ReportColumn("owner", "Owner"),
        ReportColumn("status", "Status"),
        ReportColumn("status_since", "Status since", kind: .date),
        ReportColumn("days_in_status", "Days in status", kind: .integer),
        ReportColumn("state", "Clock"),
        ReportColumn("unit", "Unit"),
        ReportColumn("deadline", "Deadline", kind: .date),
        ReportColumn("elapsed", "Elapsed", kind: .integer),
        ReportColumn("remaining", "Remaining", kind: .integer),
        ReportColumn("paused", "Paused", kind: .integer),
        ReportColumn("provisional", "Provisional", kind: .bool),
        ReportColumn("overdue", "Overdue", kind: .integer),
        ReportColumn("rfis", "RFIs", kind: .integer),
        ReportColumn("last_event", "Last event"),
        ReportColumn("last_event_on", "Last event on", kind: .date),
        ReportColumn("forecast_p50", "Forecast p50", kind: .date),
        ReportColumn("forecast_p90", "Forecast p90", kind: .date),
        ReportColumn("forecast_sample", "Forecast sample", kind: .integer),
        ReportColumn("runs_out", "Stock runs out", kind: .date),
        ReportColumn("feeds", "Feeds"),
        ReportColumn("days_short", "Days short", kind: .integer),
    ]

    /// The columns people read (table, Markdown, HTML).
    static let columns: [ReportColumn] = [
        ReportColumn("id", "ID", kind: .integer),
        ReportColumn("authority", "Authority"),
        ReportColumn("authority_reference", "Reference"),
        ReportColumn("applicant", "Applicant"),
        ReportColumn("status", "Status"),
        ReportColumn("days_in_status", "Days in status", kind: .integer),
        ReportColumn("state", "Clock"),
        ReportColumn("deadline", "Deadline", kind: .date),
        ReportColumn("remaining", "Left", kind: .integer),
        ReportColumn("overdue", "Overdue", kind: .integer),
        ReportColumn("unit", "Unit"),
        ReportColumn("rfis", "RFIs", kind: .integer),
        ReportColumn("last_event", "Last event"),
        ReportColumn("forecast_p50", "Forecast p50", kind: .date),
        ReportColumn("forecast_p90", "Forecast p90", kind: .date),
        ReportColumn("days_short", "Days short", kind: .integer),
    ]

    /// The supply-risk extract: what runs out, when, and how long before the licence is likely.
    static let supplyColumns: [ReportColumn] = [
        ReportColumn("id", "ID", kind: .integer),
        ReportColumn("authority", "Authority"),
        ReportColumn("authority_reference", "Reference"),
        ReportColumn("applicant", "Applicant"),
        ReportColumn("feeds", "Feeds"),
        ReportColumn("runs_out", "Stock runs out", kind: .date),
        ReportColumn("forecast_p90", "Forecast p90", kind: .date),
        ReportColumn("deadline", "Deadline", kind: .date),
        ReportColumn("days_short", "Days short", kind: .integer),
    ]

    // MARK: Cells

    /// The cells of `row` for `columns` (any of the column sets above).
    ///
    /// The unit is `working_days` in CSV, as in JSON, and `working days` for people.
    static func cells(_ row: DelayRow, _ columns: [ReportColumn], forPeople: Bool = true) -> [ReportCell] {
        columns.map { column in
            column.key == "unit" && !forPeople ? .text(row.clock.unit) : cell(row, column.key)
        }
    }

    /// One cell of `row`, by column key.
    static func cell(_ row: DelayRow, _ key: String) -> ReportCell {
        let clock = row.clock
        switch key {
        case "id": return .integer(row.id)
        case "authority": return .text(row.authority)
        case "authority_reference": return .text(row.authorityReference)
        case "applicant": return .text(row.applicant)
        case "destination": return .text(row.destination)
        case "owner": return .text(row.owner)
        case "status": return .text(row.status)
        case "status_since": return .date(row.statusSince)
        case "days_in_status": return .integer(row.daysInStatus)
        case "state": return .text(clock.state.rawValue, tone: tone(clock.state))
        case "unit": return .text(unitText(clock.unit))
        case "deadline": return .date(clock.deadline, tone: tone(clock.state))
        case "elapsed": return .integer(clock.elapsed)
        case "remaining": return .integer(clock.remaining, tone: tone(clock.state))
        case "paused": return .integer(clock.paused)
        case "provisional": return .bool(clock.provisional)
        case "overdue": return .integer(row.overdue, tone: row.overdue > 0 ? .critical : .normal)
        case "rfis": return .integer(row.rfis)
        case "last_event": return .text(row.lastEvent)
        case "last_event_on": return .date(row.lastEventOn)
        case "forecast_p50": return .date(row.forecast?.p50)
        case "forecast_p90": return .date(row.forecast?.p90)
        case "forecast_sample": return .integer(row.forecast?.sample)
        case "runs_out": return .date(row.supply?.runsOut, tone: row.supply?.atRisk == true ? .critical : .normal)
        case "feeds": return .text(row.supply?.feeds)
        case "days_short": return .integer(row.supply?.daysShort, tone: .critical)
        default: preconditionFailure("report delays has no column \(key)")
        }
    }

    /// The colour a clock state asks for.
    static func tone(_ state: SLAClock.State) -> ReportCell.Tone {
        switch state {
        case .breached, .missed: return .critical
        case .dueSoon: return .warning
        case .onTrack, .met: return .good
        case .notStarted, .paused: return .normal
        }
    }

    /// The unit as people read it (`working_days` in CSV and JSON).
    static func unitText(_ unit: String?) -> String? {
        guard let unit else { return nil }
        return unit.replacing("_", with: " ")
    }

    // MARK: JSON

    /// One element of `"applications"`: the keys and order of issue 6.
    static func json(_ row: DelayRow) -> JSONValue {
        .object([
            ("id", .int(row.id)),
            ("authority", .string(row.authority)),
            ("authority_reference", JSONValue(row.authorityReference)),
            ("applicant", .string(row.applicant)),
            ("destination", .string(row.destination)),
            ("owner", JSONValue(row.owner)),
            ("status", .string(row.status)),
            ("status_since", JSONValue(row.statusSince)),
            ("days_in_status", JSONValue(row.daysInStatus)),
            ("clock", ApplicationOutput.json(row.clock)),
            ("overdue", .int(Int64(row.overdue))),
            ("rfis", .int(Int64(row.rfis))),
            (
                "last_event",
                row.lastEvent.map { .object([("event", .string($0)), ("on", JSONValue(row.lastEventOn))]) } ?? .null
            ),
            ("forecast", OutlookOutput.json(row.forecast)),
            ("supply", OutlookOutput.json(row.supply)),
        ])
    }
}
