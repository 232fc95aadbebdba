import LicTrackCore

/// Exact decimal formatting for display: no floating point, no locale.
///
/// A ratio from PostgreSQL such as `0.7555` is shown as `75.6%` by moving the decimal point and
/// rounding half away from zero on the digits themselves, so the same value always prints the same.
public enum DecimalText {
    /// `ratio` × 100, rounded to `fractionDigits`, with a `%` sign: `0.755` → `75.5%`.
    public static func percent(_ ratio: ExactAmount, fractionDigits: Int) -> String {
        rounded(ratio, shift: 2, fractionDigits: fractionDigits) + "%"
    }

    /// The amount × 10^`shift`, rounded half away from zero to `fractionDigits` places.
    public static func rounded(_ amount: ExactAmount, shift: Int = 0, fractionDigits: Int) -> String {
        var text = Substring(amount.text)
        let negative = text.first == "-"
        if negative { text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var integer = Array(parts[0])
        var fraction = parts.count > 1 ? Array(parts[1]) : []
        // Move the point right by `shift`.
        for _ in 0..<max(shift, 0) {
            integer.append(fraction.isEmpty ? "0" : fraction.removeFirst())
        }
        // Round to `fractionDigits`: digits as numbers, most significant first.
        var digits = (integer + fraction.prefix(fractionDigits)).map { Int($0.asciiValue! - 48) }
        digits += Array(repeating: 0, count: max(0, fractionDigits - fraction.count))
        if fraction.count > fractionDigits, let next = fraction.dropFirst(fractionDigits).first, next >= "5" {
            var index = digits.count - 1
            while index >= 0 {
                if digits[index] == 9 {
                    digits[index] = 0
                    index -= 1
                } else {
                    digits[index] += 1
                    break
                }
            }
            if index < 0 { digits.insert(1, at: 0) }
        }
        let integerCount = digits.count - fractionDigits
        var integerText = digits[..<integerCount].map(String.init).joined()
        while integerText.count > 1, integerText.first == "0" { integerText.removeFirst() }
        if integerText.isEmpty { integerText = "0" }
        let fractionText = digits[integerCount...].map(String.init).joined()
        let isZero = digits.allSatisfy { $0 == 0 }
        return (negative && !isZero ? "-" : "") + integerText + (fractionDigits > 0 ? "." + fractionText : "")
    }
}
