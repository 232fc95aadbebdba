import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// Blank means blank, in the CLI and in the database alike.
@Suite("Blank text")
struct BlankTextTests {
    /// The characters the issue names, each of which alone (or with the others) is blank.
    static let blanks = ["\t", "\n", "\r\n", "\u{A0}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", " "]

    @Test("LicTrackCore's BlankText and SQL's is_blank agree on every code point")
    func swiftAndSQLAgree() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let sql = Set(
                try connection.query(
                    """
                    select i from generate_series(1, 1114111) i
                    where (i < 55296 or i > 57343) and is_blank(chr(i))
                    """
                ).map { try $0.decode(Int.self, "i") })
            var swift = Set<Int>()
            for value in 1...0x10FFFF {
                guard let scalar = Unicode.Scalar(value) else { continue }
                if BlankText.isBlank(scalar) { swift.insert(value) }
            }
            #expect(sql.contains(0xA0) && sql.contains(0x200B) && sql.contains(0xFEFF) && sql.contains(9))
            #expect(!sql.contains(0x41))
            #expect(
                swift == sql,
                "differ: SQL only \(sql.subtracting(swift).sorted()), Swift only \(swift.subtracting(sql).sorted())")
        }
    }

    @Test("is_blank: mixed blanks are blank, any visible character is not, NULL stays NULL")
    func isBlankCases() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            for text in Self.blanks + [Self.blanks.joined(), ""] {
                #expect(try connection.value("select is_blank($1)::text", [text]) == "true", "\(text.debugDescription)")
                #expect(BlankText.isBlank(text))
            }
            for text in ["a", "\u{A0}x\u{A0}", "-", "\u{200B}0"] {
                #expect(
                    try connection.value("select is_blank($1)::text", [text]) == "false", "\(text.debugDescription)")
                #expect(!BlankText.isBlank(text))
            }
            #expect(try connection.value("select is_blank(null)::text") == nil)
        }
    }

    /// A psql user meets the same rule: every check that used btrim refuses the other blanks too.
    @Test("the database refuses blank required text written in SQL", arguments: blanks)
    func databaseRefusesBlank(blank: String) throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let text = blank + "\u{A0}"
            let statements: [(String, String)] = [
                (
                    "applications_applicant_check",
                    "insert into applications (authority, applicant, destination) values ('BIS', $1, 'DE')"
                ),
                (
                    "authorities_name_check",
                    "insert into authorities (code, name, country, time_zone) values ('XBLANK', $1, 'JP', 'UTC')"
                ),
                (
                    "applications_authority_reference_check",
                    "insert into applications (authority, applicant, destination, authority_reference) "
                        + "values ('BIS', 'A', 'DE', $1)"
                ),
            ]
            for (constraint, sql) in statements {
                let error = #expect(throws: PostgresError.self) { try connection.execute(sql, [text]) }
                #expect(error?.constraintName == constraint, "\(sql)")
            }
            let id = try connection.value(
                "insert into applications (authority, applicant, destination, created_on) "
                    + "values ('BIS', 'A', 'DE', '2025-04-01') returning id")
            let note = #expect(throws: PostgresError.self) {
                try connection.execute(
                    "insert into application_events (application_id, event, occurred_on, note) "
                        + "values ($1::bigint, 'note', '2025-04-02', $2)", [id, text])
            }
            #expect(note?.constraintName == "application_events_note_check")
            let item = #expect(throws: PostgresError.self) {
                try connection.execute(
                    "insert into application_items (application_id, description) values ($1::bigint, $2)", [id, text])
            }
            #expect(item?.constraintName == "application_items_description_check")
        }
    }
}
