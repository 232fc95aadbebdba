import Foundation
import LicTrackTestSupport
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The alert job keeps delivering: a delivery that has failed for days backs off without
/// overflowing, and a program that hangs is killed after its time limit instead of hanging the run.
@Suite("Alert job: liveness")
struct AlertLivenessTests {
    typealias F = AlertFixture

    /// `sendmail`'s time limit in `EmailChannel` (there is no option to shorten it).
    static let sendmailTimeout: Double = 60
    /// A run with one hung sendmail ends within this: the time limit plus the kill's grace and slack.
    static let runBound: Double = sendmailTimeout + 15

    // MARK: The back-off

    @Test(
        "the back-off doubles from 30 s and stays at 1 hour, however many attempts failed",
        arguments: [(0, 30), (1, 60), (6, 1_920), (7, 3_600), (38, 3_600), (39, 3_600), (45, 3_600), (1_000, 3_600)])
    func backOff(attempts: Int, seconds: Int) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            _ = try F.bis(connection, submittedOn: "2025-03-03")
            try connection.execute("insert into alert_channels (name, kind) values ('screen', 'stdout')")
            try connection.execute("select alerts_raise('2025-06-02')")
            try connection.execute("update alert_deliveries set attempts = $1::integer", [attempts])

            // The new next_attempt_at, less the back-off, lies between the clock before and after the call.
            try connection.execute("create temporary table t (before timestamptz, after timestamptz)")
            try connection.execute("insert into t (before) values (clock_timestamp())")
            try connection.execute(
                "select alert_delivery_failed(alert_id, channel_id, 'HTTP 500') from alert_deliveries")
            try connection.execute("update t set after = clock_timestamp()")
            let row = try connection.query(
                """
                select d.attempts, d.status, d.last_error,
                       d.next_attempt_at - make_interval(secs => $1::integer) between t.before and t.after as on_time,
                       (d.next_attempt_at - t.before)::text as back_off
                from alert_deliveries d, t
                """, [seconds])[0]
            #expect(try row.decode(Int.self, "attempts") == attempts + 1)
            #expect(try row.decode(String.self, "status") == "pending")
            #expect(try row.decode(String.self, "last_error") == "HTTP 500")
            let backOff = try row.decode(String.self, "back_off")
            #expect(
                try row.decode(Bool.self, "on_time"),
                "after \(attempts) attempts the back-off is \(backOff), not \(seconds) s")
        }
    }

    @Test(
        "a webhook dead for days (45 attempts) stops no delivery: the run exits 0 and the jsonl channel gets its alert")
    func deadWebhookStopsNothing() throws {
        try F.withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("ops.jsonl").path
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                let old = try F.bis(connection, submittedOn: "2025-03-03")
                try F.ok(
                    ["alerts", "channel", "add", "dead", "--kind", "webhook", "--target", try Self.closedURL()], db)
                let first = try F.object(try F.ok(["alerts", "run", "--as-of", "2025-06-02", "--format", "json"], db))
                #expect(first["failed"] as? Int == 1)

                // A day and a half of failures: the oldest due delivery, so every run claims it first.
                try connection.execute(
                    "update alert_deliveries set attempts = 45, next_attempt_at = now() - interval '1 day'")
                try F.ok(["alerts", "channel", "add", "ops", "--kind", "jsonl", "--target", file], db)
                let new = try F.bis(connection, submittedOn: "2025-03-20")

                let outcome = try F.run(["alerts", "run", "--as-of", "2025-06-30", "--format", "json"], db)
                try #require(outcome.status == 0, "\(outcome)")
                #expect(!outcome.stderr.contains("interval out of range"), "\(outcome)")
                let summary = try F.object(outcome)
                #expect(summary["delivered"] as? Int == 1)
                #expect(summary["failed"] as? Int == 2)

                let lines = try F.jsonLines(file: file)
                #expect(lines.count == 1)
                #expect(lines.first?["application_id"] as? Int == Int(new))

                let dead = try connection.query(
                    """
                    select d.attempts, d.last_error,
                           d.next_attempt_at > now() + interval '59 minutes' as backed_off
                    from alert_deliveries d join sla_alerts a on a.id = d.alert_id
                    where a.application_id = $1::bigint and d.status = 'pending'
                    """, [old])
                try #require(dead.count == 1)
                #expect(try dead[0].decode(Int.self, "attempts") == 46)
                #expect(try dead[0].decode(Bool.self, "backed_off"))
                #expect(try dead[0].decode(String.self, "last_error").hasPrefix("curl "))
            }
        }
    }

    /// A URL on a loopback port that nothing listens on (bound, then closed).
    static func closedURL() throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/hook"
    }

    // MARK: A hung program

    /// How the fake sendmail misbehaves. Each writes the process ids to kill afterwards into `pids`.
    enum HungSendmail: String, CaseIterable, CustomTestStringConvertible {
        /// Reads the message, then sleeps with standard output and error open.
        case sleeps
        /// Ignores SIGTERM and waits for a grandchild `sleep` that holds the pipes open too.
        case waitsForGrandchild
        /// Exits 0 at once, leaving a grandchild `sleep` that holds the pipes open.
        case exitsLeavingGrandchild

        var testDescription: String { rawValue }

        func script(pids: String) -> String {
            switch self {
            case .sleeps:
                return "cat > /dev/null\necho $$ >> '\(pids)'\nexec sleep 100000\n"
            case .waitsForGrandchild:
                return
                    "trap '' TERM\ncat > /dev/null\necho $$ >> '\(pids)'\nsleep 100000 &\necho $! >> '\(pids)'\nwait\n"
            case .exitsLeavingGrandchild:
                return "cat > /dev/null\nsleep 100000 &\necho $! >> '\(pids)'\nexit 0\n"
            }
        }
    }

    @Test(
        "a sendmail that hangs with its pipes open cannot hang the run: it is killed after its time limit",
        arguments: HungSendmail.allCases)
    func hungSendmail(_ behaviour: HungSendmail) throws {
        try F.withTemporaryDirectory { directory in
            let sendmail = directory.appendingPathComponent("sendmail")
            let pids = directory.appendingPathComponent("pids").path
            try F.script(sendmail, behaviour.script(pids: pids))
            defer { Self.killAll(listedIn: pids) }
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                _ = try F.bis(connection, submittedOn: "2025-03-03")
                try F.ok(["alerts", "channel", "add", "mail", "--kind", "email", "--target", "ops@example.com"], db)

                let started = ContinuousClock.now
                let running = F.start(
                    ["alerts", "run", "--as-of", "2025-06-02", "--format", "json"], db,
                    environment: ["LICTRACK_SENDMAIL": sendmail.path])
                let outcome = try Self.wait(for: running, killAfter: 2 * Self.runBound)
                let elapsed = ContinuousClock.now - started
                let outcomeText = outcome.map { "\($0)" } ?? "no outcome"
                try #require(outcome != nil, "alerts run still running after \(2 * Self.runBound) s; killed")
                #expect(elapsed < .seconds(Self.runBound), "alerts run took \(elapsed)")
                try #require(outcome?.status == 0, "\(outcomeText)")
                let summary = try F.object(try #require(outcome))

                let row = try connection.query("select status, attempts, last_error from alert_deliveries")[0]
                if behaviour == .exitsLeavingGrandchild {
                    // sendmail accepted the message; a descendant holding its pipes changes nothing.
                    #expect(summary["delivered"] as? Int == 1, "\(outcomeText)")
                    #expect(try row.decode(String.self, "status") == "delivered")
                } else {
                    #expect(summary["failed"] as? Int == 1, "\(outcomeText)")
                    #expect(summary["pending"] as? Int == 1, "\(outcomeText)")
                    #expect(outcome?.stderr.contains("lictrack: warning:") == true, "\(outcomeText)")
                    #expect(try row.decode(String.self, "status") == "pending")
                    #expect(try row.decode(Int.self, "attempts") == 1)
                    let lastError = try row.decodeIfPresent(String.self, "last_error") ?? ""
                    #expect(lastError.contains("timed out after 60 s"), "\(lastError)")
                    // The program and everything it started were killed.
                    for pid in Self.pids(listedIn: pids) {
                        #expect(F.waitUntil(seconds: 10) { Self.isGone(pid) }, "process \(pid) is still running")
                    }
                }
            }
        }
    }

    /// Waits for `running` to end; after `seconds`, kills it and returns nil.
    static func wait(for running: LicTrackBinary.Running, killAfter seconds: Double) throws -> LicTrackBinary.Outcome? {
        final class Box: @unchecked Sendable {
            let lock = NSLock()
            var result: Result<LicTrackBinary.Outcome, any Error>?
        }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let outcome = Result { try running.wait() }
            box.lock.withLock { box.result = outcome }
            done.signal()
        }
        if done.wait(timeout: .now() + seconds) == .timedOut {
            kill(running.processIdentifier, SIGKILL)
            done.wait()
            return nil
        }
        return try box.lock.withLock { box.result }?.get()
    }

    static func pids(listedIn path: String) -> [pid_t] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { pid_t($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Ends what a fake sendmail left behind (nothing, unless lictrack failed to kill it).
    static func killAll(listedIn path: String) {
        for pid in pids(listedIn: path) where !isGone(pid) { kill(pid, SIGKILL) }
    }

    /// Whether a process has ended (exited, or a zombie nobody has reaped yet).
    static func isGone(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return true }
        #if os(Linux)
            // /proc/PID/stat: "PID (COMMAND) STATE ..."; a zombie's state is Z.
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            {
                return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
            }
        #endif
        return false
    }
}
