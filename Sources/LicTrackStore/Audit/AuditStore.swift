import Postgres

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One broken event of a hash chain, as `audit_verify()` or `audit_check_anchor()` names it.
public struct ChainProblem: Sendable, Equatable {
    public var applicationID: Int64
    public var seq: Int
    /// `changed`, `removed`, `inserted`, `reordered` or `chain_broken` (the chain itself), or
    /// `rewritten` or `removed` (against an anchor): the words of migration 0021, passed through.
    public var problem: String
    /// The problem in words, from the database.
    public var detail: String

    public init(applicationID: Int64, seq: Int, problem: String, detail: String) {
        self.applicationID = applicationID
        self.seq = seq
        self.problem = problem
        self.detail = detail
    }
}

/// The last event of one application's chain: what an anchor keeps.
public struct ChainHead: Sendable, Equatable {
    public var applicationID: Int64
    public var seq: Int
    /// The event's hash, 64 lowercase hexadecimal digits.
    public var hash: String

    public init(applicationID: Int64, seq: Int, hash: String) {
        self.applicationID = applicationID
        self.seq = seq
        self.hash = hash
    }
}

/// When and of which database an anchor was taken, and how much it covers.
public struct AnchorHeader: Sendable, Equatable {
    public var takenAt: Date
    /// `current_database()`.
    public var database: String
    /// The cluster's `pg_control_system()` system identifier, as decimal text.
    public var systemIdentifier: String
    public var chains: Int
    public var events: Int

    public init(takenAt: Date, database: String, systemIdentifier: String, chains: Int, events: Int) {
        self.takenAt = takenAt
        self.database = database
        self.systemIdentifier = systemIdentifier
        self.chains = chains
        self.events = events
    }
}

/// What `audit verify` found: how much it checked, and every problem.
public struct ChainVerification: Sendable {
    /// Applications whose chains were checked, and their events.
    public var chains: Int
    public var events: Int
    /// By application, then seq.
    public var problems: [ChainProblem]
    /// The database checked: `current_database()` and its cluster's system identifier.
    public var database: String
    public var systemIdentifier: String
}

/// Verifies the event log's hash chains and takes anchors of their heads (migration 0021).
///
/// The rules are SQL functions: `audit_verify()`, `audit_chain_heads()` and `audit_check_anchor()`.
/// Each method reads one snapshot (a read-only REPEATABLE READ transaction), so the counts, heads
/// and problems it returns describe the same moment.
public struct AuditStore {
    let connection: PostgresConnection

    /// Anchored heads are sent to the database this many at a time.
    static let anchorBatch = 10_000

    /// Reads the audit chains of `database`.
    public init(_ database: Database) {
        self.init(connection: database.connection)
    }

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Recomputes every chain (or one application's) and, given the heads of an anchor, compares
    /// each with the chain's event at the anchored seq. Heads of other applications than
    /// `applicationID` are skipped.
    public func verify(applicationID: Int64?, anchor: [ChainHead] = []) throws -> ChainVerification {
        try LicTrackError.translating {
            try connection.transaction(isolation: .repeatableRead, readOnly: true) { tx in
                let identity = try Self.identity(tx)
                let counts = try tx.query(
                    """
                    select count(distinct application_id) as chains, count(*) as events
                    from application_events
                    where $1::bigint is null or application_id = $1::bigint
                    """, [applicationID])[0]
                var problems = try tx.query(
                    "select application_id, seq, problem, detail from audit_verify($1::bigint)", [applicationID]
                ).map(Self.problem)
                let heads = anchor.filter { applicationID == nil || $0.applicationID == applicationID }
                var start = 0
                while start < heads.count {
                    let batch = heads[start..<min(start + Self.anchorBatch, heads.count)]
                    problems += try tx.query(
                        """
                        select application_id, seq, problem, detail
                        from audit_check_anchor($1::bigint[], $2::integer[], $3::bytea[])
                        """,
                        [
                            batch.map { $0.applicationID },
                            batch.map { Int64($0.seq) },
                            batch.map { "\\x" + $0.hash },
                        ]
                    ).map(Self.problem)
                    start += Self.anchorBatch
                }
                return ChainVerification(
                    chains: try counts.decode(Int.self, "chains"), events: try counts.decode(Int.self, "events"),
                    problems: Self.merged(problems), database: identity.database,
                    systemIdentifier: identity.systemIdentifier)
            }
        }
    }

    /// The head of every chain, handed to `head` one at a time in application order, after the
    /// header (when, which database, how many chains and events) is handed to `header`.
    public func anchor(header: (AnchorHeader) throws -> Void, head: (ChainHead) throws -> Void) throws {
        try LicTrackError.translating {
            try connection.transaction(isolation: .repeatableRead, readOnly: true) { tx in
                let identity = try Self.identity(tx)
                let row = try tx.query(
                    """
                    select now() as taken_at,
                           (select count(distinct application_id) from application_events) as chains,
                           (select count(*) from application_events) as events
                    """)[0]
                try header(
                    AnchorHeader(
                        takenAt: try row.decode(Date.self, "taken_at"), database: identity.database,
                        systemIdentifier: identity.systemIdentifier, chains: try row.decode(Int.self, "chains"),
                        events: try row.decode(Int.self, "events")))
                try tx.stream("select application_id, seq, encode(hash, 'hex') as hash from audit_chain_heads()") {
                    try head(
                        ChainHead(
                            applicationID: try $0.decode(Int64.self, "application_id"),
                            seq: try $0.decode(Int.self, "seq"), hash: try $0.decode(String.self, "hash")))
                }
            }
        }
    }

    /// Whether the application has a row or any event (a chain may outlive its application row).
    public func exists(applicationID: Int64) throws -> Bool {
        try LicTrackError.translating {
            try connection.query(
                """
                select exists (select 1 from applications where id = $1::bigint)
                       or exists (select 1 from application_events where application_id = $1::bigint) as found
                """, [applicationID])[0].decode(Bool.self, "found")
        }
    }

    private static func identity(_ tx: PostgresConnection) throws -> (database: String, systemIdentifier: String) {
        let row = try tx.query(
            "select current_database() as database, system_identifier::text as system from pg_control_system()")[0]
        return (try row.decode(String.self, "database"), try row.decode(String.self, "system"))
    }

    private static func problem(_ row: PostgresRow) throws -> ChainProblem {
        ChainProblem(
            applicationID: try row.decode(Int64.self, "application_id"), seq: try row.decode(Int.self, "seq"),
            problem: try row.decode(String.self, "problem"), detail: try row.decode(String.self, "detail"))
    }

    /// The problems by application and seq, a removal the chain and the anchor both saw once.
    static func merged(_ problems: [ChainProblem]) -> [ChainProblem] {
        var seen = Set<String>()
        return problems.sorted {
            ($0.applicationID, $0.seq) < ($1.applicationID, $1.seq)
        }.filter { seen.insert("\($0.applicationID) \($0.seq) \($0.problem)").inserted }
    }
}
