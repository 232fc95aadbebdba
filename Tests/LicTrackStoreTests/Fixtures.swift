import Foundation
import LicTrackTestSupport
import Postgres
import Testing

// Shared fixtures for the database-level tests: the workflow as the issue states it (written out
// here independently of `workflow_transitions`, which is what the tests check), and small SQL
// helpers that act the way a psql user would.

/// The workflow as specified, for comparing with what the database does.
enum Spec {
    /// Every status, in workflow order.
    static let statuses = [
        "draft", "submitted", "under_review", "info_requested", "delayed", "returned", "approved", "denied",
        "withdrawn",
    ]

    /// The statuses that end an application's life.
    static let finalStatuses: Set = ["approved", "denied", "withdrawn"]

    /// The ten events that move an application from one status to another.
    static let transitionEvents = [
        "submit", "accept", "request-info", "provide-info", "delay", "resume", "approve", "deny", "return", "withdraw",
    ]

    /// Legal events that take a new draft to `status` (a delay with reason `hold`).
    static let path: [String: [String]] = [
        "draft": [],
        "submitted": ["submit"],
        "under_review": ["submit", "accept"],
        "info_requested": ["submit", "request-info"],
        "delayed": ["submit", "delay"],
        "returned": ["submit", "return"],
        "approved": ["submit", "approve"],
        "denied": ["submit", "deny"],
        "withdrawn": ["withdraw"],
    ]

    /// Where `event` leads from `status`, or `nil` if it is not allowed there.
    ///
    /// `origin` is the status the application was in when information was requested (provide-info).
    static func target(of event: String, from status: String, origin: String? = nil) -> String? {
        switch (event, status) {
        case ("submit", "draft"), ("submit", "returned"): return "submitted"
        case ("accept", "submitted"): return "under_review"
        case ("request-info", "submitted"), ("request-info", "under_review"), ("request-info", "delayed"):
            return "info_requested"
        case ("provide-info", "info_requested"): return origin
        case ("delay", "submitted"), ("delay", "under_review"): return "delayed"
        case ("resume", "delayed"): return "under_review"
        case ("approve", "submitted"), ("approve", "under_review"), ("approve", "delayed"): return "approved"
        case ("deny", "submitted"), ("deny", "under_review"), ("deny", "delayed"): return "denied"
        case ("return", "submitted"), ("return", "under_review"), ("return", "info_requested"): return "returned"
        case ("withdraw", _) where !finalStatuses.contains(status): return "withdrawn"
        default: return nil
        }
    }

    /// The status `Spec.path` passes through before `info_requested` (the origin of a provide-info).
    static let infoRequestOrigin = "submitted"
}

/// The SQLSTATE `body` fails with: `nil` if it succeeds, `"(not SQL)"` for a non-database error.
func sqlState(of body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as PostgresError {
        return error.sqlState ?? "(no SQLSTATE: \(error.kind))"
    } catch {
        return "(not SQL: \(error))"
    }
}

/// A name no other test uses, such as `clerk_1f3a9c2e7b4d5a60`, for roles and other cluster-wide objects.
func uniqueName(_ prefix: String) -> String {
    let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    return "\(prefix)_\(String(repeating: "0", count: 16 - suffix.count))\(suffix)"
}

extension PostgresConnection {
    /// Inserts an application the way a psql user would and returns its id.
    func createApplication(
        authority: String = "BAFA", destination: String = "CN", createdOn: String? = "2025-01-02",
        owner: String? = nil, reference: String? = nil, applicant: String = "Acme Präzision GmbH",
        licenceType: String = "single"
    ) throws -> Int64 {
        try query(
            """
            insert into applications (authority, destination, created_on, owner, authority_reference, applicant,
                                      licence_type)
            values ($1, $2, $3::date, $4, $5, $6, $7)
            returning id
            """, [authority, destination, createdOn, owner, reference, applicant, licenceType]
        )[0].decode(Int64.self, "id")
    }

    /// Records `event` by inserting into `application_events`, returning the stored row.
    @discardableResult
    func insertEvent(
        _ application: Int64, _ event: String, on date: String?, reason: String? = nil, note: String? = nil,
        licenceNumber: String? = nil, validUntil: String? = nil
    ) throws -> PostgresRow {
        try query(
            """
            insert into application_events (application_id, event, occurred_on, reason, note, licence_number,
                                            valid_until)
            values ($1::bigint, $2, $3::date, $4, $5, $6, $7::date)
            returning *
            """, [application, event, date, reason, note, licenceNumber, validUntil]
        )[0]
    }

    /// Takes a new application to `status` with the legal events of `Spec.path`, dated in January 2025.
    func reach(_ status: String, application: Int64) throws {
        let dates = ["2025-01-10", "2025-01-20"]
        for (index, event) in try #require(Spec.path[status]).enumerated() {
            try insertEvent(application, event, on: dates[index], reason: event == "delay" ? "hold" : nil)
        }
    }

    /// The application's current status.
    func status(of application: Int64) throws -> String {
        try query("select status from applications where id = $1::bigint", [application])[0]
            .decode(String.self, "status")
    }

    /// How many events the application's history holds.
    func eventCount(of application: Int64) throws -> Int {
        try query("select count(*) as n from application_events where application_id = $1::bigint", [application])[0]
            .decode(Int.self, "n")
    }

    /// The single value of a one-row, one-column query, as text (`nil` for SQL NULL).
    func value(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> String? {
        let rows = try query(sql, parameters)
        try #require(rows.count == 1 && rows.columnNames.count == 1)
        return rows[0][rows.columnNames[0]]
    }

    /// Runs `body` in a transaction that is always rolled back, leaving the database as it was.
    func rolledBack<T>(_ body: () throws -> T) throws -> T {
        try execute("begin")
        defer { _ = try? execute("rollback") }
        return try body()
    }
}

/// A login role that is not a superuser, with every table privilege a clerk could be given.
///
/// Roles are cluster-wide, so each gets a unique name and is dropped afterwards.
struct Clerk {
    let role: String
    /// A connection to the test database acting as the clerk (`SET ROLE`); the session user is the admin.
    let connection: PostgresConnection

    /// Creates the role in `database`, runs `body` as the clerk, then closes the connection and drops the role.
    static func with<T>(in database: TestDatabase, _ body: (Clerk) throws -> T) throws -> T {
        let role = uniqueName("clerk")
        let admin = try database.connect()
        defer { admin.close() }
        try admin.execute("create role \(role) login nosuperuser")
        defer {
            _ = try? admin.execute("drop owned by \(role)")
            _ = try? admin.execute("drop role \(role)")
        }
        try admin.execute(
            "grant select, insert, update, delete, truncate on all tables in schema public to \(role)")
        try admin.execute("grant usage on all sequences in schema public to \(role)")

        let connection = try database.connect()
        defer { connection.close() }
        try connection.execute("set role \(role)")
        let current = try connection.value("select current_user")
        let isSuperuser = try connection.value("select rolsuper from pg_roles where rolname = current_user")
        try #require(current == role)
        try #require(isSuperuser == "f")
        return try body(Clerk(role: role, connection: connection))
    }
}
