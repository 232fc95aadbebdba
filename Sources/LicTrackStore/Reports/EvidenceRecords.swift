import LicTrackCore
import Postgres

/// One application as `lictrack report evidence` documents it: who, where, the legal basis of its
/// clock, every event with the clock on its day, and where it stands on the report day.
///
/// Every value comes from `report_evidence()` in `Database/migrations/0014_report_evidence.sql`;
/// nothing here is computed in Swift.
public struct EvidenceApplication: Sendable, Equatable {
    public var id: Int64
    /// The report day (for this application's authority).
    public var asOf: CivilDate
    public var authority: String
    /// The authority's full name, such as "Ministry of Commerce of the People's Republic of China".
    public var authorityName: String
    public var authorityReference: String?
    public var applicant: String
    public var destination: String
    public var destinationName: String
    /// The legal basis of the clock in plain words (`sla_policies.basis`); `nil` when none is recorded.
    public var basis: String?
    /// The events up to the report day, in order.
    public var events: [EvidenceEvent]
    /// The status on the report day.
    public var status: String?
    /// The clock on the report day (elapsed, target, unit, deadline, state, provisional).
    public var clock: EvidenceClock?
    /// Units past the deadline on the report day, in the clock's unit; 0 unless breached.
    public var overdue: Int
    /// The p90 forecast decision day, when there is one.
    public var forecastP90: CivilDate?
    /// The latest stock record and the days by which the licence is likely to come too late.
    public var stockRunsOut: CivilDate?
    public var stockFeeds: String?
    public var supplyDaysShort: Int?
}

/// The clock of one cycle on one day, as `sla_clocks_as_of()` gives it.
public struct EvidenceClock: Sendable, Equatable {
    public var elapsed: Int?
    public var target: Int?
    /// `working_days` or `calendar_days`.
    public var unit: String?
    public var deadline: CivilDate?
    /// `not_started`, `on_track`, `due_soon`, `breached`, `paused`, `met` or `missed`.
    public var state: String
    public var provisional: Bool
}

/// One event of an application's log, with the clock on its day.
public struct EvidenceEvent: Sendable, Equatable {
    public var seq: Int
    /// The workflow event (`submit`, `accept`, `request-info`, ...).
    public var event: String
    public var occurredOn: CivilDate
    public var fromStatus: String?
    public var toStatus: String
    /// The authority's reference recorded with this event.
    public var reference: String?
    public var licenceNumber: String?
    /// Why the authority delayed the case (delay only).
    public var delayReason: String?
    public var extendBy: Int?
    public var note: String?
    /// A stock record's runs-out day and what the material feeds (stock only).
    public var runsOut: CivilDate?
    public var feeds: String?
    /// The clock as of this event's day; `nil` before the application had a clock.
    public var clock: EvidenceClock?
    /// For a request for information: the day it was answered (`nil` while open), and the calendar
    /// days taken (or open so far, on the report day).
    public var answeredOn: CivilDate?
    public var daysToAnswer: Int?
}

extension ReportStore {
    /// The evidence of delay for these applications as of a day (`nil`: today in each authority's
    /// time zone), in the order given; an id given twice appears once.
    public func evidence(of ids: [Int64], asOf: CivilDate?) throws -> [EvidenceApplication] {
        try LicTrackError.translating {
            let rows = try connection.query(
                "select * from report_evidence($1::bigint[], $2::date)", [ids, asOf])
            var result: [EvidenceApplication] = []
            for row in rows {
                let id = try row.decode(Int64.self, "application_id")
                if result.last?.id != id { result.append(try Self.evidenceApplication(row)) }
                if let event = try Self.evidenceEvent(row) { result[result.count - 1].events.append(event) }
            }
            return result
        }
    }

    static func evidenceApplication(_ row: PostgresRow) throws -> EvidenceApplication {
        var clock: EvidenceClock?
        if let state = try row.decodeIfPresent(String.self, "now_state") {
            clock = EvidenceClock(
                elapsed: try row.decodeIfPresent("now_elapsed"), target: try row.decodeIfPresent("now_target"),
                unit: try row.decodeIfPresent("now_unit"), deadline: try row.decodeIfPresent("now_deadline"),
                state: state, provisional: try row.decodeIfPresent(Bool.self, "now_provisional") ?? false)
        }
        return EvidenceApplication(
            id: try row.decode(Int64.self, "application_id"), asOf: try row.decode(CivilDate.self, "as_of"),
            authority: try row.decode(String.self, "authority"),
            authorityName: try row.decode(String.self, "authority_name"),
            authorityReference: try row.decodeIfPresent("authority_reference"),
            applicant: try row.decode(String.self, "applicant"),
            destination: try row.decode(String.self, "destination"),
            destinationName: try row.decode(String.self, "destination_name"),
            basis: try row.decodeIfPresent("basis"), events: [], status: try row.decodeIfPresent("now_status"),
            clock: clock, overdue: try row.decodeIfPresent(Int.self, "overdue") ?? 0,
            forecastP90: try row.decodeIfPresent("forecast_p90"),
            stockRunsOut: try row.decodeIfPresent("stock_runs_out"), stockFeeds: try row.decodeIfPresent("stock_feeds"),
            supplyDaysShort: try row.decodeIfPresent("supply_days_short"))
    }

    static func evidenceEvent(_ row: PostgresRow) throws -> EvidenceEvent? {
        guard let seq = try row.decodeIfPresent(Int.self, "seq") else { return nil }
        var clock: EvidenceClock?
        if let state = try row.decodeIfPresent(String.self, "clock_state") {
            clock = EvidenceClock(
                elapsed: try row.decodeIfPresent("clock_elapsed"), target: try row.decodeIfPresent("clock_target"),
                unit: try row.decodeIfPresent("clock_unit"), deadline: try row.decodeIfPresent("clock_deadline"),
                state: state, provisional: try row.decodeIfPresent(Bool.self, "clock_provisional") ?? false)
        }
        return EvidenceEvent(
            seq: seq, event: try row.decodeKnownText(WorkflowEvent.self, "event"),
            occurredOn: try row.decode(CivilDate.self, "occurred_on"),
            fromStatus: try row.decodeKnownTextIfPresent(ApplicationStatus.self, "from_status"),
            toStatus: try row.decodeKnownText(ApplicationStatus.self, "to_status"),
            reference: try row.decodeIfPresent("event_reference"),
            licenceNumber: try row.decodeIfPresent("licence_number"),
            delayReason: try row.decodeIfPresent("delay_reason"), extendBy: try row.decodeIfPresent("extend_by"),
            note: try row.decodeIfPresent("note"), runsOut: try row.decodeIfPresent("event_runs_out"),
            feeds: try row.decodeIfPresent("event_feeds"), clock: clock,
            answeredOn: try row.decodeIfPresent("answered_on"), daysToAnswer: try row.decodeIfPresent("days_to_answer"))
    }
}
