import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// `report_aging()` through FigureReportStore: open applications in buckets of the target used.
///
/// Expected buckets are worked out by hand: BIS counts 90 calendar days from submission, so the
/// elapsed count as of D is D minus the submission day; the MOFCOM clock is the paused worked
/// example of Docs/sla.md (accepted 2025-04-07, 9 working days paused, deadline 2025-06-25).
@Suite("Report aging")
struct ReportAgingTests {
    typealias Bucket = AgingBucket.Bucket

    /// The ids per bucket of one authority, in bucket order.
    static func buckets(_ rows: [AgingBucket], _ authority: String) -> [Bucket: [Int64]] {
        Dictionary(
            uniqueKeysWithValues: rows.filter { $0.authority == authority }.map { ($0.bucket, $0.applicationIDs) })
    }

    @Test("bucket edges at exactly 50, 80 and 100% belong to the lower bucket")
    func edges() throws {
        try ReportFixture.with { c, store in
            // As of 2025-06-30; elapsed = 2025-06-30 minus the submission day (90 days target).
            let at45 = try ReportFixture.bis(c, submitted: "2025-05-16")  // 45/90 = 50%
            let at46 = try ReportFixture.bis(c, submitted: "2025-05-15")  // 51.1%
            let at72 = try ReportFixture.bis(c, submitted: "2025-04-19")  // 72/90 = 80%
            let at73 = try ReportFixture.bis(c, submitted: "2025-04-18")  // 81.1%
            let at90 = try ReportFixture.bis(c, submitted: "2025-04-01")  // 90/90 = 100%: the deadline day
            let at91 = try ReportFixture.bis(c, submitted: "2025-03-31")  // breached
            // 50 days elapsed of 90 + 10 extended = 50%: without the extension it would be 55.6%.
            let extended = try ReportFixture.bis(c, submitted: "2025-05-11")
            try ClockFixture.record(c, extended, "delay", on: "2025-05-22", reason: "extension", extendBy: 10)
            try ClockFixture.record(c, extended, "resume", on: "2025-05-23")
            // Not open on 2025-06-30: a draft, a decision, a return awaiting resubmission.
            _ = try ReportFixture.application(c, authority: "BIS", events: [])
            _ = try ReportFixture.bis(c, submitted: "2025-03-01", decision: "approve", on: "2025-06-30")
            _ = try ReportFixture.bis(c, submitted: "2025-03-01", decision: "return", on: "2025-04-01")
            // MOFCOM submitted but not accepted: its clock has not started.
            let unaccepted = try ReportFixture.application(c, authority: "MOFCOM", events: [("submit", "2025-06-02")])

            let rows = try store.aging(asOf: ReportFixture.date("2025-06-30"))
            #expect(rows.map(\.authority) == Array(repeating: "BIS", count: 5) + Array(repeating: "MOFCOM", count: 5))
            #expect(rows.prefix(5).map(\.bucket) == Bucket.allCases)
            #expect(
                Self.buckets(rows, "BIS") == [
                    .upToHalf: [at45, extended], .upToEightyPercent: [at46, at72], .upToDeadline: [at73, at90],
                    .over: [at91], .noClock: [],
                ])
            #expect(
                Self.buckets(rows, "MOFCOM") == [
                    .upToHalf: [], .upToEightyPercent: [], .upToDeadline: [], .over: [], .noClock: [unaccepted],
                ])
            #expect(rows.map(\.count) == [2, 2, 2, 1, 0, 0, 0, 0, 0, 1])
        }
    }

    /// One day of the paused MOFCOM example: its elapsed count and bucket.
    struct Day: Sendable, CustomTestStringConvertible {
        var asOf: String
        var bucket: Bucket
        var why: String
        var testDescription: String { "\(asOf): \(why)" }
    }

    @Test(
        "a paused MOFCOM clock as of past days: the stored clock and the replay agree",
        arguments: [
            Day(asOf: "2025-04-30", bucket: .upToHalf, why: "paused at 10 of 45"),
            Day(asOf: "2025-06-12", bucket: .upToEightyPercent, why: "45 - 9 paused = 36 of 45: exactly 80%"),
            Day(asOf: "2025-06-13", bucket: .upToDeadline, why: "37 of 45"),
            Day(asOf: "2025-06-25", bucket: .upToDeadline, why: "45 of 45: the deadline day"),
            Day(asOf: "2025-06-26", bucket: .over, why: "46 of 45"),
        ])
    func pausedExample(day: Day) throws {
        try ReportFixture.with { c, store in
            let history = [
                ("submit", "2025-04-02"), ("accept", "2025-04-07"), ("request-info", "2025-04-21"),
                ("provide-info", "2025-05-06"),
            ]
            // The same history twice: one decided later (so its clock on the day is replayed by
            // sla_compute), one still open (its stored clock is the clock on the day).
            let replayed = try ReportFixture.application(c, authority: "MOFCOM", events: history)
            try ClockFixture.record(c, replayed, "approve", on: "2025-07-01")
            let stored = try ReportFixture.application(c, authority: "MOFCOM", events: history)

            let rows = try store.aging(asOf: ReportFixture.date(day.asOf))
            let expected = Dictionary(uniqueKeysWithValues: Bucket.allCases.map { ($0, [Int64]()) })
                .merging([day.bucket: [replayed, stored]]) { $1 }
            #expect(Self.buckets(rows, "MOFCOM") == expected)
        }
    }

    @Test("decided on the day: no longer open, so no rows")
    func decidedOnTheDay() throws {
        try ReportFixture.with { c, store in
            _ = try ReportFixture.bis(c, submitted: "2025-01-15", decision: "approve", on: "2025-04-14")
            #expect(try store.aging(asOf: ReportFixture.date("2025-04-14")).isEmpty)
            let before = try store.aging(asOf: ReportFixture.date("2025-04-13"))
            #expect(before.first { $0.bucket == .upToDeadline }?.count == 1, "88 of 90")
            #expect(try store.aging(asOf: ReportFixture.date("2025-01-14")).isEmpty, "not yet submitted")
        }
    }

    @Test("a breached clock with an open pause stays over; a pause freezes the share; a delay does not")
    func pauses() throws {
        try ReportFixture.with { c, store in
            // Deadline 2025-04-01; the request on 04-10 comes after it, so the clock runs on: 109 days on 04-20.
            let breached = try ReportFixture.bis(c, submitted: "2025-01-01")
            try ClockFixture.record(c, breached, "request-info", on: "2025-04-10")
            // Paused on 2025-03-31 after 30 days: still 30 of 90 on 2025-04-20.
            let paused = try ReportFixture.bis(c, submitted: "2025-03-01")
            try ClockFixture.record(c, paused, "request-info", on: "2025-03-31")

            // Delayed (on hold) since 2025-03-10: the clock runs on, 50 of 90 on 2025-04-20.
            let delayed = try ReportFixture.bis(c, submitted: "2025-03-01")
            try ClockFixture.record(c, delayed, "delay", on: "2025-03-10", reason: "hold")

            let rows = try store.aging(asOf: ReportFixture.date("2025-04-20"))
            #expect(Self.buckets(rows, "BIS")[.over] == [breached])
            #expect(Self.buckets(rows, "BIS")[.upToHalf] == [paused])
            #expect(Self.buckets(rows, "BIS")[.upToEightyPercent] == [delayed])
            // The same day replayed: a later event on each application.
            for id in [breached, paused] { try ClockFixture.record(c, id, "withdraw", on: "2025-05-02") }
            try ClockFixture.record(c, delayed, "resume", on: "2025-05-02")
            let replayed = try store.aging(asOf: ReportFixture.date("2025-04-20"))
            #expect(replayed == rows)
        }
    }

    @Test("an authority without a policy has no clock")
    func noPolicy() throws {
        try ReportFixture.with { c, store in
            try c.execute(
                "insert into authorities (code, name, country, time_zone) values ('METI', 'METI', 'JP', 'Asia/Tokyo')")
            let id = try ReportFixture.application(c, authority: "METI", events: [("submit", "2025-03-03")])
            let rows = try store.aging(asOf: ReportFixture.date("2025-06-30"))
            #expect(Self.buckets(rows, "METI")[.noClock] == [id])
            #expect(rows.filter { $0.authority == "METI" }.map(\.count) == [0, 0, 0, 0, 1])
        }
    }

    @Test("filters narrow the applications; an empty database and filters that match nothing give no rows")
    func filtersAndEmpty() throws {
        try ReportFixture.with { c, store in
            let day = ReportFixture.date("2025-06-30")
            #expect(try store.aging(asOf: day).isEmpty)

            let germany = try ReportFixture.bis(c, submitted: "2025-06-01", destination: "DE", owner: "Chen Jing")
            let japan = try ReportFixture.bis(c, submitted: "2025-06-01", destination: "JP", controlCode: "3A001.a")
            let ecju = try ReportFixture.application(
                c, authority: "ECJU", destination: "JP", events: [("submit", "2025-06-23")])  // 5 of 20 working days

            let all = try store.aging(asOf: day)
            #expect(Set(all.map(\.authority)) == ["BIS", "ECJU"])
            #expect(Self.buckets(all, "BIS")[.upToHalf] == [germany, japan])
            #expect(Self.buckets(all, "ECJU")[.upToHalf] == [ecju])

            let japanOnly = try store.aging(asOf: day, filter: ReportFilter(destinations: ["jp"]))
            #expect(japanOnly.flatMap(\.applicationIDs) == [japan, ecju])
            let owned = try store.aging(asOf: day, filter: ReportFilter(owners: ["chen jing"]))
            #expect(owned.map(\.authority) == Array(repeating: "BIS", count: 5))
            #expect(owned.flatMap(\.applicationIDs) == [germany])
            let coded = try store.aging(asOf: day, filter: ReportFilter(controlCodes: ["3a"]))
            #expect(coded.flatMap(\.applicationIDs) == [japan])
            #expect(try store.aging(asOf: day, filter: ReportFilter(authorities: ["BAFA"])).isEmpty)
            #expect(try store.aging(asOf: day, filter: ReportFilter(owners: ["nobody"])).isEmpty)

            let error = try #require(throws: LicTrackError.self) {
                try store.aging(asOf: day, filter: ReportFilter(authorities: ["MOFCOMM"]))
            }
            #expect(error.kind == .usage)
            #expect(error.message == "--authority: unknown authority 'MOFCOMM'")
        }
    }

    @Test("the Swift buckets are report_aging_buckets(), in order")
    func bucketsAgree() throws {
        try ReportFixture.with { c, _ in
            let sql = try c.query("select bucket from report_aging_buckets() order by sort_order")
                .map { try $0.decode(String.self, "bucket") }
            #expect(sql == Bucket.allCases.map(\.rawValue))
            #expect(sql == ["0-50%", "50-80%", "80-100%", "over", "no_clock"])
        }
    }

    @Test("psql gets one clear error without a day")
    func missingDay() throws {
        try ReportFixture.with { c, _ in
            let failure = ReportFixture.failure(c, "select * from report_aging(null)")
            #expect(failure?.state == "22023")
        }
    }
}
