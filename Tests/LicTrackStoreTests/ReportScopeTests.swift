import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// `report_scope()`, the one definition of what the report filters mean, and their validation.
@Suite("Report scope")
struct ReportScopeTests {
    /// Ids `report_scope` returns for the filter.
    static func scope(_ connection: PostgresConnection, _ filter: ReportFilter) throws -> [Int64] {
        try connection.query(
            "select application_id from report_scope($1::text[], $2::text[], $3::text[], $4::text[]) order by 1",
            [filter.authorities, filter.destinations, filter.controlCodes, filter.owners].map(TextArray.init)
        ).map { try $0.decode(Int64.self, "application_id") }
    }

    /// A `text[]` parameter for the test (the store's own encoder is internal).
    struct TextArray: PostgresEncodable {
        var values: [String]
        init(_ values: [String]) { self.values = values }
        var postgresText: String {
            "{" + values.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ",")
                + "}"
        }
    }

    @Test func filtersCombine() throws {
        try TestDatabase.with { db in
            let c = try db.connect()
            defer { c.close() }
            let magnets = try c.createApplication(authority: "MOFCOM", destination: "DE", owner: "Chen Jing")
            try c.execute(
                "insert into application_items (application_id, description, control_code) values ($1::bigint, 'magnets', '1C902.a')",
                [magnets])
            let bis = try c.createApplication(authority: "BIS", destination: "CN", owner: "chen jing")
            let ecju = try c.createApplication(authority: "ECJU", destination: "DE", owner: "Priya")
            try c.execute(
                "insert into application_items (application_id, description, control_code) values ($1::bigint, 'radio', '5A002')",
                [ecju])

            #expect(try Self.scope(c, ReportFilter()) == [magnets, bis, ecju])
            #expect(try Self.scope(c, ReportFilter(authorities: ["mofcom", "ECJU"])) == [magnets, ecju])
            #expect(try Self.scope(c, ReportFilter(destinations: ["de"])) == [magnets, ecju])
            #expect(try Self.scope(c, ReportFilter(controlCodes: ["1c902"])) == [magnets])
            #expect(try Self.scope(c, ReportFilter(controlCodes: ["1C9", "5A"])) == [magnets, ecju])
            #expect(try Self.scope(c, ReportFilter(controlCodes: ["_C902"])) == [], "LIKE wildcards are literal")
            #expect(try Self.scope(c, ReportFilter(owners: ["CHEN JING"])) == [magnets, bis])
            #expect(try Self.scope(c, ReportFilter(destinations: ["DE"], owners: ["priya"])) == [ecju])
        }
    }

    @Test(
        "an unknown authority or destination is a usage error naming the option",
        arguments: [
            (ReportFilter(authorities: ["XYZ"]), "--authority: unknown authority 'XYZ'"),
            (ReportFilter(destinations: ["ZZ"]), "--destination: unknown country 'ZZ'"),
            (
                ReportFilter(authorities: ["BIS", "\u{1B}]0;x\u{7}"]),
                "--authority: unknown authority '\\u{1B}]0;X\\u{7}'"
            ),
        ])
    func unknownCodes(filter: ReportFilter, message: String) throws {
        try TestDatabase.with { db in
            let c = try db.connect()
            defer { c.close() }
            let error = try #require(throws: LicTrackError.self) { try filter.validate(on: c) }
            #expect(error.kind == .usage)
            #expect(error.message == message)
        }
    }

    @Test func quotedInputIsBoundedAndInert() {
        #expect(LicTrackError.quoted(String(repeating: "x", count: 100_000)).count == 63)
        #expect(LicTrackError.quoted("a\u{1B}[31mb\nc\u{200B}") == "'a\\u{1B}[31mb\\u{A}c\\u{200B}'")
    }
}
