import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// Every rule the schema puts on a value has a message that names the option and says what it expects.
@Suite("Input rules")
struct InputRulesTests {
    /// The check constraints of the schema's tables and domains, by name.
    static func checkConstraints(_ connection: PostgresConnection) throws -> Set<String> {
        Set(
            try connection.query(
                """
                select conname from pg_constraint
                where contype = 'c' and connamespace = current_schema()::regnamespace
                """
            ).map { try $0.decode(String.self, "conname") })
    }

    @Test("every check constraint of the schema has a friendly message, and every message a constraint")
    func everyCheckHasAMessage() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let constraints = try Self.checkConstraints(connection)
            #expect(constraints.count >= 40, "too few check constraints found: \(constraints.sorted())")
            let missing = constraints.subtracting(InputRules.checks.keys)
            #expect(missing.isEmpty, "check constraints without a message in InputRules.checks: \(missing.sorted())")
            let stale = Set(InputRules.checks.keys).subtracting(constraints)
            #expect(stale.isEmpty, "messages for constraints the schema does not have: \(stale.sorted())")
        }
    }

    @Test("every length-limited column of the schema has a friendly message")
    func everyLengthLimitHasAMessage() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let columns = Set(
                try connection.query(
                    """
                    select c.relname || '.' || a.attname as name
                    from pg_attribute a
                    join pg_class c on c.oid = a.attrelid
                    where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r'
                      and a.attnum > 0 and not a.attisdropped and a.atttypmod > 0
                      and a.atttypid in ('bpchar'::regtype, 'varchar'::regtype, 'bit'::regtype, 'varbit'::regtype)
                    """
                ).map { try $0.decode(String.self, "name") })
            #expect(columns.contains("application_items.currency"))
            let missing = columns.subtracting(InputRules.lengths.keys)
            #expect(missing.isEmpty, "length-limited columns without a message: \(missing.sorted())")
        }
    }

    /// A message names the option, echoes what was given and says what is expected.
    @Test("a broken check reads as option, value and expectation")
    func checkMessage() throws {
        let error = LicTrackError(
            PostgresError(
                kind: .server, message: "new row violates check constraint", sqlState: "23514",
                constraintName: "application_items_hs_code_check"),
            given: GivenInput(["hs_code": "85AB"]))
        #expect(error.kind == .invalidInput)
        #expect(error.message.hasPrefix("--hs-code: invalid value '85AB' (expected "))
        #expect(error.message.contains("4 to 12 digits"))
    }

    /// A rule on values lictrack writes itself is a bug when broken: exit 70, not "bad input".
    @Test func internalRuleIsABug() {
        let error = LicTrackError(
            PostgresError(
                kind: .server, message: "violates", sqlState: "23514",
                constraintName: "alert_deliveries_lease_matches_status"))
        #expect(error.kind == .internal)
    }

    /// A NUL character, refused by the Postgres module before sending, is bad input (65), not a bug (70).
    @Test func nulCharacterIsInvalidInput() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let error = #expect(throws: LicTrackError.self) {
                try LicTrackError.translating { try connection.query("select $1::text as t", ["a\u{0}b"]) }
            }
            #expect(error?.kind == .invalidInput)
            #expect(error?.message.contains("NUL") == true)
        }
    }
}
