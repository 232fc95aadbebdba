#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A value that can be read from a result column in PostgreSQL's text output format.
///
/// Conformances throw a ``PostgresError`` of kind ``PostgresError/Kind/decoding`` when the text
/// is not a valid value; ``PostgresRow`` fills in the column name.
public protocol PostgresDecodable {
    /// Reads the value from its text form.
    init(postgresText: String) throws
}

extension PostgresError {
    /// A decoding error saying that `text` is not a valid `type`.
    static func invalidText(_ text: String, for type: Any.Type, reason: String? = nil) -> PostgresError {
        let shown = text.count > 64 ? String(text.prefix(64)) + "…" : text
        var message = "cannot decode \(String(reflecting: shown)) as \(type)"
        if let reason { message += ": \(reason)" }
        return PostgresError(kind: .decoding, message: message)
    }
}

extension String: PostgresDecodable {
    /// The text itself.
    public init(postgresText: String) { self = postgresText }
}

extension Int: PostgresDecodable {
    /// Reads decimal digits, as `int2`, `int4` and `int8` are output.
    public init(postgresText: String) throws {
        guard let value = Int(postgresText) else { throw PostgresError.invalidText(postgresText, for: Int.self) }
        self = value
    }
}

extension Int32: PostgresDecodable {
    /// Reads decimal digits, as `int2` and `int4` are output.
    public init(postgresText: String) throws {
        guard let value = Int32(postgresText) else { throw PostgresError.invalidText(postgresText, for: Int32.self) }
        self = value
    }
}

extension Int64: PostgresDecodable {
    /// Reads decimal digits, as `int2`, `int4` and `int8` are output.
    public init(postgresText: String) throws {
        guard let value = Int64(postgresText) else { throw PostgresError.invalidText(postgresText, for: Int64.self) }
        self = value
    }
}

extension Bool: PostgresDecodable {
    /// Reads `t` or `f`, as `boolean` is output; `true` and `false` are accepted too.
    public init(postgresText: String) throws {
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw PostgresError.invalidText(postgresText, for: Bool.self)
        }
    }
}

extension Double: PostgresDecodable {
    /// Reads `float4`, `float8` or `numeric` text, including `NaN`, `Infinity` and `-Infinity`.
    public init(postgresText: String) throws {
        switch postgresText {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            // Swift would also accept "inf" and "nan" spellings and hexadecimal; PostgreSQL never outputs them.
            guard let first = postgresText.utf8.first, first == UInt8(ascii: "-") || (48...57).contains(first),
                !postgresText.contains("x"), !postgresText.contains("X"),
                let value = Double(postgresText)
            else { throw PostgresError.invalidText(postgresText, for: Double.self) }
            self = value
        }
    }
}

extension Decimal: PostgresDecodable {
    /// Reads `numeric` text exactly, never going through `Double`.
    ///
    /// Accepts a plain decimal number (`-123.4500`); throws for `NaN`, `Infinity`, exponent
    /// notation, and values with more than 38 significant digits, which `Decimal` cannot hold
    /// without rounding.
    public init(postgresText: String) throws {
        let text = postgresText
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        for (offset, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where offset == 0:
                continue
            case UInt8(ascii: "."):
                guard !seenPoint else { throw PostgresError.invalidText(text, for: Decimal.self) }
                seenPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(byte)
                if seenPoint { fractionDigits += 1 }
            default:
                throw PostgresError.invalidText(text, for: Decimal.self)
            }
        }
        guard !digits.isEmpty else { throw PostgresError.invalidText(text, for: Decimal.self) }
        let zero = UInt8(ascii: "0")
        let firstSignificant = digits.firstIndex { $0 != zero }
        let lastSignificant = digits.lastIndex { $0 != zero }
        if let firstSignificant, let lastSignificant {
            let significantDigits = lastSignificant - firstSignificant + 1
            guard significantDigits <= 38 else {
                throw PostgresError.invalidText(text, for: Decimal.self, reason: "more than 38 significant digits")
            }
            let exponent = (digits.count - 1 - lastSignificant) - fractionDigits
            guard (-128...127).contains(exponent) else {
                throw PostgresError.invalidText(text, for: Decimal.self, reason: "exponent out of range")
            }
        }
        guard let value = Decimal(string: text, locale: nil), !value.isNaN else {
            throw PostgresError.invalidText(text, for: Decimal.self)
        }
        self = value
    }
}

extension Date: PostgresDecodable {
    /// Reads `timestamptz` text in the ISO date style, such as `2025-04-07 10:11:12.345678+00`.
    ///
    /// Accepts offsets like `+05:30`, `-03` and `+00:53:28`, `T` as the separator, and `BC`
    /// dates; throws for `infinity`, `-infinity` and timestamps without an offset
    /// (`timestamp without time zone`), whose instant is ambiguous.
    public init(postgresText: String) throws {
        self = try PostgresTimestamp.parse(postgresText)
    }
}

extension UUID: PostgresDecodable {
    /// Reads `uuid` text.
    public init(postgresText: String) throws {
        guard let value = UUID(uuidString: postgresText) else {
            throw PostgresError.invalidText(postgresText, for: UUID.self)
        }
        self = value
    }
}
