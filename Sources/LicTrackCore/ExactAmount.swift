#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An exact decimal amount that keeps its written scale: `182500.00` stays `182500.00`.
///
/// Quantities and values are never floating point. `Decimal` alone would print 182500.00 as
/// 182500, so the canonical text (as PostgreSQL's `numeric` returns it) is kept alongside.
public struct ExactAmount: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The amount as text: optional minus, digits, optional point and digits.
    public let text: String

    /// Parses `123`, `-4.50` or `0.001`; rejects exponents, separators and anything else.
    public init?(_ text: String) {
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
        self.text = text
    }

    /// The amount as a `Decimal`, for arithmetic.
    public var decimal: Decimal { Decimal(string: text) ?? 0 }

    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let amount = ExactAmount(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a decimal number like 12345.67")
        }
        self = amount
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
