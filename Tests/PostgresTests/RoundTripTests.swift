import Postgres
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("Encoding and decoding against the server")
struct RoundTripTests {
    /// Sends `value` as `$1::<type>` and decodes the column back.
    private func roundTrip<T: PostgresEncodable & PostgresDecodable>(
        _ value: T,
        as type: String,
        on connection: PostgresConnection
    ) throws -> T {
        let result = try connection.query("SELECT $1::\(type) AS v", [value])
        return try #require(result.first).decode(T.self, "v")
    }

    @Test func strings() throws {
        let connection = try connect()
        for value in [
            "", "plain", "it's \"quoted\" \\ back", "ünïcødé – 日本語 🚀", "line\nbreak\ttab", "$1 ; DROP TABLE x",
        ] {
            #expect(try roundTrip(value, as: "text", on: connection) == value)
        }
        let substring = "abcdef".dropFirst(2).prefix(2)
        let result = try connection.query("SELECT $1::text AS v", [substring])
        #expect(try result[0].decode(String.self, "v") == "cd")
    }

    @Test func integers() throws {
        let connection = try connect()
        for value in [0, 1, -1, Int.max, Int.min] {
            #expect(try roundTrip(value, as: "int8", on: connection) == value)
        }
        for value in [Int32(0), .max, .min] {
            #expect(try roundTrip(value, as: "int4", on: connection) == value)
        }
        for value in [Int64(42), .max, .min] {
            #expect(try roundTrip(value, as: "int8", on: connection) == value)
        }
        // An int8 that does not fit in Int32 is a decoding error, naming the column.
        let result = try connection.query("SELECT 3000000000::int8 AS big")
        let error = try #require(throws: PostgresError.self) { try result[0].decode(Int32.self, "big") }
        #expect(error.kind == .decoding)
        #expect(error.column == "big")
    }

    @Test func booleans() throws {
        let connection = try connect()
        #expect(try roundTrip(true, as: "boolean", on: connection) == true)
        #expect(try roundTrip(false, as: "boolean", on: connection) == false)
        let result = try connection.query("SELECT true AS t, false AS f")
        #expect(result[0]["t"] == "t")
        #expect(result[0]["f"] == "f")
    }

    @Test func doubles() throws {
        let connection = try connect()
        for value in [
            0.0, 0.1, -2.5, 1e-5, 123456.789, Double.greatestFiniteMagnitude, .leastNonzeroMagnitude, .infinity,
            -.infinity,
        ] {
            #expect(try roundTrip(value, as: "float8", on: connection) == value)
        }
        #expect(try roundTrip(Double.nan, as: "float8", on: connection).isNaN)
    }

    @Test func decimalsAreExact() throws {
        let connection = try connect()
        let texts = [
            "12345678901234567890.123456789", "0.1", "-0.000001", "99999999999999999999999999999999999999", "0",
        ]
        for text in texts {
            let value = try #require(Decimal(string: text))
            #expect(value.postgresText == text)
            #expect(try roundTrip(value, as: "numeric", on: connection) == value)
            let result = try connection.query("SELECT $1::numeric AS v, $1::numeric::text AS t", [value])
            #expect(result[0]["t"] == text)
        }
        // Trailing zeros from a scaled column decode to the same value.
        let scaled = try connection.query("SELECT 1.5::numeric(10,4) AS v")
        #expect(scaled[0]["v"] == "1.5000")
        #expect(try scaled[0].decode(Decimal.self, "v") == Decimal(string: "1.5"))
    }

    @Test func decimalsThatWouldLosePrecisionThrow() throws {
        let connection = try connect()
        let result = try connection.query(
            "SELECT '1234567890123456789012345678901234567890'::numeric AS wide, 'NaN'::numeric AS nan"
        )
        for column in ["wide", "nan"] {
            let error = try #require(throws: PostgresError.self) { try result[0].decode(Decimal.self, column) }
            #expect(error.kind == .decoding)
            #expect(error.column == column)
        }
    }

    @Test func uuids() throws {
        let connection = try connect()
        let value = UUID()
        #expect(try roundTrip(value, as: "uuid", on: connection) == value)
    }

    @Test func datesRoundTripWithMicrosecondPrecision() throws {
        let connection = try connect()
        let dates = [
            Date(timeIntervalSince1970: 1_744_020_672.345),  // 2025-04-07T10:11:12.345Z
            Date(timeIntervalSince1970: 1_744_020_672.345678),
            Date(timeIntervalSince1970: 0),
            Date(timeIntervalSince1970: -1_000_000_000.5),
            Date(timeIntervalSince1970: 4_102_444_800),  // 2100-01-01
        ]
        for date in dates {
            let back = try roundTrip(date, as: "timestamptz", on: connection)
            #expect(abs(back.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_001)
        }
        let sent = Date(timeIntervalSince1970: 1_744_020_672.345)
        #expect(sent.postgresText == "2025-04-07T10:11:12.345Z")
        let result = try connection.query("SELECT $1::timestamptz = '2025-04-07 10:11:12.345+00' AS same", [sent])
        #expect(try result[0].decode(Bool.self, "same"))
    }

    @Test func datesInOtherTimeZonesAndEras() throws {
        let connection = try connect()
        let expected = Date(timeIntervalSince1970: 1_744_020_672.345678)
        let cases: [(zone: String, text: String)] = [
            ("UTC", "+00"),
            ("Asia/Kolkata", "+05:30"),
            ("America/Sao_Paulo", "-03"),
            ("Asia/Kathmandu", "+05:45"),
        ]
        for (zone, offset) in cases {
            try connection.execute("SELECT set_config('TimeZone', $1, false)", [zone])
            let result = try connection.query(
                "SELECT '2025-04-07 10:11:12.345678+00'::timestamptz AS at, '2025-04-07 10:11:12.345678+00'::timestamptz::text AS text"
            )
            let text = try #require(result[0]["text"])
            #expect(text.hasSuffix(offset), "\(zone): \(text)")
            #expect(try result[0].decode(Date.self, "at") == expected, "\(zone): \(text)")
        }
        // Before standard time, offsets have seconds (local mean time).
        try connection.execute("SET TimeZone = 'Europe/Amsterdam'")
        let lmt = try connection.query(
            "SELECT '1900-06-01 12:00:00+00'::timestamptz AS at, '1900-06-01 12:00:00+00'::timestamptz::text AS text")
        #expect(lmt[0]["text"] == "1900-06-01 12:19:32+00:19:32")
        #expect(try lmt[0].decode(Date.self, "at") == Date(timeIntervalSince1970: -2_195_899_200))

        try connection.execute("SET TimeZone = 'UTC'")
        let bc = Date(timeIntervalSince1970: -63_517_780_800)  // 0044-03-15 12:00:00 BC (proleptic Gregorian, year -43)
        let bcResult = try connection.query("SELECT $1::timestamptz AS at, $1::timestamptz::text AS text", [bc])
        #expect(bcResult[0]["text"] == "0044-03-15 12:00:00+00 BC")
        #expect(try bcResult[0].decode(Date.self, "at") == bc)
    }

    @Test func infiniteAndZonelessTimestampsDoNotDecode() throws {
        let connection = try connect()
        let result = try connection.query(
            "SELECT 'infinity'::timestamptz AS inf, '-infinity'::timestamptz AS neg, '2025-04-07 10:11:12'::timestamp AS local"
        )
        for column in ["inf", "neg", "local"] {
            let error = try #require(throws: PostgresError.self) { try result[0].decode(Date.self, column) }
            #expect(error.kind == .decoding)
            #expect(error.column == column)
        }
    }

    @Test func nulls() throws {
        let connection = try connect()
        let missing: String? = nil
        let count: Int? = nil
        let result = try connection.query("SELECT $1::text AS a, $2::int8 AS b, ''::text AS empty", [missing, count])
        let row = try #require(result.first)
        #expect(row.isNull("a"))
        #expect(row["a"] == nil)
        #expect(try row.decodeIfPresent(String.self, "a") == nil)
        #expect(try row.decodeIfPresent(Int.self, "b") == nil)
        let inferred: Int? = try row.decodeIfPresent("b")
        #expect(inferred == nil)
        // The empty string is not NULL.
        #expect(!row.isNull("empty"))
        #expect(try row.decode(String.self, "empty") == "")
        #expect(try row.decodeIfPresent(String.self, "empty") == "")

        let error = try #require(throws: PostgresError.self) { try row.decode(String.self, "a") }
        #expect(error.kind == .decoding)
        #expect(error.column == "a")
        let unknown = try #require(throws: PostgresError.self) { try row.decodeIfPresent(String.self, "nope") }
        #expect(unknown.kind == .decoding)
        #expect(unknown.column == "nope")
    }

    @Test func inferredDecoding() throws {
        let connection = try connect()
        let row = try #require(try connection.query("SELECT 7 AS n, 'x' AS s").first)
        let number: Int = try row.decode("n")
        let text: String? = try row.decodeIfPresent("s")
        #expect(number == 7)
        #expect(text == "x")
    }

    struct Payload: Codable, Equatable {
        var name: String
        var count: Int
        var tags: [String]
        var amount: Decimal?
        var nested: [String: Bool]
    }

    @Test func json() throws {
        let connection = try connect()
        let payload = Payload(
            name: "licence \"A\" – ü",
            count: 3,
            tags: ["x", "y"],
            amount: Decimal(string: "1234.5678"),
            nested: ["ok": true]
        )
        let result = try connection.query(
            "SELECT $1::jsonb AS b, $1::json AS j, $1::jsonb ->> 'name' AS name, NULL::jsonb AS missing",
            [PostgresJSON(payload)]
        )
        let row = try #require(result.first)
        #expect(try row.decodeJSON(Payload.self, "b") == payload)
        #expect(try row.decodeJSON(Payload.self, "j") == payload)
        #expect(row["name"] == payload.name)
        let error = try #require(throws: PostgresError.self) { try row.decodeJSON(Payload.self, "missing") }
        #expect(error.kind == .decoding)
        let mismatch = try #require(throws: PostgresError.self) { try row.decodeJSON([Int].self, "b") }
        #expect(mismatch.kind == .decoding)
        #expect(mismatch.column == "b")
        #expect(PostgresJSON(["b": 1, "a": 2]).postgresText == #"{"a":2,"b":1}"#)
    }

    @Test func unencodableJSONThrowsBeforeSending() throws {
        let connection = try connect()
        #expect(throws: EncodingError.self) {
            try connection.query("SELECT $1::jsonb AS v", [PostgresJSON([Double.nan])])
        }
        // The connection is still usable.
        #expect(try connection.query("SELECT 1 AS one")[0].decode(Int.self, "one") == 1)
    }
}
