/// A plain-text table with aligned columns, for terminals.
public struct TextTable {
    public var headers: [String]
    public var rows: [[String]] = []

    public init(_ headers: [String]) {
        self.headers = headers
    }

    public mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The table as lines, columns separated by two spaces, trailing blanks trimmed.
    public func rendered(indent: String = "") -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var text = indent
            for (index, cell) in cells.enumerated() {
                let flat = cell.replacing("\n", with: " ")
                text += index == cells.count - 1 ? flat : flat.padding(to: widths[index] + 2)
            }
            while text.last == " " { text.removeLast() }
            return text
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    /// The string followed by spaces up to `width` characters (unchanged when it is already that long).
    public func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
