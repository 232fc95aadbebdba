import LicTrackTestSupport
import Postgres
import Testing

/// Applications change only by recording events: direct UPDATEs and DELETEs are refused.
@Suite("Guarding applications against UPDATE and DELETE")
struct ApplicationsGuardTests {
    /// `UPDATE applications SET status = X` fails for every X: LT001 where the workflow forbids the
    /// change, LT006 where it allows it (it must be recorded as an event instead).
    @Test("UPDATE of status from a status", arguments: Spec.statuses)
    func updateStatus(from: String) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            try connection.reach(from, application: application)
            let countBefore = try connection.eventCount(of: application)
            let legalTargets = Set(
                Spec.transitionEvents.compactMap {
                    Spec.target(of: $0, from: from, origin: Spec.infoRequestOrigin)
                })

            for target in Spec.statuses {
                let expected = target == from || legalTargets.contains(target) ? "LT006" : "LT001"
                let state = sqlState {
                    try connection.execute(
                        "update applications set status = $1 where id = $2::bigint", [target, application])
                }
                #expect(state == expected, "\(from) -> \(target)")
                #expect(try connection.status(of: application) == from)
            }
            #expect(try connection.eventCount(of: application) == countBefore)
        }
    }

    /// The LT006 hint shows the INSERT that records the change properly.
    @Test func legalUpdateHintNamesTheEvent() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            let error = try #require(throws: PostgresError.self) {
                try connection.execute(
                    "update applications set status = 'submitted' where id = $1::bigint", [application])
            }
            #expect(error.sqlState == "LT006")
            #expect(error.hint?.contains("'submit'") == true)
            #expect(error.hint?.contains("lictrack app submit \(application)") == true)
        }
    }

    /// Columns other than the status cannot be updated either.
    @Test func updateOfOtherColumnsIsRefused() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication(owner: "export-desk")
            let before = try connection.value(
                "select row(a.*)::text from applications a where id = $1::bigint", [application])
            for assignment in [
                "owner = 'someone else'", "owner = null", "applicant = 'Other Ltd'", "licence_number = 'FAKE-1'",
                "last_event_seq = 99", "status_since = date '2025-01-01'", "status = status",
            ] {
                #expect(
                    sqlState {
                        try connection.execute(
                            "update applications set \(assignment) where id = $1::bigint", [application])
                    } == "LT006", "\(assignment)")
            }
            #expect(
                try connection.value("select row(a.*)::text from applications a where id = $1::bigint", [application])
                    == before)
        }
    }

    /// Applications are never deleted or truncated.
    @Test func deleteAndTruncateAreRefused() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            #expect(
                sqlState { try connection.execute("delete from applications where id = $1::bigint", [application]) }
                    == "LT005")
            #expect(sqlState { try connection.execute("delete from applications") } == "LT005")
            #expect(sqlState { try connection.execute("truncate applications cascade") } == "LT005")
            #expect(try connection.value("select count(*) from applications") == "1")
            #expect(try connection.eventCount(of: application) == 1)
        }
    }

    /// A clerk cannot get round the guard by running the UPDATE from a trigger of their own.
    ///
    /// Product bug: `applications_guard` lets every UPDATE at trigger depth > 1 through, meant for
    /// the event trigger's own UPDATE. Any role that can record events needs UPDATE on applications
    /// (the event trigger runs as the invoker) and may create temporary tables by default, so it can
    /// fire its own trigger and set any status, licence number or sequence number without an event.
    @Test func updateFromAnotherTriggerIsRefused() throws {
        try TestDatabase.with { db in
            let admin = try db.connect()
            defer { admin.close() }
            let application = try admin.createApplication()
            try Clerk.with(in: db) { clerk in
                // The documented clerk role records events with SELECT and INSERT only (Docs/operations.md).
                try admin.execute("revoke update, delete, truncate on all tables in schema public from \(clerk.role)")
                let connection = clerk.connection
                try connection.rolledBack {
                    try connection.execute("create temp table sneak (id bigint)")
                    try connection.execute(
                        """
                        create function pg_temp.sneak() returns trigger language plpgsql as $$
                        begin
                            update applications set status = 'approved', licence_number = 'FAKE-1'
                            where id = new.id;
                            return new;
                        end;
                        $$
                        """)
                    try connection.execute(
                        "create trigger sneak after insert on sneak for each row execute function pg_temp.sneak()")
                    let state = sqlState {
                        try connection.execute("insert into sneak values ($1::bigint)", [application])
                    }
                    #expect(state == "42501", "the clerk's indirect UPDATE was not refused")
                    if state == nil {
                        #expect(try connection.status(of: application) == "draft")
                        #expect(
                            try connection.value(
                                "select licence_number from applications where id = $1::bigint", [application]) == nil)
                    }
                }
            }
            #expect(try admin.status(of: application) == "draft")
        }
    }
}
