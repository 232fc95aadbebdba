#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Conversions between `Date` and PostgreSQL's ISO timestamp text, in the proleptic Gregorian calendar.
///
/// Done by hand rather than with `Calendar` or a format style: the formats are fixed, and this
/// keeps microsecond precision, `BC` years and odd offsets such as `+00:53:28` exact.
enum PostgresTimestamp {
    /// Formats `date` as ISO 8601 in UTC, such as `2025-04-07T10:11:12.345Z`.
    ///
    /// The fraction has three to six digits: trailing zeros past the milliseconds are dropped.
    /// Years before 1 AD get PostgreSQL's ` BC` suffix.
    static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite else { return interval.isNaN ? "NaN" : (interval < 0 ? "-infinity" : "infinity") }
        // Beyond about ±290,000 years the microseconds overflow Int64; PostgreSQL's range is far smaller anyway.
        guard abs(interval) < 9.0e12 else { return interval < 0 ? "-infinity" : "infinity" }
        let micros = Int64((interval * 1_000_000).rounded())
        let seconds = floorDivide(micros, 1_000_000)
        let fraction = micros - seconds * 1_000_000
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(fromDaysSince1970: days)

        var text = pad(year > 0 ? year : 1 - year, 4)
        text += "-" + pad(month, 2) + "-" + pad(day, 2)
        text += "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        var fractionText = pad(fraction, 6)
        while fractionText.count > 3 && fractionText.hasSuffix("0") { fractionText.removeLast() }
        text += "." + fractionText + "Z"
        if year <= 0 { text += " BC" }
        return text
    }

    /// Parses `timestamptz` text in the ISO date style, such as `2025-04-07 10:11:12.345678+00`.
    static func parse(_ text: String) throws -> Date {
        var scanner = Scanner(bytes: Array(text.utf8))
        func fail(_ reason: String) -> PostgresError {
            PostgresError.invalidText(text, for: Date.self, reason: reason)
        }
        if text == "infinity" || text == "-infinity" { throw fail("infinite timestamps have no Date") }

        guard let year = scanner.number(minDigits: 4, maxDigits: 9), scanner.skip("-"),
            let month = scanner.number(minDigits: 2, maxDigits: 2), scanner.skip("-"),
            let day = scanner.number(minDigits: 2, maxDigits: 2)
        else { throw fail("expected YYYY-MM-DD") }
        guard scanner.skip(" ") || scanner.skip("T") else { throw fail("expected a time after the date") }
        guard let hour = scanner.number(minDigits: 2, maxDigits: 2), scanner.skip(":"),
            let minute = scanner.number(minDigits: 2, maxDigits: 2), scanner.skip(":"),
            let second = scanner.number(minDigits: 2, maxDigits: 2)
        else { throw fail("expected HH:MM:SS") }
        var nanoseconds: Int64 = 0
        if scanner.skip(".") {
            guard let run = scanner.digits(), !run.isEmpty else { throw fail("expected fractional seconds") }
            let digits = Array(run)
            for index in 0..<9 {
                nanoseconds = nanoseconds * 10 + (index < digits.count ? Int64(digits[index] - UInt8(ascii: "0")) : 0)
            }
        }
        var offsetSeconds: Int64 = 0
        if scanner.skip("Z") {
            offsetSeconds = 0
        } else if let sign: Int64 = scanner.skip("+") ? 1 : (scanner.skip("-") ? -1 : nil) {
            guard let offsetHours = scanner.number(minDigits: 2, maxDigits: 2) else { throw fail("bad UTC offset") }
            var offset = offsetHours * 3600
            if scanner.skip(":") {
                guard let offsetMinutes = scanner.number(minDigits: 2, maxDigits: 2) else {
                    throw fail("bad UTC offset")
                }
                offset += offsetMinutes * 60
                if scanner.skip(":") {
                    guard let offsetSecondsPart = scanner.number(minDigits: 2, maxDigits: 2) else {
                        throw fail("bad UTC offset")
                    }
                    offset += offsetSecondsPart
                }
            }
            offsetSeconds = sign * offset
        } else {
            throw fail("no UTC offset; read timestamptz, not timestamp without time zone")
        }
        let isBC = scanner.skip(" BC")
        guard scanner.isAtEnd else { throw fail("unexpected trailing text") }

        let astronomicalYear = isBC ? 1 - year : year
        guard (1...12).contains(month), (1...daysInMonth(year: astronomicalYear, month: month)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { throw fail("field out of range") }

        let days = daysSince1970(year: astronomicalYear, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1_000_000_000)
    }

    // MARK: - Calendar arithmetic (Howard Hinnant's days-from-civil algorithms)

    /// The number of days from 1970-01-01 to the given proleptic Gregorian date (astronomical year numbering).
    static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date (astronomical year numbering) that is `days` days after 1970-01-01.
    static func civilDate(fromDaysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The number of days in `month` of `year` (astronomical year numbering).
    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2:
            let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return isLeap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    /// Division rounding towards negative infinity.
    static func floorDivide(_ dividend: Int64, _ divisor: Int64) -> Int64 {
        let quotient = dividend / divisor
        return (dividend % divisor != 0 && (dividend < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// A cursor over ASCII bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        var isAtEnd: Bool { self.position == self.bytes.count }

        /// Consumes `literal` if the remaining bytes start with it.
        mutating func skip(_ literal: String) -> Bool {
            let literalBytes = Array(literal.utf8)
            guard self.bytes.count - self.position >= literalBytes.count,
                Array(self.bytes[self.position..<self.position + literalBytes.count]) == literalBytes
            else { return false }
            self.position += literalBytes.count
            return true
        }

        /// Consumes a run of ASCII digits, possibly empty.
        mutating func digits() -> ArraySlice<UInt8>? {
            let start = self.position
            while self.position < self.bytes.count, (48...57).contains(self.bytes[self.position]) {
                self.position += 1
            }
            return self.bytes[start..<self.position]
        }

        /// Consumes a run of `minDigits` to `maxDigits` digits and returns its value.
        mutating func number(minDigits: Int, maxDigits: Int) -> Int64? {
            let start = self.position
            guard let run = self.digits(), (minDigits...maxDigits).contains(run.count) else {
                self.position = start
                return nil
            }
            return run.reduce(0) { $0 * 10 + Int64($1 - 48) }
        }
    }
}
