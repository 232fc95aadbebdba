/// PostgreSQL's text form of a one-dimensional `text[]`: `{"a",NULL,"b \"c\""}`.
///
/// Arrays travel as one parameter (`$1::text[]`) and come back as one column, so a list never has
/// to be joined with commas or split again (and an element holding a comma, a quote or `NULL`
/// stays itself). `[String]` and `[String?]` are ``PostgresEncodable`` and ``PostgresDecodable``
/// through it.
///
/// The grammar is the server's (`array_in`, `array_out`): elements between braces, separated by
/// commas; an element is either double-quoted, with a backslash before any character that is to
/// be taken literally (`"` and `\` at least), or bare, ending at the next comma or brace, where an
/// unquoted `NULL` (in any case) is SQL `NULL`. Whitespace around a bare element is not part of
/// it. An array whose lower bound is not 1 starts with its bounds, `[0:1]={a,b}`.
public enum PostgresTextArray {
    /// The array literal for `elements`: each one quoted and escaped, `nil` as `NULL`.
    public static func encode(_ elements: [String?]) -> String {
        var text = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { text.append(",") }
            guard let element else {
                text.append("NULL")
                continue
            }
            text.append("\"")
            for character in element.unicodeScalars {
                if character == "\\" || character == "\"" { text.append("\\") }
                text.unicodeScalars.append(character)
            }
            text.append("\"")
        }
        text.append("}")
        return text
    }

    /// The elements of a one-dimensional array literal, `nil` for each SQL `NULL`.
    ///
    /// - Throws: ``PostgresError`` of kind ``PostgresError/Kind/decoding`` when `text` is not an
    ///   array literal, or is one of more than one dimension.
    public static func decode(_ text: String) throws -> [String?] {
        var parser = Parser(bytes: Array(text.utf8), text: text)
        return try parser.parse()
    }

    /// Reads an array literal byte by byte (every character the grammar gives a meaning is ASCII,
    /// and no byte of a multi-byte UTF-8 character is).
    private struct Parser {
        let bytes: [UInt8]
        let text: String
        var index = 0

        static let openBrace = UInt8(ascii: "{")
        static let closeBrace = UInt8(ascii: "}")
        static let comma = UInt8(ascii: ",")
        static let quote = UInt8(ascii: "\"")
        static let backslash = UInt8(ascii: "\\")

        mutating func parse() throws -> [String?] {
            skipSpaces()
            if peek == UInt8(ascii: "[") {
                // Bounds such as [0:2]= come first when the lower bound is not 1.
                guard let equals = bytes[index...].firstIndex(of: UInt8(ascii: "=")) else {
                    throw invalid("bounds without '='")
                }
                index = equals + 1
                skipSpaces()
            }
            guard peek == Self.openBrace else { throw invalid("no opening brace") }
            index += 1
            var elements: [String?] = []
            skipSpaces()
            if peek == Self.closeBrace {
                index += 1
            } else {
                while true {
                    elements.append(try element())
                    skipSpaces()
                    guard let next = peek else { throw invalid("no closing brace") }
                    index += 1
                    if next == Self.closeBrace { break }
                    guard next == Self.comma else { throw invalid("unexpected character after an element") }
                }
            }
            skipSpaces()
            guard index == bytes.count else { throw invalid("text after the closing brace") }
            return elements
        }

        /// One element, quoted or bare.
        mutating func element() throws -> String? {
            skipSpaces()
            guard let first = peek else { throw invalid("no closing brace") }
            if first == Self.openBrace { throw invalid("arrays of more than one dimension are not supported") }
            var value: [UInt8] = []
            if first == Self.quote {
                index += 1
                while true {
                    guard var byte = peek else { throw invalid("unterminated quoted element") }
                    index += 1
                    if byte == Self.quote { break }
                    if byte == Self.backslash {
                        guard let escaped = peek else { throw invalid("unterminated quoted element") }
                        byte = escaped
                        index += 1
                    }
                    value.append(byte)
                }
                return String(decoding: value, as: UTF8.self)
            }
            var sawEscape = false
            var trailingSpaces = 0
            while let byte = peek, byte != Self.comma, byte != Self.closeBrace {
                index += 1
                if byte == Self.quote || byte == Self.openBrace { throw invalid("unexpected character in an element") }
                if byte == Self.backslash {
                    guard let escaped = peek else { throw invalid("no closing brace") }
                    index += 1
                    value.append(escaped)
                    sawEscape = true
                    trailingSpaces = 0
                } else {
                    value.append(byte)
                    trailingSpaces = Self.isSpace(byte) ? trailingSpaces + 1 : 0
                }
            }
            value.removeLast(trailingSpaces)
            if value.isEmpty { throw invalid("empty unquoted element") }
            let string = String(decoding: value, as: UTF8.self)
            if !sawEscape && string.lowercased() == "null" { return nil }
            return string
        }

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpaces() {
            while let byte = peek, Self.isSpace(byte) { index += 1 }
        }

        /// The characters `array_in` skips around elements (`scanner_isspace`).
        static func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
        }

        func invalid(_ reason: String) -> PostgresError {
            PostgresError.invalidText(text, for: [String?].self, reason: reason)
        }
    }
}

/// An element of an array in PostgreSQL's text form: `String`, `String?` where `NULL`s are allowed,
/// `Int` or `Int64` (send those as `$1::bigint[]`).
public protocol PostgresTextArrayElement {
    /// The element's text, `nil` for SQL `NULL`.
    var postgresArrayElement: String? { get }
    /// The element for an array element's text, `nil` for SQL `NULL`.
    init(postgresArrayElement: String?) throws
}

extension String: PostgresTextArrayElement {
    /// The string itself.
    public var postgresArrayElement: String? { self }

    /// The text; an SQL `NULL` is a decoding error, since a `String` cannot hold it.
    public init(postgresArrayElement: String?) throws {
        guard let text = postgresArrayElement else {
            throw PostgresError(kind: .decoding, message: "unexpected NULL element in an array of String")
        }
        self = text
    }
}

extension Optional: PostgresTextArrayElement where Wrapped == String {
    /// The string, or `nil` for SQL `NULL`.
    public var postgresArrayElement: String? { self }

    /// The text, or `nil` for SQL `NULL`.
    public init(postgresArrayElement: String?) { self = postgresArrayElement }
}

extension Int: PostgresTextArrayElement {
    /// The decimal digits.
    public var postgresArrayElement: String? { String(self) }

    /// Reads decimal digits; an SQL `NULL` is a decoding error.
    public init(postgresArrayElement: String?) throws {
        self = try Int(postgresText: try String(postgresArrayElement: postgresArrayElement))
    }
}

extension Int64: PostgresTextArrayElement {
    /// The decimal digits.
    public var postgresArrayElement: String? { String(self) }

    /// Reads decimal digits; an SQL `NULL` is a decoding error.
    public init(postgresArrayElement: String?) throws {
        self = try Int64(postgresText: try String(postgresArrayElement: postgresArrayElement))
    }
}

extension Array: PostgresEncodable where Element: PostgresTextArrayElement {
    /// The array literal; send it with a cast, such as `$1::text[]` or `$1::bigint[]`.
    public var postgresText: String { PostgresTextArray.encode(self.map(\.postgresArrayElement)) }
}

extension Array: PostgresDecodable where Element: PostgresTextArrayElement {
    /// Reads a one-dimensional array in PostgreSQL's text form, as a `text[]` (or `bigint[]`, …) column is output.
    public init(postgresText: String) throws {
        self = try PostgresTextArray.decode(postgresText).map(Element.init(postgresArrayElement:))
    }
}
