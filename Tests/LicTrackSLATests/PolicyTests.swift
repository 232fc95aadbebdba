import Foundation
import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// `lictrack policy` and the database's recompute of open clocks when a policy changes.
@Suite("SLA policies")
struct PolicyTests {
    private static func d(_ text: String) -> CivilDate { ClockFixture.date(text) }

    struct ShownPolicy: Decodable, Equatable {
        var authority: String
        var licenceType: String?
        var startStatus: String
        var target: Int
        var unit: String
        var calendar: String?
        var pauseStatuses: [String]
        var warnBefore: Int
    }

    private static func show(_ db: TestDatabase, _ arguments: [String]) throws -> ShownPolicy {
        try ClockFixture.decode(
            ShownPolicy.self, try ClockFixture.runOK(["policy", "show"] + arguments + ["--format", "json"], db))
    }

    @Test("policy show MOFCOM --format json")
    func showMOFCOM() throws {
        try TestDatabase.with { db in
            let policy = try Self.show(db, ["MOFCOM"])
            #expect(
                policy
                    == ShownPolicy(
                        authority: "MOFCOM", licenceType: nil, startStatus: "under_review", target: 45,
                        unit: "working_days", calendar: "CN", pauseStatuses: ["info_requested"], warnBefore: 5))
        }
    }

    @Test("policy list: the four seeded defaults")
    func listDefaults() throws {
        try TestDatabase.with { db in
            let policies = try ClockFixture.decode(
                [ShownPolicy].self, try ClockFixture.runOK(["policy", "list", "--format", "json"], db))
            let byAuthority = Dictionary(uniqueKeysWithValues: policies.map { ($0.authority, $0) })
            #expect(policies.count == 4)
            #expect(byAuthority["BIS"]?.target == 90)
            #expect(byAuthority["BIS"]?.unit == "calendar_days")
            #expect(byAuthority["BIS"]?.calendar == nil)
            #expect(byAuthority["BIS"]?.startStatus == "submitted")
            #expect(byAuthority["ECJU"]?.target == 20)
            #expect(byAuthority["ECJU"]?.calendar == "GB-ENG")
            #expect(byAuthority["BAFA"]?.calendar == "DE")
            #expect(policies.allSatisfy { $0.licenceType == nil })
        }
    }

    /// ECJU submitted Tuesday 2025-04-01 on GB-ENG (04-18, 04-21, 05-05, 05-26 off): the 20th working
    /// day is 2025-05-01, the 60th 2025-06-30.
    @Test("policy set ECJU --target 60 moves the open ECJU clock")
    func setTarget() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let ecju = try ClockFixture.submitted(connection, authority: "ECJU", on: "2025-04-01")
            let mofcom = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            #expect(try ClockFixture.stored(connection, ecju)?.deadline == Self.d("2025-05-01"))

            let outcome = try ClockFixture.runOK(["policy", "set", "ECJU", "--target", "60"], db)
            #expect(outcome.stdout.contains("1 open clocks of ECJU recomputed"), "\(outcome.stdout)")

            let stored = try #require(try ClockFixture.stored(connection, ecju))
            #expect(stored.target == 60)
            #expect(stored.deadline == Self.d("2025-06-30"))
            #expect(try ClockFixture.showSLA(db, ecju, asOf: "2025-05-02").deadline == "2025-06-30")
            #expect(try ClockFixture.showSLA(db, ecju, asOf: "2025-05-02").state == "on_track")
            #expect(try Self.show(db, ["ECJU"]).target == 60)
            // Another authority's clock is untouched.
            #expect(try ClockFixture.stored(connection, mofcom)?.deadline == Self.d("2025-06-12"))
            #expect(try ClockFixture.stored(connection, mofcom)?.target == 45)
        }
    }

    /// A general-licence policy applies to general-licence applications only.
    @Test("policy set MOFCOM --licence-type general creates a policy used only by general licences")
    func licenceTypePolicy() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let single = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            let general = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07", licenceType: "general")
            let other = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07", licenceType: "other")

            let outcome = try ClockFixture.runOK(
                ["policy", "set", "MOFCOM", "--licence-type", "general", "--target", "30", "--format", "json"], db)
            let created = try ClockFixture.decode(ShownPolicy.self, outcome)
            // A copy of the default with the new target.
            #expect(
                created
                    == ShownPolicy(
                        authority: "MOFCOM", licenceType: "general", startStatus: "under_review", target: 30,
                        unit: "working_days", calendar: "CN", pauseStatuses: ["info_requested"], warnBefore: 5))

            // 30 working days from 2025-04-07: 2025-05-21 (05-01, 05-02 and 05-05 off, Sunday 04-27 working).
            #expect(try ClockFixture.stored(connection, general)?.deadline == Self.d("2025-05-21"))
            #expect(try ClockFixture.showSLA(db, general, asOf: "2025-05-06").target == 30)
            #expect(try ClockFixture.stored(connection, single)?.deadline == Self.d("2025-06-12"))
            #expect(try ClockFixture.stored(connection, other)?.deadline == Self.d("2025-06-12"))

            #expect(try Self.show(db, ["MOFCOM"]).target == 45)
            #expect(try Self.show(db, ["MOFCOM", "--licence-type", "general"]).target == 30)
            #expect(try Self.show(db, ["MOFCOM", "--licence-type", "single"]).target == 45)
            let policies = try ClockFixture.decode(
                [ShownPolicy].self, try ClockFixture.runOK(["policy", "list", "--format", "json"], db))
            #expect(policies.filter { $0.authority == "MOFCOM" }.map(\.licenceType) == [nil, "general"])

            // Changing the general policy again updates it in place.
            try ClockFixture.runOK(["policy", "set", "MOFCOM", "--licence-type", "general", "--target", "31"], db)
            #expect(
                try ClockFixture.value(connection, "select count(*) from sla_policies where authority = 'MOFCOM'")
                    == "2")
            #expect(try ClockFixture.stored(connection, general)?.deadline == Self.d("2025-05-22"))
            // The default's change does not reach general licences.
            try ClockFixture.runOK(["policy", "set", "MOFCOM", "--target", "50"], db)
            #expect(try ClockFixture.stored(connection, general)?.target == 31)
            #expect(try ClockFixture.stored(connection, single)?.target == 50)
        }
    }

    /// Usage errors: nothing changes.
    @Test(
        "policy set with a bad option is a usage error (64)",
        arguments: [
            ["--target", "0"],
            ["--pauses", "info_requested,on_holiday"],
            ["--pauses", "paused"],
            ["--warn-before", "-1"],
            ["--unit", "fortnights"],
        ])
    func setUsageErrors(arguments: [String]) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            let before = try ClockFixture.value(
                connection, "select string_agg(sla_policies::text, ';' order by id) from sla_policies")

            ClockFixture.expectFailure(try ClockFixture.run(["policy", "set", "MOFCOM"] + arguments, db), status: 64)
            #expect(
                try ClockFixture.value(
                    connection, "select string_agg(sla_policies::text, ';' order by id) from sla_policies") == before)
            #expect(try ClockFixture.stored(connection, id)?.deadline == Self.d("2025-06-12"))
        }
    }

    /// Well-formed but unacceptable: the database refuses (65) and nothing changes.
    @Test(
        "policy set refused by the database (65)",
        arguments: [
            // The clock cannot start on a status that pauses it (LT007).
            ["MOFCOM", "--pauses", "under_review"],
            // Working days need a calendar.
            ["BIS", "--unit", "working_days"],
            // No such calendar.
            ["MOFCOM", "--calendar", "XX"],
        ])
    func setRefused(arguments: [String]) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let before = try ClockFixture.value(
                connection, "select string_agg(sla_policies::text, ';' order by id) from sla_policies")
            ClockFixture.expectFailure(try ClockFixture.run(["policy", "set"] + arguments, db), status: 65)
            #expect(
                try ClockFixture.value(
                    connection, "select string_agg(sla_policies::text, ';' order by id) from sla_policies") == before)
        }
    }

    @Test("policy set for an unknown authority: 66")
    func setUnknownAuthority() throws {
        try TestDatabase.with { db in
            ClockFixture.expectFailure(
                try ClockFixture.run(["policy", "set", "NOPE", "--target", "10"], db), status: 66)
            ClockFixture.expectFailure(try ClockFixture.run(["policy", "show", "NOPE"], db), status: 66)
        }
    }

    /// `--pauses ''`: nothing pauses the clock any more, so the worked example's pause no longer
    /// moves its deadline (2025-06-25 back to 2025-06-12).
    @Test("policy set --pauses '' stops pauses counting")
    func noPauses() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(connection, id, [("request-info", "2025-04-21"), ("provide-info", "2025-05-06")])
            #expect(try ClockFixture.stored(connection, id)?.deadline == Self.d("2025-06-25"))

            try ClockFixture.runOK(["policy", "set", "MOFCOM", "--pauses", ""], db)
            #expect(try Self.show(db, ["MOFCOM"]).pauseStatuses == [])
            let stored = try #require(try ClockFixture.stored(connection, id))
            #expect(stored.pausedUnits == 0)
            #expect(stored.deadline == Self.d("2025-06-12"))

            // And a delay can be made to pause it: (05-15, 05-22] = 05-16, 05-19..05-22, 5 working days.
            try ClockFixture.runOK(["policy", "set", "MOFCOM", "--pauses", "delayed"], db)
            try ClockFixture.runOK(["app", "delay", "\(id)", "--reason", "hold", "--on", "2025-05-15"], db)
            try ClockFixture.runOK(["app", "resume", "\(id)", "--on", "2025-05-22"], db)
            let delayed = try #require(try ClockFixture.stored(connection, id))
            #expect(delayed.pausedUnits == 5)
            // 2025-06-12 + 5 working days: 06-13, 06-16..06-19.
            #expect(delayed.deadline == Self.d("2025-06-19"))
        }
    }

    /// `--starts-at submitted`: the MOFCOM clock starts at submission (Wednesday 2025-04-02) instead
    /// of acceptance: 45 working days later is 2025-06-10.
    @Test("policy set MOFCOM --starts-at submitted moves the start")
    func startsAt() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let id = try ClockFixture.application(connection)
            try ClockFixture.record(connection, id, [("submit", "2025-04-02"), ("accept", "2025-04-07")])
            #expect(try ClockFixture.stored(connection, id)?.startedOn == Self.d("2025-04-07"))

            try ClockFixture.runOK(["policy", "set", "MOFCOM", "--starts-at", "submitted"], db)
            let stored = try #require(try ClockFixture.stored(connection, id))
            #expect(stored.startedOn == Self.d("2025-04-02"))
            #expect(stored.deadline == Self.d("2025-06-10"))
        }
    }

    /// Deleting a licence-type policy in SQL (the delete trigger recomputes the authority's open
    /// clocks) puts its applications back on the authority's default: 45 working days, 2025-06-12.
    @Test("delete from sla_policies in SQL falls back to the default policy")
    func deleteLicenceTypePolicy() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let general = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07", licenceType: "general")
            try ClockFixture.runOK(["policy", "set", "MOFCOM", "--licence-type", "general", "--target", "30"], db)
            #expect(try ClockFixture.stored(connection, general)?.deadline == Self.d("2025-05-21"))

            let state = ClockFixture.sqlState {
                try connection.execute(
                    "delete from sla_policies where authority = 'MOFCOM' and licence_type = 'general'")
            }
            #expect(state == nil, "delete failed with SQLSTATE \(state ?? "-")")
            let stored = try #require(try ClockFixture.stored(connection, general))
            #expect(stored.target == 45)
            #expect(stored.deadline == Self.d("2025-06-12"))
        }
    }

    /// A raw SQL UPDATE of the policy recomputes every open clock of the authority (statement
    /// trigger), set-based, and leaves decided applications and other authorities alone.
    @Test("update sla_policies in SQL recomputes every open MOFCOM clock")
    func bulkRecompute() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            // Paused 9 working days (the worked example): 59 working days from 2025-04-07.
            let paused = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(
                connection, paused, [("request-info", "2025-04-21"), ("provide-info", "2025-05-06")])
            let plain = try ClockFixture.acceptedMOFCOM(connection, on: "2025-05-06")
            // Paused 5 working days across Golden Week.
            let goldenWeek = try ClockFixture.acceptedMOFCOM(connection, on: "2025-09-01")
            try ClockFixture.record(
                connection, goldenWeek, [("request-info", "2025-09-26"), ("provide-info", "2025-10-10")])
            let general = try ClockFixture.acceptedMOFCOM(connection, on: "2025-05-06", licenceType: "general")
            let decided = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(connection, decided, "approve", on: "2025-06-12")
            let notStarted = try ClockFixture.application(connection)
            try ClockFixture.record(connection, notStarted, "submit", on: "2025-05-02")
            let bis = try ClockFixture.submitted(connection, authority: "BIS", on: "2025-01-06")

            #expect(
                try connection.execute("update sla_policies set target = 50 where authority = 'MOFCOM'") == 1)

            let expected: [(Int64, String, String)] = [
                (paused, "2025-07-02", "2025-06-25"),
                (plain, "2025-07-16", "2025-07-09"),
                (goldenWeek, "2025-11-21", "2025-11-14"),
                (general, "2025-07-16", "2025-07-09"),
            ]
            for (id, deadline, warnOn) in expected {
                let stored = try #require(try ClockFixture.stored(connection, id))
                #expect(stored.target == 50, "application \(id)")
                #expect(stored.deadline == Self.d(deadline), "application \(id)")
                #expect(stored.warnOn == Self.d(warnOn), "application \(id)")
            }
            // Every open MOFCOM clock agrees with a fresh computation.
            #expect(
                try ClockFixture.value(
                    connection,
                    """
                    select count(*) from application_clocks k
                    join applications a on a.id = k.application_id
                    join sla_compute(array[a.id]) s on s.application_id = k.application_id and s.cycle = k.cycle
                    where a.authority = 'MOFCOM' and a.status not in ('approved', 'denied', 'withdrawn')
                      and (k.target, k.deadline, k.warn_on) is distinct from (s.target, s.deadline, s.warn_on)
                    """) == "0")
            #expect(try ClockFixture.stored(connection, notStarted)?.target == 50)
            #expect(try ClockFixture.stored(connection, notStarted)?.deadline == nil)

            // Decided: kept as it was judged. Other authority: untouched.
            let kept = try #require(try ClockFixture.stored(connection, decided))
            #expect(kept.target == 45)
            #expect(kept.deadline == Self.d("2025-06-12"))
            #expect(try ClockFixture.stored(connection, bis)?.deadline == Self.d("2025-04-06"))
            #expect(try ClockFixture.stored(connection, bis)?.target == 90)
        }
    }
}
