import LicTrackTestSupport
import Postgres
import Testing

/// The fault tests' hand-written workflow (``WorkflowModel``) is the database's, both ways: every
/// status and status-changing event it names is a row, and every transition it allows is a row of
/// `workflow_transitions` with the same target, and no other row exists.
@Suite("Faults: the hand-written workflow model agrees with the database")
struct WorkflowModelAgreementTests {
    @Test("statuses, status verbs and transitions are exactly the database's")
    func agreement() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let statuses = Set(
                try connection.query("select status from application_statuses").map {
                    try $0.decode(String.self, "status")
                })
            #expect(statuses == WorkflowModel.statuses)
            let verbs = Set(
                try connection.query("select event from workflow_events where changes_status and event <> 'create'")
                    .map { try $0.decode(String.self, "event") })
            #expect(verbs == Set(WorkflowModel.statusVerbs))

            // The database's table: "(previous)" where it returns to where it was (provide-info).
            var database: Set<String> = []
            for row in try connection.query("select event, from_status, to_status from workflow_transitions")
            where verbs.contains(try row.decode(String.self, "event")) {
                let to = try row.decodeIfPresent(String.self, "to_status") ?? "(previous)"
                database.insert(
                    "\(try row.decode(String.self, "event")) \(try row.decode(String.self, "from_status")) \(to)")
            }
            var model: Set<String> = []
            for verb in WorkflowModel.statusVerbs {
                for status in WorkflowModel.statuses {
                    guard let to = WorkflowModel.target(of: verb, from: status, origin: "(previous)") else { continue }
                    model.insert("\(verb) \(status) \(to)")
                }
            }
            #expect(
                model == database,
                "only in the model: \(model.subtracting(database)); only in the database: \(database.subtracting(model))"
            )
        }
    }
}
