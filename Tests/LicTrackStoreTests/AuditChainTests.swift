import LicTrackTestSupport
import Postgres
import Testing

/// The event log's hash chain (migration 0021): how each hash is made, and what `audit_verify()`
/// and `audit_check_anchor()` say after a superuser got round the append-only triggers.
@Suite("Audit hash chain")
struct AuditChainTests {
    /// 32 zero bytes, in hex: the previous hash of every first event.
    static let genesis = String(repeating: "00", count: 32)

    /// A problem as `audit_verify()` or `audit_check_anchor()` returns it.
    struct Problem: Equatable, CustomStringConvertible {
        var application: Int64
        var seq: Int
        var problem: String
        var description: String { "\(application)/\(seq) \(problem)" }
    }

    static func problems(
        _ connection: PostgresConnection, _ sql: String = "select * from audit_verify(null)",
        _ parameters: [(any PostgresEncodable)?] = []
    ) throws -> [Problem] {
        try connection.query(sql, parameters).map {
            Problem(
                application: try $0.decode(Int64.self, "application_id"), seq: try $0.decode(Int.self, "seq"),
                problem: try $0.decode(String.self, "problem"))
        }
    }

    /// An application with six events: create, submit, three notes, accept.
    static func sixEvents(_ connection: PostgresConnection) throws -> Int64 {
        let application = try connection.createApplication()
        try connection.insertEvent(application, "submit", on: "2025-01-10")
        for index in 1...3 { try connection.insertEvent(application, "note", on: "2025-01-11", note: "call \(index)") }
        try connection.insertEvent(application, "accept", on: "2025-01-12")
        return application
    }

    /// Runs `sql` as a superuser with the triggers off, as an attacker would.
    static func tamper(_ connection: PostgresConnection, _ sql: String) throws {
        try connection.execute("set session_replication_role = replica")
        defer { _ = try? connection.execute("set session_replication_role = origin") }
        try connection.executeScript(sql)
    }

    @Test("a first event's hash is SHA-256 of 32 zero bytes and its documented JSON content")
    func canonicalContent() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication(createdOn: "2025-01-02")
            let row = try connection.query(
                """
                select to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, recorded_by,
                       encode(previous_hash, 'hex') as previous, encode(hash, 'hex') as hash
                from application_events where application_id = $1::bigint and seq = 1
                """, [application])[0]
            let at = try row.decode(String.self, "at")
            let by = try row.decode(String.self, "recorded_by")
            // Keys by length, then bytes; NULL columns left out; recorded_at in UTC.
            let content =
                "{\"seq\": 1, \"event\": \"create\", \"to_status\": \"draft\", \"occurred_on\": \"2025-01-02\", "
                + "\"recorded_at\": \"\(at)\", \"recorded_by\": \"\(by)\", \"application_id\": \(application)}"
            let expected = try connection.value(
                "select encode(sha256(decode($1, 'hex') || convert_to($2, 'UTF8')), 'hex')", [Self.genesis, content])
            #expect(try row.decode(String.self, "previous") == Self.genesis)
            #expect(try row.decode(String.self, "hash") == expected)
        }
    }

    @Test("each event's previous hash is the hash of the event before it, and an intact log verifies")
    func linked() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let first = try Self.sixEvents(connection)
            _ = try Self.sixEvents(connection)
            let unlinked = try connection.value(
                """
                select count(*) from application_events e
                left join application_events p on p.application_id = e.application_id and p.seq = e.seq - 1
                where e.previous_hash is distinct from coalesce(p.hash, decode($1, 'hex'))
                   or length(e.hash) <> 32
                """, [Self.genesis])
            #expect(unlinked == "0")
            #expect(try connection.value("select count(distinct hash) from application_events") == "12")
            #expect(try Self.problems(connection).isEmpty)
            #expect(try Self.problems(connection, "select * from audit_verify($1::bigint)", [first]).isEmpty)
        }
    }

    @Test("a changed, removed, inserted, swapped or consistently rewritten event is named exactly")
    func tamperingIsNamed() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let ids = try (0..<6).map { _ in try Self.sixEvents(connection) }
            try Self.tamper(
                connection,
                """
                update application_events set note = 'call 9' where application_id = \(ids[0]) and seq = 3;
                delete from application_events where application_id = \(ids[1]) and seq = 4;
                insert into application_events (application_id, seq, event, from_status, to_status, occurred_on, note, hash)
                values (\(ids[2]), 7, 'note', 'under_review', 'under_review', '2025-01-13', 'forged', sha256('forged'));
                update application_events set seq = -1 where application_id = \(ids[3]) and seq = 2;
                update application_events set seq = 2 where application_id = \(ids[3]) and seq = 5;
                update application_events set seq = 5 where application_id = \(ids[3]) and seq = -1;
                update application_events set note = 'call 9' where application_id = \(ids[4]) and seq = 4;
                update application_events e set hash = application_event_hash(e, e.previous_hash)
                where application_id = \(ids[4]) and seq = 4;
                delete from application_events where application_id = \(ids[5]) and seq = 6;
                """)
            #expect(
                try Self.problems(connection) == [
                    Problem(application: ids[0], seq: 3, problem: "changed"),
                    Problem(application: ids[1], seq: 4, problem: "removed"),
                    Problem(application: ids[2], seq: 7, problem: "inserted"),
                    Problem(application: ids[3], seq: 2, problem: "reordered"),
                    Problem(application: ids[3], seq: 5, problem: "reordered"),
                    Problem(application: ids[4], seq: 5, problem: "chain_broken"),
                    Problem(application: ids[5], seq: 6, problem: "removed"),
                ])
            let details = try connection.query(
                "select detail from audit_verify($1::bigint) order by seq", [ids[3]]
            ).map { try $0.decode(String.self, "detail") }
            #expect(details == ["recorded as event 5, now at seq 2", "recorded as event 2, now at seq 5"])
            #expect(
                try Self.problems(connection, "select * from audit_verify($1::bigint)", [ids[0]]) == [
                    Problem(application: ids[0], seq: 3, problem: "changed")
                ])
        }
    }

    @Test("a change to any column of an event is found")
    func everyColumnIsCovered() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let columns = try connection.query(
                """
                select column_name, data_type from information_schema.columns
                where table_schema = current_schema() and table_name = 'application_events'
                  and column_name not in ('hash', 'previous_hash', 'application_id', 'seq')
                order by ordinal_position
                """
            ).map { (try $0.decode(String.self, "column_name"), try $0.decode(String.self, "data_type")) }
            #expect(columns.count >= 15, "\(columns)")
            for (column, type) in columns {
                let application = try connection.createApplication()
                try connection.reach("under_review", application: application)
                try connection.insertEvent(application, "note", on: "2025-01-21", note: "call")
                try connection.insertEvent(application, "delay", on: "2025-01-22", reason: "hold")
                let seq = try #require(
                    Int(
                        try connection.value(
                            "select last_event_seq from applications where id = $1::bigint", [application]) ?? ""))
                // The event column is tampered on the note (a delay may carry extend_by only as a delay).
                let target = column == "event" ? seq - 1 : seq
                let value: String
                switch (column, type) {
                case ("reason", _): value = "'other'"
                case (_, "text"): value = "coalesce(\(column), 'x') || 'x'"
                case (_, "integer"), (_, "bigint"): value = "coalesce(\(column), 1) + 1"
                case (_, "date"): value = "coalesce(\(column), date '2025-01-01') + 1"
                case (_, "timestamp with time zone"): value = "\(column) + interval '1 microsecond'"
                default:
                    Issue.record("no test change for \(column) of type \(type): add one")
                    continue
                }
                try Self.tamper(
                    connection,
                    "update application_events set \(column) = \(value) where application_id = \(application) and seq = \(target)"
                )
                #expect(
                    try Self.problems(connection, "select * from audit_verify($1::bigint)", [application]) == [
                        Problem(application: application, seq: target, problem: "changed")
                    ], "\(column)")
            }
        }
    }

    @Test("the session's time zone does not change a hash")
    func timeZoneIndependent() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            try connection.execute("set timezone = 'Pacific/Chatham'")
            _ = try Self.sixEvents(connection)
            try connection.execute("set timezone = 'America/Los_Angeles'")
            #expect(try Self.problems(connection).isEmpty)
        }
    }

    @Test("the hash trigger is the last BEFORE INSERT trigger, so nothing changes a row after it is hashed")
    func hashTriggerFiresLast() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let names = try connection.query(
                """
                select tgname from pg_trigger
                where tgrelid = 'application_events'::regclass and not tgisinternal
                  and tgtype & 2 = 2 and tgtype & 4 = 4 and tgtype & 1 = 1
                order by tgname collate "C"
                """
            ).map { try $0.decode(String.self, "tgname") }
            #expect(names.last == "application_events_zz_hash", "\(names)")
        }
    }

    @Test("a clerk's events are hashed by the trigger with the owner's rights")
    func clerkEvents() throws {
        try TestDatabase.with { db in
            try Clerk.with(in: db) { clerk in
                let application = try clerk.connection.createApplication()
                try clerk.connection.insertEvent(application, "submit", on: "2025-01-10")
                #expect(try Self.problems(clerk.connection).isEmpty)
                #expect(try clerk.connection.eventCount(of: application) == 2)
            }
        }
    }

    @Test("an anchor finds a history rewritten consistently from its first event; later events are fine")
    func anchorFindsConsistentRewrite() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let rewritten = try Self.sixEvents(connection)
            let kept = try Self.sixEvents(connection)
            let heads = try connection.query(
                "select application_id, seq, encode(hash, 'hex') as hash from audit_chain_heads()")
            #expect(heads.count == 2)
            let anchorSQL = """
                select * from audit_check_anchor($1::bigint[], $2::integer[], array(select decode(h, 'hex')
                                                 from unnest($3::text[]) with ordinality as u (h, n) order by n))
                """
            func anchorParameters() throws -> [(any PostgresEncodable)?] {
                [
                    "{" + (try heads.map { try $0.decode(String.self, "application_id") }).joined(separator: ",") + "}",
                    "{" + (try heads.map { try $0.decode(String.self, "seq") }).joined(separator: ",") + "}",
                    "{" + (try heads.map { try $0.decode(String.self, "hash") }).joined(separator: ",") + "}",
                ]
            }
            #expect(try Self.problems(connection, anchorSQL, try anchorParameters()).isEmpty)

            // The attacker edits the first event and recomputes every hash after it, in order.
            try Self.tamper(
                connection,
                """
                update application_events set actor = 'someone else' where application_id = \(rewritten) and seq = 1;
                do $$
                declare r record;
                begin
                    for r in select seq from application_events where application_id = \(rewritten) order by seq loop
                        update application_events e
                        set previous_hash = coalesce((select p.hash from application_events p
                                                      where p.application_id = e.application_id and p.seq = e.seq - 1),
                                                     decode(repeat('00', 32), 'hex'))
                        where application_id = \(rewritten) and seq = r.seq;
                        update application_events e set hash = application_event_hash(e, e.previous_hash)
                        where application_id = \(rewritten) and seq = r.seq;
                    end loop;
                end;
                $$;
                """)
            try connection.insertEvent(kept, "note", on: "2025-01-13", note: "after the anchor")
            #expect(try Self.problems(connection).isEmpty, "the rewritten chain is consistent")
            #expect(
                try Self.problems(connection, anchorSQL, try anchorParameters()) == [
                    Problem(application: rewritten, seq: 6, problem: "rewritten")
                ])
        }
    }
}
