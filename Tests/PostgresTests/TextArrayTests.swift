import Postgres
import Testing

/// `text[]` in PostgreSQL's array text form: `[String]` and `[String?]` as one parameter and one column.
@Suite("text[] codec")
struct TextArrayTests {
    /// Elements that break a naive comma join or a naive split, one of each kind.
    static let tricky: [String?] = [
        "plain", "", " ", "  padded  ", "a,b", ",", "{", "}", "{}", "{a,b}", "\"", "\"quoted\"", "\\", "back\\slash",
        "\\\"", "\\N", "NULL", "null", nil, "NuLl", "two words", "line\nbreak", "tab\there", "cr\r\n",
        "it's", "ünïcødé – 日本語 🚀", "\u{00A0}no-break", "[0:1]={x}", "=", nil,
    ]

    // MARK: - The text form, hand-written

    @Test func encodesEveryElementQuotedAndNilAsNull() {
        #expect(PostgresTextArray.encode([]) == "{}")
        #expect(PostgresTextArray.encode([""]) == #"{""}"#)
        #expect(PostgresTextArray.encode(["a", nil, "NULL"]) == #"{"a",NULL,"NULL"}"#)
        #expect(PostgresTextArray.encode(["x\"y", "b\\c", "p,q"]) == #"{"x\"y","b\\c","p,q"}"#)
        #expect(["a", "b"].postgresText == #"{"a","b"}"#)
        #expect(([Int64(3), -4]).postgresText == #"{"3","-4"}"#)
    }

    @Test func decodesTheServersForms() throws {
        #expect(try PostgresTextArray.decode("{}") == [])
        #expect(try PostgresTextArray.decode(#"{a,NULL,"NULL",""}"#) == ["a", nil, "NULL", ""])
        #expect(try PostgresTextArray.decode(#"{"a,b","x\"y","b\\c"}"#) == ["a,b", "x\"y", "b\\c"])
        #expect(try PostgresTextArray.decode("[0:1]={x,y}") == ["x", "y"])
        #expect(try PostgresTextArray.decode(" { a , null , b\\,c } ") == ["a", nil, "b,c"])
        #expect(try PostgresTextArray.decode(#"{\NULL}"#) == ["NULL"])
    }

    @Test func refusesWhatIsNotAOneDimensionalArray() {
        for text in ["", "a,b", "{", "{a", "{a,}", "{,a}", #"{"a}"#, "{a}b", "{{a,b},{c,d}}", "[0:1]{a}", "{a\"b}"] {
            #expect(throws: PostgresError.self, "\(String(reflecting: text))") { try PostgresTextArray.decode(text) }
        }
    }

    // MARK: - Through the server

    @Test func everyTrickyElementRoundTripsThroughTheServer() throws {
        let connection = try connect()
        defer { connection.close() }
        let row = try connection.query(
            "select $1::text[] as a, array_length($1::text[], 1) as n, cardinality($1::text[]) as c", [Self.tricky])[0]
        #expect(try row.decode(Int.self, "n") == Self.tricky.count)
        #expect(try row.decode(Int.self, "c") == Self.tricky.count)
        #expect(try row.decode([String?].self, "a") == Self.tricky)
    }

    @Test func theServerSeesEachElementAsSent() throws {
        let connection = try connect()
        defer { connection.close() }
        // Each element read alone by the server, as plain text: no array decoding on this side.
        let rows = try connection.query(
            "select e, e is null as is_null, o from unnest($1::text[]) with ordinality as u(e, o) order by o",
            [Self.tricky])
        #expect(rows.count == Self.tricky.count)
        for (index, row) in rows.enumerated() {
            #expect(try row.decode(Int.self, "o") == index + 1)
            #expect(try row.decode(Bool.self, "is_null") == (Self.tricky[index] == nil))
            #expect(try row.decodeIfPresent(String.self, "e") == Self.tricky[index], "element \(index + 1)")
        }
    }

    @Test func arraysBuiltByTheServerDecode() throws {
        let connection = try connect()
        defer { connection.close() }
        // The server builds the array from separate parameters: no array encoding on this side.
        let parameters: [(any PostgresEncodable)?] = Self.tricky.map { $0 }
        let list = (1...parameters.count).map { "$\($0)::text" }.joined(separator: ", ")
        let row = try connection.query("select array[\(list)] as a", parameters)[0]
        #expect(try row.decode([String?].self, "a") == Self.tricky)
    }

    @Test func stringArraysWithoutNulls() throws {
        let connection = try connect()
        defer { connection.close() }
        let values = Self.tricky.compactMap { $0 }
        let row = try connection.query("select $1::text[] as a, '{}'::text[] as empty", [values])[0]
        #expect(try row.decode([String].self, "a") == values)
        #expect(try row.decode([String].self, "empty") == [])
        // A NULL element cannot be a String.
        let withNull = try connection.query("select array['a', null]::text[] as a")[0]
        #expect(throws: PostgresError.self) { try withNull.decode([String].self, "a") }
        // Equality and search on the server side.
        let found = try connection.query(
            "select array_position($1::text[], $2) as p, $1::text[] = $3::text[] as same",
            [values, "a,b", values])[0]
        #expect(try found.decode(Int.self, "p") == values.firstIndex(of: "a,b")! + 1)
        #expect(try found.decode(Bool.self, "same"))
    }

    @Test func integerArrays() throws {
        let connection = try connect()
        defer { connection.close() }
        let ids: [Int64] = [1, -2, Int64.max, Int64.min]
        let row = try connection.query(
            "select $1::bigint[] as a, (select sum(x::numeric) from unnest($1::bigint[]) x) as s, "
                + "'[0:2]={7,8,9}'::int[] as b", [ids])[0]
        #expect(try row.decode([Int64].self, "a") == ids)
        #expect(try row.decode(String.self, "s") == "-2")
        #expect(try row.decode([Int].self, "b") == [7, 8, 9])
    }
}
