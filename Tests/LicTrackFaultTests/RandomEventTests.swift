import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// 8 processes × 300 random events on a few shared applications, through the built binary: every
/// chain stays whole and legal, every success is in the log exactly once, and every refusal exits
/// with its documented status (Docs/cli.md): 65 for an illegal transition or date, 66 for an
/// unknown application, 64 for a malformed command line, 75 for a conflict retrying did not resolve.
@Suite("Faults: 8 processes × 300 random events")
struct RandomEventTests {
    static let processes = 8
    static let eventsPerProcess = 300
    static let authorities = ["BIS", "MOFCOM", "ECJU", "BAFA"]

    /// One random command and the statuses Docs/cli.md allows for it.
    struct Attempt: Sendable {
        enum Kind: Sendable, Equatable {
            /// A status-changing verb, dated today: 0 or 65 depending on the status it meets.
            case verb(String)
            /// A note or a stock record, allowed from every status: 0.
            case keepsStatus(String)
            /// A note dated after today: 65.
            case future
            /// A note dated before the application was created: 65.
            case beforeCreation
            /// An application that does not exist: 66.
            case unknownApplication
            /// A date that is not a date, or a delay without its reason: 64.
            case malformed
        }

        var kind: Kind
        var application: Int
        var arguments: [String]
        var outcome: LicTrackBinary.Outcome?
    }

    /// SplitMix64: a seeded generator, so that a failure names the seed that reproduces the plan.
    typealias SplitMix64 = SeededGenerator

    /// A random attempt on one of `applications`. Final verbs are rare (1 in 1,000), so that most
    /// applications stay open long enough for every verb to meet many statuses.
    static func attempt(_ applications: [Int], _ random: inout SplitMix64) -> Attempt {
        let app = applications.randomElement(using: &random)!
        let id = String(app)
        let roll = Int.random(in: 0..<1_000, using: &random)
        switch roll {
        case 0..<1:
            let verb = ["approve", "deny", "withdraw"].randomElement(using: &random)!
            return Attempt(kind: .verb(verb), application: app, arguments: ["app", verb, id, "--format", "json"])
        case 1..<820:
            let verb = ["submit", "accept", "request-info", "provide-info", "delay", "resume", "return"]
                .randomElement(using: &random)!
            let extra = verb == "delay" ? ["--reason", "referral"] : []
            return Attempt(
                kind: .verb(verb), application: app, arguments: ["app", verb, id, "--format", "json"] + extra)
        case 820..<880:
            return Attempt(
                kind: .keepsStatus("note"), application: app,
                arguments: ["app", "note", id, "--note", "call \(roll)", "--format", "json"])
        case 880..<910:
            return Attempt(
                kind: .keepsStatus("stock"), application: app,
                arguments: [
                    "app", "stock", id, "--runs-out", "2031-01-31", "--feeds", "Line \(roll)", "--format", "json",
                ]
            )
        case 910..<935:
            return Attempt(
                kind: .future, application: app,
                arguments: ["app", "note", id, "--note", "later", "--on", "2999-01-01"])
        case 935..<960:
            return Attempt(
                kind: .beforeCreation, application: app,
                arguments: ["app", "note", id, "--note", "earlier", "--on", "2000-01-01"])
        case 960..<980:
            return Attempt(
                kind: .unknownApplication, application: app, arguments: ["app", "note", "987654321", "--note", "who"])
        default:
            let arguments =
                roll % 2 == 0 ? ["app", "submit", id, "--on", "2025-13-01"] : ["app", "delay", id]
            return Attempt(kind: .malformed, application: app, arguments: arguments)
        }
    }

    @Test(
        "no broken chain, every success logged once, every refusal with its documented exit status",
        .timeLimit(.minutes(30)))
    func randomEvents() throws {
        let seed =
            ProcessInfo.processInfo.environment["LICTRACK_FAULT_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...UInt64.max)
        try TestDatabase.with { db in
            var applications: [Int] = []
            for authority in Self.authorities {
                let created = try Fault.object(
                    try Fault.ok(
                        [
                            "app", "create", "--authority", authority, "--applicant", "Shared \(authority) Ltd",
                            "--destination", "DE", "--on", "2025-04-01", "--format", "json",
                        ], url: db.connectionString))
                applications.append(try #require(created["id"] as? Int))
            }

            // Plan every process's attempts up front (one generator per process), then run them.
            var plans: [[Attempt]] = []
            for process in 0..<Self.processes {
                var random = SplitMix64(state: seed &+ UInt64(process))
                plans.append((0..<Self.eventsPerProcess).map { _ in Self.attempt(applications, &random) })
            }
            let planned = plans
            let results = Locked(planned)
            DispatchQueue.concurrentPerform(iterations: Self.processes) { process in
                for index in 0..<Self.eventsPerProcess {
                    let arguments = planned[process][index].arguments
                    let outcome = try? Fault.run(arguments, url: db.connectionString)
                    results.withLock { $0[process][index].outcome = outcome }
                }
            }
            let attempts = results.withLock { $0.flatMap { $0 } }
            try Self.check(attempts, applications: applications, db: db, seed: seed)
        }
    }

    /// Checks every outcome against Docs/cli.md and every chain against the workflow.
    static func check(_ attempts: [Attempt], applications: [Int], db: TestDatabase, seed: UInt64) throws {
        let context = "seed \(seed) (LICTRACK_FAULT_SEED=\(seed) repeats the plan)"
        var successes: [Int: [Int: [String: Any]]] = [:]
        var tally: [String: Int] = [:]
        for attempt in attempts {
            let command = "lictrack \(attempt.arguments.joined(separator: " "))"
            guard let outcome = attempt.outcome else {
                Issue.record("\(command) did not run; \(context)")
                continue
            }
            tally["exit \(outcome.status)", default: 0] += 1
            if outcome.status != 0 {
                #expect(Fault.isOneErrorLine(outcome.stderr), "\(command): \(outcome); \(context)")
            }
            if outcome.status == 75 {
                // A conflict is a documented refusal for anything that writes; it must say so.
                #expect(outcome.stderr.contains("conflict"), "\(command): \(outcome)")
                continue
            }
            switch attempt.kind {
            case .verb(let verb):
                if outcome.status == 0 {
                    let event = try Fault.object(outcome)
                    let seq = try #require(event["seq"] as? Int, "\(command): \(outcome)")
                    #expect(event["event"] as? String == verb, "\(command): \(outcome)")
                    #expect(successes[attempt.application, default: [:]][seq] == nil, "seq \(seq) given twice")
                    successes[attempt.application, default: [:]][seq] = event
                } else {
                    #expect(outcome.status == 65, "\(command): \(outcome); \(context)")
                    // "cannot VERB application N: it is STATUS (...)": STATUS really refuses VERB.
                    let prefix = "lictrack: error: cannot \(verb) application \(attempt.application): it is "
                    #expect(outcome.stderr.hasPrefix(prefix), "\(command): \(outcome.stderr)")
                    let status = String(outcome.stderr.dropFirst(prefix.count).prefix { $0 != " " && $0 != "\n" })
                    #expect(WorkflowModel.statuses.contains(status), "\(command): \(outcome.stderr)")
                    #expect(WorkflowModel.isRefused(verb, from: status), "\(verb) from \(status) is allowed")
                }
            case .keepsStatus(let verb):
                #expect(outcome.status == 0, "\(command): \(outcome); \(context)")
                if outcome.status == 0 {
                    let event = try Fault.object(outcome)
                    let seq = try #require(event["seq"] as? Int, "\(command): \(outcome)")
                    #expect(event["event"] as? String == verb && event["from"] as? String == event["to"] as? String)
                    #expect(successes[attempt.application, default: [:]][seq] == nil, "seq \(seq) given twice")
                    successes[attempt.application, default: [:]][seq] = event
                }
            case .future, .beforeCreation:
                #expect(outcome.status == 65, "\(command): \(outcome); \(context)")
            case .unknownApplication:
                #expect(outcome.status == 66, "\(command): \(outcome); \(context)")
            case .malformed:
                #expect(outcome.status == 64, "\(command): \(outcome); \(context)")
            }
        }

        // The log: each chain whole and legal, and exactly the successes (after each create).
        let connection = try db.connect()
        defer { connection.close() }
        var logged = 0
        for app in applications {
            let chain = try Fault.history(connection, Int64(app))
            #expect(try Fault.chainDefect(connection, Int64(app)) == nil, "application \(app); \(context)")
            #expect(WorkflowModel.illegalStep(chain) == nil, "application \(app): \(chain); \(context)")
            let reported = successes[app] ?? [:]
            #expect(
                chain.count == reported.count + 1,
                "application \(app): \(chain.count) rows, \(reported.count) successes")
            for step in chain.dropFirst() {
                let event = reported[step.seq]
                #expect(event != nil, "logged but never reported: \(step)")
                #expect(event?["event"] as? String == step.event, "\(step) reported as \(event ?? [:])")
                #expect(event?["from"] as? String == step.from && event?["to"] as? String == step.to, "\(step)")
            }
            logged += chain.count - 1
        }
        // The test could have proven little: require many real transitions and refusals. (With
        // final verbs at 1 in 1,000, 2,000 simulated plans all gave 140 or more status changes.)
        let transitions = attempts.count {
            if case .verb = $0.kind { return $0.outcome?.status == 0 } else { return false }
        }
        #expect(transitions >= 100, "too few status changes (\(transitions)): \(tally)")
        #expect(tally["exit 65", default: 0] >= 300, "too few refusals: \(tally)")
        #expect(logged == attempts.count { $0.outcome?.status == 0 })
        // One line for the log: what this plan did, and how to repeat it.
        print("RandomEventTests: \(context): \(tally.sorted { $0.key < $1.key })")
    }
}

/// A value shared between threads behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
