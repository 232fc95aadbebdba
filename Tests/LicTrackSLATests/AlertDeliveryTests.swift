import Foundation
import LicTrackTestSupport
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The outbox guarantee through the webhook and e-mail channels: failed deliveries retried with
/// the same idempotency key, and mail through a fake sendmail. (A run killed mid-batch:
/// AlertLeaseTests.)
@Suite("Alert job: webhook and e-mail delivery")
struct AlertDeliveryTests {
    typealias F = AlertFixture

    static func delivery(
        _ connection: PostgresConnection, alert: String
    ) throws -> (
        status: String, attempts: Int, lastError: String?, due: Bool
    ) {
        let row = try connection.query(
            """
            select status, attempts, last_error, next_attempt_at <= now() as due
            from alert_deliveries where alert_id = $1::bigint
            """, [alert])[0]
        return (
            try row.decode(String.self, "status"), try row.decode(Int.self, "attempts"),
            try row.decodeIfPresent(String.self, "last_error"), try row.decode(Bool.self, "due")
        )
    }

    @Test("a webhook that fails is retried (3 tries per run, then by a later run) with the same Idempotency-Key")
    func webhookFailsThenRecovers() throws {
        // 500 to the three attempts of the first run, 200 afterwards.
        let server = try AlertTestServer { index in index < 3 ? 500 : 200 }
        defer { server.stop() }
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            _ = try F.bis(connection, submittedOn: "2025-03-03", reference: "BIS-77")
            try F.ok(["alerts", "channel", "add", "hook", "--kind", "webhook", "--target", server.url], db)

            let first = try F.ok(["alerts", "run", "--as-of", "2025-06-02", "--format", "json"], db)
            let summary = try F.object(first)
            #expect(summary["delivered"] as? Int == 0)
            #expect(summary["failed"] as? Int == 1)
            #expect(summary["pending"] as? Int == 1)
            #expect(first.stderr.contains("lictrack: warning:"), "\(first)")
            #expect(server.requests.count == 3)

            let alertID = try #require(try F.scalar(connection, "select id::text as v from sla_alerts"))
            let key = try #require(try F.scalar(connection, "select idempotency_key::text as v from sla_alerts"))
            var state = try Self.delivery(connection, alert: alertID)
            #expect(state.status == "pending")
            #expect(state.attempts >= 1)
            #expect(state.lastError?.contains("HTTP 500") == true, "\(state)")
            #expect(!state.due, "a failed delivery is retried only after a back-off")

            // Not due yet: a run now sends nothing.
            let early = try F.object(try F.ok(["alerts", "run", "--format", "json"], db))
            #expect(early["delivered"] as? Int == 0)
            #expect(early["pending"] as? Int == 1)
            #expect(server.requests.count == 3)

            try connection.execute("update alert_deliveries set next_attempt_at = now()")
            let second = try F.object(try F.ok(["alerts", "run", "--format", "json"], db))
            #expect(second["delivered"] as? Int == 1)
            #expect(second["failed"] as? Int == 0)
            #expect(second["pending"] as? Int == 0)

            let requests = server.requests
            #expect(requests.count == 4)
            #expect(requests.allSatisfy { $0.header("Idempotency-Key") == key }, "\(requests.map { $0.headers })")
            #expect(requests.allSatisfy { $0.method == "POST" && $0.path == "/hooks/lictrack" })
            #expect(requests.allSatisfy { $0.header("Content-Type") == "application/json" })
            #expect(requests.allSatisfy { $0.header("User-Agent") == "lictrack" })
            let payload = try #require(try F.jsonLines(requests[3].body).first)
            #expect("\(payload["alert_id"] ?? "")" == alertID)
            #expect(payload["idempotency_key"] as? String == key)
            #expect(payload["authority_reference"] as? String == "BIS-77")
            #expect(
                requests[3].body
                    == (try F.scalar(connection, "select alert_payload($1::bigint)::text as v", [alertID])))

            state = try Self.delivery(connection, alert: alertID)
            #expect(state.status == "delivered")
            #expect(state.attempts == 2)
            #expect(state.lastError == nil)
        }
    }

    @Test("e-mail goes through sendmail -t with To:, a one-line Subject: and the JSON payload")
    func emailThroughSendmail() throws {
        try F.withTemporaryDirectory { directory in
            let sendmail = directory.appendingPathComponent("sendmail")
            let outbox = directory.appendingPathComponent("outbox")
            try FileManager.default.createDirectory(at: outbox, withIntermediateDirectories: true)
            try F.script(
                sendmail,
                """
                cat > "\(outbox.path)/mail-$$.eml"
                printf '%s\\n' "$@" > "\(outbox.path)/args-$$.txt"
                """)
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                let app = try F.mofcom(connection, acceptedOn: "2025-03-05", reference: "X-1")
                let nasty = try F.mofcom(
                    connection, acceptedOn: "2025-03-05", reference: "EVIL\r\nBcc: victim@example.com")
                let deadline = try F.deadline(connection, app)
                try F.ok(
                    [
                        "alerts", "channel", "add", "mail", "--kind", "email", "--target",
                        "ops@example.com,legal@example.com",
                    ],
                    db)

                let outcome = try F.ok(
                    ["alerts", "run", "--as-of", "2025-06-30", "--format", "json"], db,
                    environment: ["LICTRACK_SENDMAIL": sendmail.path])
                #expect(try F.object(outcome)["delivered"] as? Int == 2, "\(outcome)")

                let files = try FileManager.default.contentsOfDirectory(atPath: outbox.path)
                let mails = try files.filter { $0.hasPrefix("mail-") }.map {
                    try String(contentsOfFile: outbox.appendingPathComponent($0).path, encoding: .utf8)
                }
                #expect(mails.count == 2)
                for name in files where name.hasPrefix("args-") {
                    let arguments = try String(
                        contentsOfFile: outbox.appendingPathComponent(name).path, encoding: .utf8)
                    #expect(arguments.split(separator: "\n").contains("-t"))
                }

                func headers(_ mail: String) -> [String] {
                    let head = mail.components(separatedBy: "\n\n")[0]
                    return head.components(separatedBy: "\n")
                }
                let plain = try #require(mails.first { $0.contains("application \(app) ") })
                #expect(headers(plain).contains("To: ops@example.com, legal@example.com"))
                #expect(
                    headers(plain).contains(
                        "Subject: [lictrack] BREACHED: application \(app) (MOFCOM ref X-1), deadline \(deadline)"),
                    "\(headers(plain))")
                let alertID = try #require(
                    try F.scalar(
                        connection, "select id::text as v from sla_alerts where application_id = $1::bigint", [app]))
                let payload = try #require(
                    try F.scalar(connection, "select alert_payload($1::bigint)::text as v", [alertID]))
                #expect(plain.contains("\n" + payload + "\n"))
                let key = try #require(
                    try F.scalar(
                        connection, "select idempotency_key::text as v from sla_alerts where id = $1::bigint", [alertID]
                    ))
                #expect(headers(plain).contains("Message-ID: <\(key)@lictrack>"))

                // CR and LF in a header value cannot start a new header.
                let injected = try #require(mails.first { $0.contains("application \(nasty) ") })
                #expect(!headers(injected).contains { $0.hasPrefix("Bcc:") }, "\(headers(injected))")
                #expect(
                    headers(injected).contains(
                        "Subject: [lictrack] BREACHED: application \(nasty) (MOFCOM ref EVILBcc: victim@example.com), deadline \(deadline)"
                    ))
            }
        }
    }

    @Test("a failing sendmail or a missing curl is recorded as a failed attempt, and the run goes on")
    func failuresAreRecorded() throws {
        try F.withTemporaryDirectory { directory in
            let sendmail = directory.appendingPathComponent("sendmail")
            try F.script(sendmail, "cat > /dev/null\necho 'mail queue full' >&2\nexit 75\n")
            let file = directory.appendingPathComponent("ok.jsonl").path
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                _ = try F.bis(connection, submittedOn: "2025-03-03")
                try F.ok(["alerts", "channel", "add", "mail", "--kind", "email", "--target", "ops@example.com"], db)
                try F.ok(
                    ["alerts", "channel", "add", "hook", "--kind", "webhook", "--target", "http://127.0.0.1:9/x"], db)
                try F.ok(["alerts", "channel", "add", "file", "--kind", "jsonl", "--target", file], db)

                let outcome = try F.ok(
                    ["alerts", "run", "--as-of", "2025-06-02", "--format", "json"], db,
                    environment: ["LICTRACK_SENDMAIL": sendmail.path, "LICTRACK_CURL": directory.path + "/no-curl"])
                let summary = try F.object(outcome)
                #expect(summary["delivered"] as? Int == 1)
                #expect(summary["failed"] as? Int == 2)
                #expect(summary["pending"] as? Int == 2)
                #expect(outcome.stderr.split(separator: "\n").count == 2, "\(outcome)")

                let errors = Dictionary(
                    uniqueKeysWithValues: try connection.query(
                        """
                        select c.name, d.last_error from alert_deliveries d join alert_channels c on c.id = d.channel_id
                        where d.status = 'pending'
                        """
                    ).map { (try $0.decode(String.self, "name"), try $0.decode(String.self, "last_error")) })
                #expect(errors["mail"]?.contains("sendmail exit 75: mail queue full") == true, "\(errors)")
                #expect(errors["hook"]?.contains("cannot run \(directory.path)/no-curl") == true, "\(errors)")
                #expect(try F.jsonLines(file: file).count == 1)
            }
        }
    }
}
