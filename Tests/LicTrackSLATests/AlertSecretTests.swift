import Foundation
import LicTrackCore
import LicTrackTestSupport
import Postgres
import Testing

/// Secrets stay out of every output: webhook URL passwords and secret-looking query values are
/// masked in channel lists, delivery lists, warnings, errors and the check line; a header can
/// come from the environment instead of the database.
@Suite("Alert secrets: masking and headers from the environment")
struct AlertSecretTests {
    typealias F = AlertFixture

    @Test(
        "SecretMask masks user information and secret-looking parameters of every URL in a text",
        arguments: [
            ("https://hooks.example.com/a/b", "https://hooks.example.com/a/b"),
            ("https://user:secret@host/hook?token=abc&x=1", "https://user:***@host/hook?token=***&x=1"),
            ("https://TOKEN123@host/hook", "https://***@host/hook"),
            (
                "post to http://h:8080/p?api_key=k1&Signature=s2&sig=s3&code=c4&page=2#access_token=t5",
                "post to http://h:8080/p?api_key=***&Signature=***&sig=***&code=***&page=2#access_token=***"
            ),
            (
                "x 'https://a:b@c/d?X-Amz-Credential=q&client_secret=r' y",
                "x 'https://a:***@c/d?X-Amz-Credential=***&client_secret=***' y"
            ),
            ("curl (7): Failed to connect to 127.0.0.1 port 9", "curl (7): Failed to connect to 127.0.0.1 port 9"),
            ("no url: token=abc", "no url: token=abc"),
            ("broken https://u:p@h/a b?token=abc&x=1 end", "broken https://u:***@h/a b?token=***&x=1 end"),
            ("two http://u:p@a/ and https://v:q@b/?auth=z", "two http://u:***@a/ and https://v:***@b/?auth=***"),
        ])
    func masking(_ input: String, _ expected: String) {
        #expect(SecretMask.masking(input) == expected)
    }

    @Test("masked in channel list (table, JSON, CSV), run warnings, deliveries, alerts list, check and errors")
    func maskedEverywhere() throws {
        try F.withTemporaryDirectory { directory in
            let sendmail = directory.appendingPathComponent("sendmail")
            try F.script(
                sendmail,
                "cat > /dev/null\necho 'relay https://bob:hunter2@relay.example/x?sig=zzz9 refused' >&2\nexit 75\n")
            try TestDatabase.with { db in
                let connection = try db.connect()
                defer { connection.close() }
                _ = try F.bis(connection, submittedOn: "2025-03-03")
                let port =
                    try AlertLivenessTests.closedURL().split(separator: ":").last?.split(separator: "/").first ?? "9"
                let hook = "http://alice:s3cret@127.0.0.1:\(port)/hook?token=abc123&x=1"
                try F.ok(["alerts", "channel", "add", "hook", "--kind", "webhook", "--target", hook], db)
                try F.ok(["alerts", "channel", "add", "mail", "--kind", "email", "--target", "ops@example.com"], db)
                let secrets = ["s3cret", "abc123", "hunter2", "zzz9"]
                func expectMasked(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
                    for secret in secrets {
                        #expect(
                            !text.contains(secret), "\(what) shows \(secret): \(text)", sourceLocation: sourceLocation)
                    }
                }

                for format in ["table", "json", "csv"] {
                    let listed = try F.ok(["alerts", "channel", "list", "--format", format], db).stdout
                    expectMasked(listed, "channel list --format \(format)")
                    #expect(listed.contains("alice:***@127.0.0.1:\(port)/hook?token=***&x=1"), "\(listed)")
                }

                let run = try F.ok(
                    ["alerts", "run", "--as-of", "2025-06-02"], db, environment: ["LICTRACK_SENDMAIL": sendmail.path])
                expectMasked(run.stdout + run.stderr, "alerts run")
                #expect(run.stderr.contains("relay https://bob:***@relay.example/x?sig=*** refused"), "\(run)")
                // Stored masked too: a psql reader of last_error does not see it either.
                expectMasked(
                    try F.scalar(connection, "select string_agg(last_error, ' ') as v from alert_deliveries") ?? "",
                    "alert_deliveries.last_error")

                for format in ["table", "json", "csv"] {
                    for command in [["alerts", "deliveries"], ["alerts", "list"]] {
                        let text = try F.ok(command + ["--format", format], db).stdout
                        expectMasked(text, "\(command.joined(separator: " ")) --format \(format)")
                    }
                }
                #expect(try F.ok(["alerts", "deliveries", "--channel", "mail"], db).stdout.contains("bob:***@"))

                // An error recorded by an older lictrack, unmasked, is masked on the way out.
                try connection.execute(
                    """
                    update alert_deliveries set last_error = 'POST http://alice:s3cret@h/?token=abc123 failed',
                                                failing_since = now() - interval '1 day'
                    """)
                for format in ["table", "json", "csv"] {
                    expectMasked(try F.ok(["alerts", "deliveries", "--format", format], db).stdout, "old error")
                }
                let check = try F.run(["alerts", "check"], db)
                #expect(check.status == 2)
                #expect(check.stdout.contains("POST http://alice:***@h/?token=*** failed"), "\(check)")
                expectMasked(check.stdout, "alerts check")

                let refused = try F.run(
                    [
                        "alerts", "channel", "add", "bad", "--kind", "webhook", "--target",
                        "https://carol:s3cret@h/a b?token=abc123",
                    ],
                    db)
                #expect(refused.status == 64, "\(refused)")
                #expect(refused.stderr.contains("--target of a webhook channel"), "\(refused)")
                #expect(refused.stderr.contains("carol:***@h/a"), "\(refused)")
                expectMasked(refused.stderr, "channel add error")
            }
        }
    }

    @Test("--header-from-env: the header's value comes from the environment when sending, and is never stored")
    func headerFromEnvironment() throws {
        let server = try AlertTestServer { _ in 200 }
        defer { server.stop() }
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            _ = try F.bis(connection, submittedOn: "2025-03-03")
            try F.ok(
                [
                    "alerts", "channel", "add", "hook", "--kind", "webhook", "--target", server.url,
                    "--header-from-env", "Authorization=HOOK_TOKEN", "--header-from-env", "X-Team=TEAM_NAME",
                ], db)
            let listed = try #require(
                try F.ok(["alerts", "channel", "list", "--format", "json"], db).json() as? [[String: Any]])
            #expect(listed.first?["headers_from_env"] as? [String] == ["Authorization=HOOK_TOKEN", "X-Team=TEAM_NAME"])

            // Without the variable: the delivery fails, naming it, and is retried later.
            let missing = try F.ok(["alerts", "run", "--as-of", "2025-06-02", "--format", "json"], db)
            #expect(try F.object(missing)["failed"] as? Int == 1)
            #expect(
                missing.stderr.contains("the environment variable HOOK_TOKEN (for the header Authorization) is not set")
            )
            #expect(server.requests.isEmpty)

            try connection.execute("update alert_deliveries set next_attempt_at = now()")
            let sent = try F.ok(
                ["alerts", "run", "--format", "json"], db,
                environment: ["HOOK_TOKEN": "Bearer t0ps3cret", "TEAM_NAME": "export ops"])
            #expect(try F.object(sent)["delivered"] as? Int == 1, "\(sent)")
            #expect(server.requests.first?.header("Authorization") == "Bearer t0ps3cret")
            #expect(server.requests.first?.header("X-Team") == "export ops")
            #expect(
                try F.scalar(
                    connection,
                    """
                    select count(*)::text as v from alert_channels c, alert_deliveries d
                    where c::text like '%t0ps3cret%' or d::text like '%t0ps3cret%'
                    """) == "0")

            for (arguments, message) in [
                (["--kind", "webhook", "--target", server.url, "--header-from-env", "Authorization"], "NAME=VARIABLE"),
                (["--kind", "webhook", "--target", server.url, "--header-from-env", "Bad Name=X"], "NAME=VARIABLE"),
                (["--kind", "webhook", "--target", server.url, "--header-from-env", "A=1X"], "NAME=VARIABLE"),
                (["--kind", "jsonl", "--target", "/tmp/x.jsonl", "--header-from-env", "A=B"], "webhook channels only"),
            ] {
                let refused = try F.run(["alerts", "channel", "add", "x"] + arguments, db)
                #expect(refused.status == 64, "\(arguments): \(refused)")
                #expect(refused.stderr.contains(message), "\(refused)")
            }
        }
    }
}
