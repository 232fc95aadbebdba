/// One column of a report table: its machine name, its heading, and how it lines up.
public struct ReportColumn: Sendable, Equatable {
    /// Horizontal alignment in the table, Markdown and HTML formats.
    public enum Alignment: String, Sendable, Equatable {
        case left
        case right
    }

    /// The kind of value the column holds; numbers are right-aligned unless told otherwise.
    public enum Kind: String, Sendable, Equatable {
        case text
        case integer
        case decimal
        case percentage
        case date
        case bool

        var defaultAlignment: Alignment {
            switch self {
            case .integer, .decimal, .percentage: return .right
            default: return .left
            }
        }
    }

    /// The `snake_case` name: the CSV header, and the JSON key a report uses for the same figure.
    public var key: String
    /// The heading people read (`Days overdue`).
    public var title: String
    public var kind: Kind
    public var alignment: Alignment

    public init(_ key: String, _ title: String, kind: Kind = .text, alignment: Alignment? = nil) {
        self.key = key
        self.title = title
        self.kind = kind
        self.alignment = alignment ?? kind.defaultAlignment
    }
}
