import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// Clock states: BIS calendar days, every state through `app show --as-of` and `app list --sla`, and
/// the agreement between SLAClock.State and clock_state().
@Suite("Clock states")
struct ClockStateTests {
    private static func d(_ text: String) -> CivilDate { ClockFixture.date(text) }

    // MARK: BIS, calendar days

    struct BISDay: Sendable, CustomTestStringConvertible {
        var asOf: String
        var elapsed: Int
        var remaining: Int
        var state: SLAClock.State
        var testDescription: String { "as of \(asOf): \(state.rawValue)" }
    }

    /// Submitted Monday 2025-01-06: the 90th calendar day is 2025-04-06 (25 days in January, 28 in
    /// February, 31 in March, 6 in April); due_soon from 5 days before (04-01); breached from 04-07.
    static let bisDays: [BISDay] = [
        BISDay(asOf: "2025-01-06", elapsed: 0, remaining: 90, state: .onTrack),
        BISDay(asOf: "2025-01-31", elapsed: 25, remaining: 65, state: .onTrack),
        BISDay(asOf: "2025-03-31", elapsed: 84, remaining: 6, state: .onTrack),
        BISDay(asOf: "2025-04-01", elapsed: 85, remaining: 5, state: .dueSoon),
        BISDay(asOf: "2025-04-06", elapsed: 90, remaining: 0, state: .dueSoon),
        BISDay(asOf: "2025-04-07", elapsed: 91, remaining: -1, state: .breached),
    ]

    @Test("BIS: 90 calendar days from submission", arguments: bisDays)
    func bisCalendarDays(day: BISDay) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.submitted(connection, authority: "BIS", on: "2025-01-06")

            let clock = try ClockFixture.clock(connection, id, asOf: day.asOf)
            #expect(clock.unit == "calendar_days")
            #expect(clock.calendar == nil)
            #expect(clock.target == 90)
            #expect(clock.startedOn == Self.d("2025-01-06"))
            #expect(clock.deadline == Self.d("2025-04-06"))
            #expect(clock.elapsed == day.elapsed)
            #expect(clock.remaining == day.remaining)
            #expect(clock.state == day.state)
            #expect(clock.provisional == false)

            let sla = try ClockFixture.showSLA(db, id, asOf: day.asOf)
            #expect(sla.deadline == "2025-04-06")
            #expect(sla.state == day.state.rawValue)
            #expect(sla.unit == "calendar_days")
            #expect(sla.calendar == nil)

            let stored = try #require(try ClockFixture.stored(connection, id))
            #expect(stored.deadline == Self.d("2025-04-06"))
            #expect(stored.warnOn == Self.d("2025-04-01"))
        }
    }

    // MARK: Every state

    /// A way to reach a state, and the day it is judged on.
    struct Scenario: Sendable, CustomTestStringConvertible {
        var name: String
        var authority: String
        var events: [(String, String)]
        var asOf: String
        var state: SLAClock.State
        var deadline: String?
        var testDescription: String { "\(name) as of \(asOf): \(state.rawValue)" }
    }

    static let scenarios: [Scenario] = [
        Scenario(
            name: "draft", authority: "MOFCOM", events: [], asOf: "2025-05-01", state: .notStarted, deadline: nil),
        Scenario(
            name: "MOFCOM submitted, not accepted", authority: "MOFCOM", events: [("submit", "2025-04-02")],
            asOf: "2025-05-01", state: .notStarted, deadline: nil),
        Scenario(
            name: "MOFCOM accepted 2025-04-07", authority: "MOFCOM",
            events: [("submit", "2025-04-02"), ("accept", "2025-04-07")], asOf: "2025-06-04", state: .onTrack,
            deadline: "2025-06-12"),
        Scenario(
            name: "MOFCOM accepted 2025-04-07", authority: "MOFCOM",
            events: [("submit", "2025-04-02"), ("accept", "2025-04-07")], asOf: "2025-06-05", state: .dueSoon,
            deadline: "2025-06-12"),
        Scenario(
            name: "MOFCOM accepted 2025-04-07", authority: "MOFCOM",
            events: [("submit", "2025-04-02"), ("accept", "2025-04-07")], asOf: "2025-06-12", state: .dueSoon,
            deadline: "2025-06-12"),
        Scenario(
            name: "MOFCOM accepted 2025-04-07", authority: "MOFCOM",
            events: [("submit", "2025-04-02"), ("accept", "2025-04-07")], asOf: "2025-06-13", state: .breached,
            deadline: "2025-06-12"),
        Scenario(
            name: "MOFCOM information requested 2025-05-12", authority: "MOFCOM",
            events: [("submit", "2025-04-02"), ("accept", "2025-04-07"), ("request-info", "2025-05-12")],
            asOf: "2025-05-12", state: .paused, deadline: "2025-06-12"),
        Scenario(
            name: "MOFCOM approved on the deadline", authority: "MOFCOM",
            events: [("submit", "2025-04-02"), ("accept", "2025-04-07"), ("approve", "2025-06-12")],
            asOf: "2025-07-01", state: .met, deadline: "2025-06-12"),
        Scenario(
            name: "MOFCOM approved the day after the deadline", authority: "MOFCOM",
            events: [("submit", "2025-04-02"), ("accept", "2025-04-07"), ("approve", "2025-06-13")],
            asOf: "2025-07-01", state: .missed, deadline: "2025-06-12"),
        Scenario(
            name: "BIS submitted 2025-01-06, approved 2025-03-20", authority: "BIS",
            events: [("submit", "2025-01-06"), ("approve", "2025-03-20")], asOf: "2025-05-01", state: .met,
            deadline: "2025-04-06"),
        Scenario(
            name: "BIS submitted 2025-01-06, approved 2025-04-07", authority: "BIS",
            events: [("submit", "2025-01-06"), ("approve", "2025-04-07")], asOf: "2025-05-01", state: .missed,
            deadline: "2025-04-06"),
        Scenario(
            name: "BIS submitted 2025-01-06, information requested 2025-02-03", authority: "BIS",
            events: [("submit", "2025-01-06"), ("request-info", "2025-02-03")], asOf: "2025-02-10",
            state: .paused, deadline: "2025-04-13"),
    ]

    @Test("state through app show --as-of and ClockStore", arguments: scenarios)
    func stateThroughShow(scenario: Scenario) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.application(connection, authority: scenario.authority)
            try ClockFixture.record(connection, id, scenario.events)

            let sla = try ClockFixture.showSLA(db, id, asOf: scenario.asOf)
            #expect(sla.state == scenario.state.rawValue)
            #expect(sla.deadline == scenario.deadline)
            #expect(sla.asOf == scenario.asOf)
            let clock = try ClockFixture.clock(connection, id, asOf: scenario.asOf)
            #expect(clock.state == scenario.state)
            #expect(clock.deadline?.description == scenario.deadline)
            if scenario.state == .notStarted {
                #expect(sla.startedOn == nil)
                #expect(sla.elapsed == nil)
            }
        }
    }

    /// Judged on 2025-06-06, one application in each state; `app list --sla S --as-of 2025-06-06`
    /// lists exactly those in S.
    @Test("app list --sla S --as-of 2025-06-06", arguments: SLAClock.State.allCases)
    func listBySLA(state: SLAClock.State) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let draft = try ClockFixture.application(connection)
            let submitted = try ClockFixture.application(connection)
            try ClockFixture.record(connection, submitted, "submit", on: "2025-05-02")
            // Deadline 2025-07-09.
            let onTrack = try ClockFixture.acceptedMOFCOM(connection, on: "2025-05-06")
            // Deadline 2025-06-12, due_soon from 2025-06-05.
            let dueSoon = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            // Deadline 2025-05-08.
            let breached = try ClockFixture.acceptedMOFCOM(connection, on: "2025-03-03")
            let paused = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(connection, paused, "request-info", on: "2025-05-12")
            let met = try ClockFixture.acceptedMOFCOM(connection, on: "2025-03-03")
            try ClockFixture.record(connection, met, "approve", on: "2025-04-30")
            // Deadline 2025-04-08.
            let missed = try ClockFixture.acceptedMOFCOM(connection, on: "2025-02-03")
            try ClockFixture.record(connection, missed, "approve", on: "2025-06-05")

            let expected: [SLAClock.State: Set<Int64>] = [
                .notStarted: [draft, submitted], .onTrack: [onTrack], .dueSoon: [dueSoon], .breached: [breached],
                .paused: [paused], .met: [met], .missed: [missed],
            ]
            let rows = try ClockFixture.list(db, ["--sla", state.rawValue, "--as-of", "2025-06-06"])
            #expect(Set(rows.map(\.id)) == expected[state])
            #expect(rows.allSatisfy { $0.slaState == state.rawValue })
            #expect(rows.count == expected[state]?.count)
        }
    }

    /// While a pause is open the deadline moves one unit with each paused unit; app list shows that
    /// projected deadline, as app show does, not the stored one that stops where the pause began.
    /// Accepted 2025-04-07 (deadline 2025-06-12), asked for information 2025-05-12: as of 2025-05-20
    /// six CN working days are paused (05-13..05-16, 05-19, 05-20), so the deadline is the sixth
    /// working day after 2025-06-12, 2025-06-20.
    @Test("app list and app show agree on a paused clock's deadline")
    func listAndShowAgreeWhilePaused() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(connection, id, "request-info", on: "2025-05-12")
            let shown = try ClockFixture.showSLA(db, id, asOf: "2025-05-20")
            #expect(shown.state == "paused")
            #expect(shown.deadline == "2025-06-20")
            let listed = try #require(try ClockFixture.list(db, ["--as-of", "2025-05-20"]).first { $0.id == id })
            #expect(listed.deadline == shown.deadline)
            #expect(listed.provisional == shown.provisional)
            #expect(listed.slaState == shown.state)
        }
    }

    /// The as-of day decides: the same clock is due_soon on 2025-06-12 and breached on 2025-06-13.
    @Test("app list --sla follows --as-of")
    func listFollowsAsOf() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")

            #expect(try ClockFixture.list(db, ["--sla", "on_track", "--as-of", "2025-06-04"]).map(\.id) == [id])
            #expect(try ClockFixture.list(db, ["--sla", "due_soon", "--as-of", "2025-06-04"]).isEmpty)
            #expect(try ClockFixture.list(db, ["--sla", "due_soon", "--as-of", "2025-06-05"]).map(\.id) == [id])
            #expect(try ClockFixture.list(db, ["--sla", "due_soon", "--as-of", "2025-06-12"]).map(\.id) == [id])
            #expect(try ClockFixture.list(db, ["--sla", "breached", "--as-of", "2025-06-12"]).isEmpty)
            let breached = try ClockFixture.list(db, ["--sla", "breached", "--as-of", "2025-06-13"])
            #expect(breached.map(\.id) == [id])
            #expect(breached.first?.deadline == "2025-06-12")
        }
    }

    @Test("app list --sla rejects an unknown state (64)")
    func listUnknownState() throws {
        try TestDatabase.with { db in
            ClockFixture.expectFailure(try ClockFixture.run(["app", "list", "--sla", "late"], db), status: 64)
        }
    }

    // MARK: Agreement with clock_state()

    /// Every value clock_state() can return, found by calling it over a grid of crafted arguments
    /// that covers each of its branches, is a case of SLAClock.State, and every case is returned.
    @Test("SLAClock.State matches clock_state()")
    func stateAgreement() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            // One crafted call per state.
            let crafted: [(String?, String?, String?, String?, String?, String, SLAClock.State)] = [
                (nil, nil, nil, nil, nil, "2025-05-01", .notStarted),
                ("2025-04-07", nil, nil, "2025-06-12", "2025-06-05", "2025-05-01", .onTrack),
                ("2025-04-07", nil, nil, "2025-06-12", "2025-06-05", "2025-06-05", .dueSoon),
                ("2025-04-07", nil, nil, "2025-06-12", "2025-06-05", "2025-06-13", .breached),
                ("2025-04-07", nil, "2025-05-12", "2025-06-12", "2025-06-05", "2025-06-13", .paused),
                ("2025-04-07", "2025-06-12", nil, "2025-06-12", "2025-06-05", "2025-07-01", .met),
                ("2025-04-07", "2025-06-13", nil, "2025-06-12", "2025-06-05", "2025-07-01", .missed),
            ]
            for (started, ended, pause, deadline, warn, asOf, state) in crafted {
                let value = try ClockFixture.value(
                    connection,
                    "select clock_state($1::date, $2::date, $3::date, $4::date, $5::date, $6::date)",
                    [started, ended, pause, deadline, warn, asOf])
                #expect(value == state.rawValue, "clock_state(\(started ?? "null"), ...) on \(asOf)")
            }

            // Every output over a grid of arguments (NULLs included).
            let values = try connection.query(
                """
                with d(v) as (values (null::date), (date '2025-04-07'), (date '2025-06-05'), (date '2025-06-12'),
                                     (date '2025-06-13'))
                select distinct clock_state(s.v, e.v, p.v, dl.v, w.v, a.v) as state
                from d s, d e, d p, d dl, d w, d a
                where a.v is not null
                """
            ).map { try $0.decodeIfPresent(String.self, "state") }
            let returned = Set(values.map { $0 ?? "(null)" })
            #expect(returned == Set(SLAClock.State.allCases.map(\.rawValue)))
        }
    }
}
