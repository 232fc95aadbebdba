import LicTrackCore

/// One typed value in a report table.
///
/// The type decides how each format writes it: numbers right-aligned in text, percentages as
/// `75.0%` for people but as the exact ratio (`0.75`) in CSV, dates as `YYYY-MM-DD` everywhere,
/// and a missing value as `-` for people and an empty field in CSV.
public struct ReportCell: Sendable, Equatable {
    /// The value and its type.
    public enum Value: Sendable, Equatable {
        case text(String)
        case integer(Int64)
        /// An exact decimal, as PostgreSQL's `numeric` gave it (`1.25`).
        case decimal(ExactAmount)
        /// A ratio where 1 is 100% (`0.755` is shown as `75.5%`).
        case percentage(ExactAmount)
        case date(CivilDate)
        case bool(Bool)
        case null
    }

    /// How much attention a value asks for: coloured on a terminal, styled in HTML.
    public enum Tone: String, Sendable, Equatable, CaseIterable {
        case normal
        case good
        case warning
        case critical
    }

    public var value: Value
    public var tone: Tone

    public init(_ value: Value, tone: Tone = .normal) {
        self.value = value
        self.tone = tone
    }

    public static func text(_ text: String?, tone: Tone = .normal) -> ReportCell {
        ReportCell(text.map { .text($0) } ?? .null, tone: tone)
    }

    public static func integer(_ value: Int64?, tone: Tone = .normal) -> ReportCell {
        ReportCell(value.map { .integer($0) } ?? .null, tone: tone)
    }

    public static func integer(_ value: Int?, tone: Tone = .normal) -> ReportCell {
        integer(value.map { Int64($0) }, tone: tone)
    }

    public static func decimal(_ value: ExactAmount?, tone: Tone = .normal) -> ReportCell {
        ReportCell(value.map { .decimal($0) } ?? .null, tone: tone)
    }

    public static func percentage(_ ratio: ExactAmount?, tone: Tone = .normal) -> ReportCell {
        ReportCell(ratio.map { .percentage($0) } ?? .null, tone: tone)
    }

    public static func date(_ value: CivilDate?, tone: Tone = .normal) -> ReportCell {
        ReportCell(value.map { .date($0) } ?? .null, tone: tone)
    }

    public static func bool(_ value: Bool?, tone: Tone = .normal) -> ReportCell {
        ReportCell(value.map { .bool($0) } ?? .null, tone: tone)
    }

    public static let null = ReportCell(.null)

    /// The value as people read it (table, Markdown, HTML): `-` when absent, percentages with one decimal.
    public var displayText: String {
        switch value {
        case .text(let text): return text
        case .integer(let value): return String(value)
        case .decimal(let value): return value.text
        case .percentage(let ratio): return DecimalText.percent(ratio, fractionDigits: 1)
        case .date(let date): return date.description
        case .bool(let value): return value ? "yes" : "no"
        case .null: return "-"
        }
    }

    /// The value as CSV writes it: exact, machine-readable, empty when absent.
    public var csvText: String {
        switch value {
        case .text(let text): return text
        case .integer(let value): return String(value)
        case .decimal(let value): return JSONValue.numberText(value)
        case .percentage(let ratio): return JSONValue.numberText(ratio)
        case .date(let date): return date.description
        case .bool(let value): return value ? "true" : "false"
        case .null: return ""
        }
    }

    /// Whether the value is a number (so right-aligned by default).
    public var isNumeric: Bool {
        switch value {
        case .integer, .decimal, .percentage: return true
        default: return false
        }
    }
}

extension ReportCell: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self.init(.text(value))
    }
}

extension ReportCell: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) {
        self.init(.integer(value))
    }
}
