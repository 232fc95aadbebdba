import LicTrackCore
import LicTrackTestSupport
import Postgres
import Testing

/// The workflow's vocabulary lives once, in SQL; the Swift enums must name exactly the same things.
@Suite("Swift and SQL agree")
struct AgreementTests {
    @Test func statusesMatchApplicationStatuses() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let rows = try connection.query("select status from application_statuses order by sort_order")
            #expect(try rows.map { try $0.decode(String.self, "status") } == ApplicationStatus.allCases.map(\.rawValue))
        }
    }

    @Test func eventsMatchWorkflowEvents() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let rows = try connection.query("select event from workflow_events order by sort_order")
            #expect(try rows.map { try $0.decode(String.self, "event") } == WorkflowEvent.allCases.map(\.rawValue))
        }
    }

    /// The test's own copy of the transition table (Spec) is the database's, event by event.
    @Test func specMatchesWorkflowTransitions() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let rows = try connection.query(
                """
                select event, from_status, coalesce(to_status, '(previous)') as to_status
                from workflow_transitions where event not in ('note', 'add-item', 'stock')
                """)
            let database = Set(
                try rows.map {
                    "\(try $0.decode(String.self, "event")) \(try $0.decode(String.self, "from_status")) -> "
                        + (try $0.decode(String.self, "to_status"))
                })
            var spec: Set<String> = []
            for event in Spec.transitionEvents {
                for status in Spec.statuses {
                    if let target = Spec.target(of: event, from: status, origin: "(previous)") {
                        spec.insert("\(event) \(status) -> \(target)")
                    }
                }
            }
            #expect(database == spec)
        }
    }

    @Test func everyDelayReasonIsAccepted() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let application = try connection.createApplication()
            try connection.reach("submitted", application: application)
            for reason in DelayReason.allCases {
                try connection.rolledBack {
                    let row = try connection.insertEvent(
                        application, "delay", on: "2025-02-01", reason: reason.rawValue)
                    #expect(try row.decode(String.self, "reason") == reason.rawValue)
                }
            }
            #expect(
                sqlState { try connection.insertEvent(application, "delay", on: "2025-02-01", reason: "vacation") }
                    == "23514")
            #expect(try connection.status(of: application) == "submitted")
        }
    }

    /// The check accepts no reason Swift does not know: the constraint's list is DelayReason's.
    @Test func reasonCheckListsExactlyTheDelayReasons() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let definition = try #require(
                try connection.value(
                    """
                    select pg_get_constraintdef(oid) from pg_constraint
                    where conrelid = 'application_events'::regclass and conname = 'application_events_reason_check'
                    """))
            let quoted = definition.split(separator: "'").enumerated().filter { $0.offset % 2 == 1 }.map {
                String($0.element)
            }
            #expect(Set(quoted) == Set(DelayReason.allCases.map(\.rawValue)))
        }
    }

    @Test func everyLicenceTypeIsAccepted() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            for type in LicenceType.allCases {
                let application = try connection.createApplication(licenceType: type.rawValue)
                #expect(
                    try connection.value("select licence_type from applications where id = $1::bigint", [application])
                        == type.rawValue)
            }
            #expect(sqlState { _ = try connection.createApplication(licenceType: "open") } == "23514")
        }
    }
}
