#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Strict parsing of exact decimal amounts: quantities and values, never floating point.
public enum ExactDecimal {
    /// Parses `123`, `-4.50` or `0.001`; rejects exponents, separators and anything else.
    public static func parse(_ text: String) -> Decimal? {
        var sawDigit = false
        var sawPoint = false
        for (offset, character) in text.enumerated() {
            switch character {
            case "0"..."9": sawDigit = true
            case "." where !sawPoint && sawDigit: sawPoint = true
            case "-" where offset == 0: break
            default: return nil
            }
        }
        guard sawDigit, text.last != "." else { return nil }
        return Decimal(string: text)
    }
}
