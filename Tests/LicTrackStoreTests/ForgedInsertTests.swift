import LicTrackTestSupport
import Postgres
import Testing

/// An INSERT cannot choose what the database decides: numbering, statuses, who and when.
@Suite("Forged inserts are overridden")
struct ForgedInsertTests {
    static let forgedEvent = """
        insert into application_events (application_id, seq, event, from_status, to_status, occurred_on,
                                        recorded_at, recorded_by)
        values ($1::bigint, 42, 'submit', 'under_review', 'approved', date '2025-01-10',
                timestamptz '2001-02-03 04:05:06+00', 'mallory')
        returning seq, from_status, to_status, recorded_by, recorded_at = now() as recorded_now
        """

    /// Checks the stored event and the application after the forged submit.
    static func checkForgedSubmit(_ connection: PostgresConnection, _ application: Int64) throws {
        let stored = try connection.query(
            """
            select seq, from_status, to_status, recorded_by, recorded_by = session_user as by_session_user,
                   recorded_at > timestamptz '2001-02-03 04:05:06+00' as after_forged_time
            from application_events where application_id = $1::bigint and event = 'submit'
            """, [application])
        try #require(stored.count == 1)
        #expect(try stored[0].decode(Int.self, "seq") == 2)
        #expect(try stored[0].decode(String.self, "from_status") == "draft")
        #expect(try stored[0].decode(String.self, "to_status") == "submitted")
        #expect(try stored[0].decode(String.self, "recorded_by") != "mallory")
        #expect(try stored[0].decode(Bool.self, "by_session_user"))
        #expect(try stored[0].decode(Bool.self, "after_forged_time"))
        #expect(try connection.status(of: application) == "submitted")
        #expect(
            try connection.value("select last_event_seq from applications where id = $1::bigint", [application]) == "2")
    }

    @Test func forgedEventAsOwner() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            let returned = try connection.transaction { tx in try tx.query(Self.forgedEvent, [application])[0] }
            #expect(try returned.decode(Int.self, "seq") == 2)
            #expect(try returned.decode(String.self, "to_status") == "submitted")
            #expect(try returned.decode(Bool.self, "recorded_now"))
            try Self.checkForgedSubmit(connection, application)
        }
    }

    @Test func forgedEventAsClerk() throws {
        try TestDatabase.with { db in
            let admin = try db.connect()
            defer { admin.close() }
            let application = try admin.createApplication()
            try Clerk.with(in: db) { clerk in
                let returned = try clerk.connection.transaction { tx in try tx.query(Self.forgedEvent, [application])[0]
                }
                #expect(try returned.decode(String.self, "from_status") == "draft")
                #expect(try returned.decode(Bool.self, "recorded_now"))
            }
            try Self.checkForgedSubmit(admin, application)
        }
    }

    /// A forged seq cannot leave a gap or overwrite: the next events keep counting from the real position.
    @Test func forgedSequenceNumbersAreIgnored() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            try connection.execute(
                """
                insert into application_events (application_id, seq, event, occurred_on)
                values ($1::bigint, 1, 'submit', date '2025-01-10')
                """, [application])
            try connection.execute(
                """
                insert into application_events (application_id, seq, event, occurred_on)
                values ($1::bigint, 1000, 'accept', date '2025-01-11')
                """, [application])
            let seqs = try connection.query(
                "select seq from application_events where application_id = $1::bigint order by seq", [application]
            ).map { try $0.decode(Int.self, "seq") }
            #expect(seqs == [1, 2, 3])
        }
    }

    /// An INSERT into applications always starts a draft, whatever status or licence it claims.
    @Test func forgedApplicationStartsAsDraft() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let row = try connection.query(
                """
                insert into applications (authority, applicant, destination, created_on, status, status_since,
                                          licence_number, licence_valid_until, last_event_seq, last_event_on,
                                          created_by)
                values ('MOFCOM', 'Acme', 'DE', date '2025-01-02', 'approved', date '2025-01-02', 'FAKE-1',
                        date '2030-01-01', 7, date '2025-01-02', 'mallory')
                returning id
                """)[0]
            let application = try row.decode(Int64.self, "id")
            let stored = try connection.query(
                """
                select status, status_since, licence_number, licence_valid_until, last_event_seq, last_event_on,
                       created_by = session_user as by_session_user
                from applications where id = $1::bigint
                """, [application])[0]
            #expect(try stored.decode(String.self, "status") == "draft")
            #expect(try stored.decode(String.self, "status_since") == "2025-01-02")
            #expect(stored.isNull("licence_number"))
            #expect(stored.isNull("licence_valid_until"))
            #expect(try stored.decode(Int.self, "last_event_seq") == 1)
            #expect(try stored.decode(String.self, "last_event_on") == "2025-01-02")
            #expect(try stored.decode(Bool.self, "by_session_user"))
            #expect(try connection.eventCount(of: application) == 1)
        }
    }
}
