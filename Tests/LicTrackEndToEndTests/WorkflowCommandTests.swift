import Foundation
import LicTrackTestSupport
import Testing

/// The application statuses, as the CLI prints them.
enum Status: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case draft, submitted
    case underReview = "under_review"
    case infoRequested = "info_requested"
    case delayed, returned, approved, denied, withdrawn

    var testDescription: String { rawValue }

    /// A path of legal verbs from a new draft to this status.
    var path: [Verb] {
        switch self {
        case .draft: return []
        case .submitted: return [.submit]
        case .underReview: return [.submit, .accept]
        case .infoRequested: return [.submit, .requestInfo]
        case .delayed: return [.submit, .delay]
        case .returned: return [.submit, .return]
        case .approved: return [.submit, .approve]
        case .denied: return [.submit, .deny]
        case .withdrawn: return [.withdraw]
        }
    }

    var isFinal: Bool { self == .approved || self == .denied || self == .withdrawn }
}

/// The event verbs that change an application's status.
enum Verb: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case submit, accept
    case requestInfo = "request-info"
    case provideInfo = "provide-info"
    case delay, resume, approve, deny
    case `return`
    case withdraw

    var testDescription: String { rawValue }

    /// The command line for this verb on application `app` on `date`.
    func arguments(_ app: String, on date: String) -> [String] {
        ["app", rawValue, app, "--on", date] + (self == .delay ? ["--reason", "extension"] : [])
    }

    /// Where this verb leads from `status` according to the workflow in the issue, or nil if it is
    /// forbidden there. `origin` is the status an info request came from (for provide-info).
    func target(from status: Status, origin: Status? = nil) -> Status? {
        switch (self, status) {
        case (.submit, .draft), (.submit, .returned): return .submitted
        case (.accept, .submitted): return .underReview
        case (.requestInfo, .submitted), (.requestInfo, .underReview), (.requestInfo, .delayed): return .infoRequested
        case (.provideInfo, .infoRequested): return origin
        case (.delay, .submitted), (.delay, .underReview): return .delayed
        case (.resume, .delayed): return .underReview
        case (.approve, .submitted), (.approve, .underReview), (.approve, .delayed): return .approved
        case (.deny, .submitted), (.deny, .underReview), (.deny, .delayed): return .denied
        case (.return, .submitted), (.return, .underReview), (.return, .infoRequested): return .returned
        case (.withdraw, _) where !status.isFinal: return .withdrawn
        default: return nil
        }
    }
}

/// Every allowed and every forbidden status transition, driven through the CLI's event verbs.
///
/// For each status an application is brought there by legal verbs (dated 2025-04-02, -03, ...),
/// then every verb is tried: allowed ones must exit 0 and land in the documented status;
/// forbidden ones must exit 65 with one error line and leave status and history untouched.
@Suite("Workflow transitions through the CLI")
struct WorkflowCommandTests {
    /// Creates an application on 2025-04-01 and walks it to `status`; returns its id.
    static func application(in status: Status, _ database: TestDatabase) throws -> Int {
        let id = try createApplication(database, on: "2025-04-01")
        for (index, verb) in status.path.enumerated() {
            try lictrackOK(verb.arguments(String(id), on: "2025-04-0\(index + 2)"), database: database)
        }
        return id
    }

    /// The status the application reached by its path came from, for provide-info.
    static func origin(of status: Status) -> Status? {
        status == .infoRequested ? .submitted : nil
    }

    @Test("forbidden verbs exit 65, write nothing and leave the status", arguments: Status.allCases)
    func forbidden(status: Status) throws {
        try TestDatabase.with { db in
            let id = try Self.application(in: status, db)
            let before = try show(id, db)
            #expect(before["status"] as? String == status.rawValue)
            let eventsBefore = events(before).count
            #expect(eventsBefore == status.path.count + 1)

            let forbidden = Verb.allCases.filter { $0.target(from: status, origin: Self.origin(of: status)) == nil }
            for verb in forbidden {
                let counts = try rowCounts(db)
                let outcome = try lictrack(verb.arguments(String(id), on: "2025-04-10"), database: db)
                expectFailure(outcome, status: 65, "\(verb.rawValue) from \(status.rawValue)")
                #expect(
                    outcome.stderr.contains(status.rawValue),
                    "the message should say the application is \(status.rawValue): \(outcome.stderr)")
                #expect(try rowCounts(db) == counts, "\(verb.rawValue) from \(status.rawValue) wrote something")
            }

            let after = try show(id, db)
            #expect(after["status"] as? String == status.rawValue)
            #expect(events(after).count == eventsBefore, "no event may be appended by a refused verb")
            #expect(events(after).map { $0["event"] as? String } == events(before).map { $0["event"] as? String })
        }
    }

    @Test("allowed verbs exit 0 and move to the documented status", arguments: Status.allCases)
    func allowed(status: Status) throws {
        let allowed = Verb.allCases.compactMap { verb in
            verb.target(from: status, origin: Self.origin(of: status)).map { (verb, $0) }
        }
        if status.isFinal {
            #expect(allowed.isEmpty)
        }
        try TestDatabase.with { db in
            for (verb, target) in allowed {
                let id = try Self.application(in: status, db)
                let outcome = try lictrack(
                    verb.arguments(String(id), on: "2025-04-10") + ["--format", "json"], database: db)
                #expect(outcome.status == 0, "\(verb.rawValue) from \(status.rawValue): \(outcome)")
                #expect(outcome.stderr.isEmpty)
                let printed = try #require(try outcome.json() as? [String: Any], "\(outcome.stdout)")
                #expect(int(printed["id"]) == id)
                #expect(printed["event"] as? String == verb.rawValue)
                #expect(printed["from"] as? String == status.rawValue)
                #expect(printed["to"] as? String == target.rawValue)
                #expect(printed["on"] as? String == "2025-04-10")

                let shown = try show(id, db)
                #expect(shown["status"] as? String == target.rawValue, "\(verb.rawValue) from \(status.rawValue)")
                let history = events(shown)
                #expect(history.count == status.path.count + 2)
                let last = try #require(history.last)
                #expect(last["event"] as? String == verb.rawValue)
                #expect(last["from"] as? String == status.rawValue)
                #expect(last["to"] as? String == target.rawValue)
                #expect(last["on"] as? String == "2025-04-10")
            }
        }
    }

    @Test("app show lists exactly the allowed verbs as next_events", arguments: Status.allCases)
    func nextEvents(status: Status) throws {
        try TestDatabase.with { db in
            let id = try Self.application(in: status, db)
            let shown = try show(id, db)
            let expected = Set(
                Verb.allCases.filter { $0.target(from: status, origin: Self.origin(of: status)) != nil }.map(\.rawValue)
            )
            let next = try #require(shown["next_events"] as? [String], "next_events missing: \(shown)")
            #expect(Set(next) == expected)
            #expect(next.count == expected.count)
        }
    }

    @Test(
        "provide-info returns to the status the information was requested from",
        arguments: [Status.submitted, .underReview, .delayed])
    func provideInfoReturnsToOrigin(origin: Status) throws {
        try TestDatabase.with { db in
            let id = try Self.application(in: origin, db)
            let next = origin.path.count + 2
            try lictrackOK(Verb.requestInfo.arguments(String(id), on: "2025-04-0\(next)"), database: db)
            #expect(try show(id, db)["status"] as? String == Status.infoRequested.rawValue)

            let outcome = try lictrackOK(
                Verb.provideInfo.arguments(String(id), on: "2025-04-0\(next + 1)") + ["--format", "json"], database: db)
            let printed = try #require(try outcome.json() as? [String: Any])
            #expect(printed["to"] as? String == origin.rawValue)

            let shown = try show(id, db)
            #expect(shown["status"] as? String == origin.rawValue)
            let last = try #require(events(shown).last)
            #expect(last["event"] as? String == "provide-info")
            #expect(last["from"] as? String == "info_requested")
            #expect(last["to"] as? String == origin.rawValue)
        }
    }

    @Test("a long legal history: every event is logged in order with its dates")
    func longHistory() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, on: "2025-05-01")
            let steps: [(Verb, String, Status)] = [
                (.submit, "2025-05-02", .submitted), (.return, "2025-05-03", .returned),
                (.submit, "2025-05-04", .submitted), (.accept, "2025-05-05", .underReview),
                (.requestInfo, "2025-05-06", .infoRequested), (.provideInfo, "2025-05-07", .underReview),
                (.delay, "2025-05-08", .delayed), (.requestInfo, "2025-05-09", .infoRequested),
                (.provideInfo, "2025-05-10", .delayed), (.resume, "2025-05-11", .underReview),
                (.approve, "2025-05-11", .approved),
            ]
            for (verb, date, _) in steps {
                try lictrackOK(verb.arguments(String(id), on: date), database: db)
            }
            let history = events(try show(id, db))
            #expect(history.count == steps.count + 1)
            #expect(history.first?["event"] as? String == "create")
            for (index, (verb, date, status)) in steps.enumerated() where index + 1 < history.count {
                let event = history[index + 1]
                #expect(int(event["seq"]) == index + 2)
                #expect(event["event"] as? String == verb.rawValue)
                #expect(event["on"] as? String == date)
                #expect(event["to"] as? String == status.rawValue)
            }
            #expect(history.last?["reason"] as? String == nil)
            #expect(history.first { $0["event"] as? String == "delay" }?["reason"] as? String == "extension")
        }
    }
}
