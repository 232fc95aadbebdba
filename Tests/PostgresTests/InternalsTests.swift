import Testing

@testable import Postgres

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("Timestamp text")
struct TimestampTextTests {
    @Test func formats() {
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: 1_744_020_672.345)) == "2025-04-07T10:11:12.345Z")
        #expect(
            PostgresTimestamp.format(Date(timeIntervalSince1970: 1_744_020_672.345678)) == "2025-04-07T10:11:12.345678Z"
        )
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T00:00:00.000Z")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -62_135_596_801)) == "0001-12-31T23:59:59.000Z BC")
    }

    @Test func parses() throws {
        let expected = Date(timeIntervalSince1970: 1_744_020_672.345678)
        for text in [
            "2025-04-07 10:11:12.345678+00", "2025-04-07T10:11:12.345678Z", "2025-04-07 15:41:12.345678+05:30",
            "2025-04-07 07:11:12.345678-03", "2025-04-07 07:11:12.345678-03:00:00",
        ] {
            #expect(try PostgresTimestamp.parse(text) == expected, "\(text)")
        }
        #expect(try PostgresTimestamp.parse("2025-04-07 10:11:12+00") == Date(timeIntervalSince1970: 1_744_020_672))
        #expect(try PostgresTimestamp.parse("10000-01-01 00:00:00+00") == Date(timeIntervalSince1970: 253_402_300_800))
    }

    @Test func rejects() {
        for text in [
            "infinity", "-infinity", "2025-04-07 10:11:12", "2025-04-07", "2025-02-30 00:00:00+00",
            "2025-04-07 24:00:00+00", "2025-04-07 10:11:12.+00", "2025-04-07 10:11:12+00 junk", "", "garbage",
        ] {
            #expect(throws: PostgresError.self, "\(text)") { try PostgresTimestamp.parse(text) }
        }
    }

    @Test func calendarArithmeticRoundTrips() {
        for days in stride(from: Int64(-1_000_000), through: 1_000_000, by: 997) {
            let (year, month, day) = PostgresTimestamp.civilDate(fromDaysSince1970: days)
            #expect(PostgresTimestamp.daysSince1970(year: year, month: month, day: day) == days)
        }
    }
}

@Suite("Decoding text")
struct DecodingTextTests {
    @Test func decimals() throws {
        #expect(
            try Decimal(postgresText: "12345678901234567890.123456789")
                == Decimal(string: "12345678901234567890.123456789"))
        #expect(try Decimal(postgresText: "-0.50") == Decimal(string: "-0.5"))
        #expect(
            try Decimal(postgresText: "100000000000000000000000000000000000000000000000000") == Decimal(string: "1e50"))
        for text in [
            "NaN", "Infinity", "1e5", "1.2.3", "", "-", " 1", "1,5", "1234567890123456789012345678901234567890",
        ] {
            #expect(throws: PostgresError.self, "\(text)") { try Decimal(postgresText: text) }
        }
    }

    @Test func doublesAndBooleans() throws {
        #expect(try Double(postgresText: "1e-05") == 1e-5)
        #expect(try Double(postgresText: "-Infinity") == -.infinity)
        #expect(throws: PostgresError.self) { try Double(postgresText: "inf") }
        #expect(throws: PostgresError.self) { try Double(postgresText: "0x10") }
        #expect(try Bool(postgresText: "t"))
        #expect(throws: PostgresError.self) { try Bool(postgresText: "yes") }
        #expect(Double.nan.postgresText == "NaN")
        #expect(Double.infinity.postgresText == "Infinity")
    }
}

@Suite("Password scrubbing")
struct PasswordScrubberTests {
    @Test func scrubsKnownSecretsAndPatterns() {
        let scrubber = PasswordScrubber(secrets: ["hunter2", ""])
        #expect(scrubber.scrub("bad password hunter2!") == "bad password ***!")
        #expect(scrubber.scrub("host=x password=other dbname=y") == "host=x password=*** dbname=y")
        #expect(scrubber.scrub("host=x password = 'a b\\'c' dbname=y") == "host=x password = *** dbname=y")
        #expect(
            scrubber.scrub(#"in URI: "postgresql://bob:pa55@host/db""#) == #"in URI: "postgresql://bob:***@host/db""#)
        #expect(scrubber.scrub("postgres://bob@host/db") == "postgres://bob@host/db")
        #expect(scrubber.scrub("nothing to see") == "nothing to see")
    }
}
