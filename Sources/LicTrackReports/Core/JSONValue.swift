import LicTrackCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A JSON document with its keys in a fixed, documented order.
///
/// lictrack's JSON shapes are part of its interface (Docs/cli.md): keys appear in the
/// documented order, absent values are `null` rather than missing, and exact decimals are
/// strings so that no consumer turns 12345.67 into a binary float. Report figures that are
/// numbers by nature (a rate, a percentile) may be written as JSON numbers with ``decimal(_:)``
/// (exact, as PostgreSQL's `numeric` gave them) or ``number(_:)``.
public indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    /// An exact decimal written as a JSON number (`0.75`), digits as given.
    case decimal(ExactAmount)
    /// A floating-point number, in Swift's shortest round-trip form; `null` when not finite.
    case number(Double)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// The document as text, indented two spaces per level.
    public func rendered() -> String {
        var output = ""
        write(to: &output, indent: 0)
        return output
    }

    /// The document on one line, `{"key": value, ...}`: a line of JSON lines.
    public func compactRendered() -> String {
        var output = ""
        writeCompact(to: &output)
        return output
    }

    private func writeCompact(to output: inout String) {
        switch self {
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += ", " }
                value.writeCompact(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += ", " }
                JSONValue.writeString(key, to: &output)
                output += ": "
                value.writeCompact(to: &output)
            }
            output += "}"
        default: write(to: &output, indent: 0)
        }
    }

    /// Appends the value to `output` as if it started at `indent` spaces (used by streaming writers).
    func write(to output: inout String, indent: Int) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .string(let value): JSONValue.writeString(value, to: &output)
        case .decimal(let value): output += JSONValue.numberText(value)
        case .number(let value): output += value.isFinite ? JSONValue.numberText(value) : "null"
        case .array(let values):
            guard !values.isEmpty else {
                output += "[]"
                return
            }
            output += "[\n"
            for (index, value) in values.enumerated() {
                output += String(repeating: " ", count: indent + 2)
                value.write(to: &output, indent: indent + 2)
                output += index == values.count - 1 ? "\n" : ",\n"
            }
            output += String(repeating: " ", count: indent) + "]"
        case .object(let members):
            guard !members.isEmpty else {
                output += "{}"
                return
            }
            output += "{\n"
            for (index, (key, value)) in members.enumerated() {
                output += String(repeating: " ", count: indent + 2)
                JSONValue.writeString(key, to: &output)
                output += ": "
                value.write(to: &output, indent: indent + 2)
                output += index == members.count - 1 ? "\n" : ",\n"
            }
            output += String(repeating: " ", count: indent) + "}"
        }
    }

    static func writeString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case let s where s.value < 0x20:
                let hex = String(s.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    /// An exact amount as a JSON number: leading zeros dropped (`007.50` is `7.50`), `-0` kept as `0`.
    static func numberText(_ amount: ExactAmount) -> String {
        var text = Substring(amount.text)
        let negative = text.first == "-"
        if negative { text = text.dropFirst() }
        while text.count > 1, text.first == "0", text.dropFirst().first != "." { text = text.dropFirst() }
        let isZero = text.allSatisfy { $0 == "0" || $0 == "." }
        return (negative && !isZero ? "-" : "") + text
    }

    /// A finite double as a JSON number: integers without a fraction (`3`, not `3.0`).
    static func numberText(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

extension JSONValue {
    public init(_ value: String?) { self = value.map { .string($0) } ?? .null }
    public init(_ value: Int64?) { self = value.map { .int($0) } ?? .null }
    public init(_ value: Int?) { self = value.map { .int(Int64($0)) } ?? .null }
    public init(_ value: Bool?) { self = value.map { .bool($0) } ?? .null }
    public init(_ value: CivilDate?) { self = value.map { .string($0.description) } ?? .null }
    public init(_ value: ExactAmount?) { self = value.map { .string($0.text) } ?? .null }
    public init(_ value: Date?) { self = value.map { .string(Timestamp.iso8601($0)) } ?? .null }
    public init(_ values: [String]) { self = .array(values.map { .string($0) }) }
}
