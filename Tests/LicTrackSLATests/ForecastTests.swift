import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// Decision forecasts (issue 6, "Forecasts"), on hand-built samples.
///
/// BIS counts calendar days from submission, so a BIS application submitted on D and approved on
/// D + E was decided at elapsed E. Every expected value below is worked out by hand from the
/// sample, not read back from the output.
@Suite("Decision forecasts")
struct ForecastTests {
    static func d(_ text: String) -> CivilDate { ClockFixture.date(text) }

    /// A BIS application with one item of `controlCode`, submitted on `submitted`.
    static func bis(
        _ connection: PostgresConnection, submitted: String, controlCode: String? = "3A001.a"
    ) throws -> Int64 {
        var draft = ApplicationDraft(authority: "BIS", applicant: "Acme Inc", destination: "CN")
        draft.createdOn = d(submitted)
        draft.items = [ItemDraft(description: "Spectrum analyzer", controlCode: controlCode)]
        let id = try ApplicationStore(connection: connection).create(draft)
        try ClockFixture.record(connection, id, "submit", on: submitted)
        return id
    }

    /// BIS decisions: each submitted on 2025-05-01 and approved (or denied) `elapsed` days later.
    static func decided(
        _ connection: PostgresConnection, _ elapsed: [Int], controlCode: String? = "3A001.a", event: String = "approve"
    ) throws {
        for days in elapsed {
            let id = try bis(connection, submitted: "2025-05-01", controlCode: controlCode)
            try ClockFixture.record(connection, id, event, on: d("2025-05-01").adding(days: days).description)
        }
    }

    /// The target: submitted 2025-11-01, so 30 calendar days elapsed as of 2025-12-01.
    static func target(_ connection: PostgresConnection, controlCode: String? = "3A001.a") throws -> Int64 {
        try bis(connection, submitted: "2025-11-01", controlCode: controlCode)
    }

    static func forecast(
        _ connection: PostgresConnection, _ id: Int64, asOf: String = "2025-12-01"
    ) throws
        -> DecisionForecast?
    {
        try ReportStore(connection: connection).outlook(of: id, asOf: d(asOf))?.forecast
    }

    /// Only decisions slower than the 30 days already spent count: 35, 40, 50, 60, 70, 80 and 100
    /// (m = 7). p50 is rank ceil(3.5) = 4 of them, 60; p90 rank ceil(6.3) = 7, 100. Placed from the
    /// submission: 2025-11-01 + 60 = 2025-12-31 and + 100 = 2026-02-09. (Unconditioned, p50 would be 40.)
    @Test func conditionedOnTheTimeAlreadySpent() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try Self.decided(connection, [10, 20, 25, 30, 35, 40, 50, 60, 70])
            try Self.decided(connection, [80, 100], event: "deny")
            let id = try Self.target(connection)
            let forecast = try #require(try Self.forecast(connection, id))
            #expect(forecast.sample == 7)
            #expect(forecast.p50Elapsed == 60)
            #expect(forecast.p90Elapsed == 100)
            #expect(forecast.p50 == Self.d("2025-12-31"))
            #expect(forecast.p90 == Self.d("2026-02-09"))
            #expect(forecast.reason == nil)
            #expect(forecast.provisional == false)

            // The same, as percentile_disc computes it over the conditioned sample.
            let rows = try connection.query(
                """
                select percentile_disc(0.5) within group (order by e) as p50,
                       percentile_disc(0.9) within group (order by e) as p90
                from unnest(array[35, 40, 50, 60, 70, 80, 100]) e
                """)
            #expect(try rows[0].decode(Int.self, "p50") == 60)
            #expect(try rows[0].decode(Int.self, "p90") == 100)
        }
    }

    /// Withdrawals and returns are not decisions, and decisions outside the 365 days up to the day
    /// do not count: with only 4 slower decisions left, there is no date.
    @Test func tooFewAtFour() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try Self.decided(connection, [40, 50, 60, 70])
            try Self.decided(connection, [80], event: "withdraw")
            try Self.decided(connection, [90], event: "return")
            // Decided 2024-11-30, more than 365 days before 2025-12-01.
            let old = try Self.bis(connection, submitted: "2024-09-01")
            try ClockFixture.record(connection, old, "approve", on: "2024-11-30")
            let id = try Self.target(connection)
            let forecast = try #require(try Self.forecast(connection, id))
            #expect(forecast.sample == 4)
            #expect(forecast.p50 == nil)
            #expect(forecast.p90 == nil)
            #expect(forecast.reason == "too few decided applications")

            // A fifth slower decision gives dates: m = 5, p50 rank 3 = 60, p90 rank 5 = 100.
            try Self.decided(connection, [100])
            let five = try #require(try Self.forecast(connection, id))
            #expect(five.sample == 5)
            #expect(five.p50 == Self.d("2025-12-31"))
            #expect(five.p90 == Self.d("2026-02-09"))
        }
    }

    /// The family 3A0 (first 3 characters) narrows the sample only when it has at least 20
    /// decisions. Family decisions took 40 days, others 80; the target has spent 30.
    /// - 20 of family 3A0: the family alone, p90 = 40, so 2025-12-11.
    /// - 19 of them: the whole authority, 29 decisions; p90 rank ceil(26.1) = 27 is an 80, so 2026-01-20.
    @Test(arguments: [(20, 20, 40, "2025-12-11"), (19, 29, 80, "2026-01-20")])
    func narrowedToTheFamilyFromTwenty(family: Int, sample: Int, p90: Int, p90On: String) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try Self.decided(connection, Array(repeating: 40, count: family), controlCode: "3a001.b")
            try Self.decided(connection, Array(repeating: 80, count: 10), controlCode: "5A002")
            let id = try Self.target(connection, controlCode: "3A001.a")
            let forecast = try #require(try Self.forecast(connection, id))
            #expect(forecast.sample == sample)
            #expect(forecast.p50Elapsed == 40)
            #expect(forecast.p50 == Self.d("2025-12-11"))
            #expect(forecast.p90Elapsed == p90)
            #expect(forecast.p90 == Self.d(p90On))
        }
    }

    /// On the CN calendar, with the target's pause: the paused worked example of Docs/sla.md
    /// (accepted 2025-04-07, paused 04-21 to 05-06, 9 working days) stands at 39 of 45 as of
    /// 2025-06-17. Five MOFCOM applications accepted 2025-04-07 and approved on their deadline day,
    /// 2025-06-12, were decided at 45 (and are met). p50 = p90 = 45, six working days after 06-17:
    /// 06-18, 06-19, 06-20, 06-23, 06-24, 06-25. That is 2025-06-25, the target's own deadline.
    @Test func placedOnTheWorkingDayCalendarWithPauses() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            for _ in 0..<5 {
                let id = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
                try ClockFixture.record(connection, id, "approve", on: "2025-06-12")
                let clock = try ClockFixture.clock(connection, id, asOf: "2025-06-17")
                #expect(clock.state == .met)
                #expect(clock.elapsed == 45)
                #expect(clock.remaining == 0)
            }
            let target = try ClockFixture.acceptedMOFCOM(connection, on: "2025-04-07")
            try ClockFixture.record(
                connection, target, [("request-info", "2025-04-21"), ("provide-info", "2025-05-06")])
            let outlook = try #require(
                try ReportStore(connection: connection).outlook(of: target, asOf: Self.d("2025-06-17")))
            #expect(outlook.clock.elapsed == 39)
            #expect(outlook.clock.paused == 9)
            let forecast = try #require(outlook.forecast)
            #expect(forecast.sample == 5)
            #expect(forecast.p50 == Self.d("2025-06-25"))
            #expect(forecast.p90 == Self.d("2025-06-25"))
            #expect(forecast.provisional == false)
        }
    }

    /// No forecast for a clock that is not running: not started, or decided.
    @Test func onlyRunningClocksAreForecast() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try Self.decided(connection, [40, 50, 60, 70, 80])
            let draft = try ClockFixture.application(connection, authority: "BIS", createdOn: "2025-11-01")
            #expect(try Self.forecast(connection, draft) == nil)
            let decided = try Self.target(connection)
            try ClockFixture.record(connection, decided, "approve", on: "2025-11-20")
            #expect(try Self.forecast(connection, decided) == nil)
            #expect(
                try ReportStore(connection: connection).outlook(of: decided, asOf: Self.d("2025-12-01"))?.status
                    == "approved")
        }
    }
}
