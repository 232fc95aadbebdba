import Foundation

/// Parsers that read each format back, independent of the code that wrote it.
enum FormatParsers {
    /// RFC 4180: records of fields, quoted fields may hold commas, quotes (doubled) and line breaks.
    /// Fails on a record that does not end with CRLF or a stray quote.
    static func csv(_ text: String) throws -> [[String]] {
        struct Malformed: Error, CustomStringConvertible {
            var description: String
        }
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var fieldStarted = false
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if scalars.first == "\"" {
                        scalars.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard !fieldStarted, field.isEmpty else { throw Malformed(description: "stray quote in \(field)") }
                quoted = true
                fieldStarted = true
            case ",":
                record.append(field)
                field = ""
                fieldStarted = false
            case "\r":
                guard scalars.popFirst() == "\n" else { throw Malformed(description: "CR without LF") }
                record.append(field)
                records.append(record)
                record = []
                field = ""
                fieldStarted = false
            case "\n":
                throw Malformed(description: "bare LF after \(record)")
            default:
                field.unicodeScalars.append(scalar)
                fieldStarted = true
            }
        }
        guard record.isEmpty, field.isEmpty, !quoted else {
            throw Malformed(description: "the last record does not end with CRLF: \(record + [field])")
        }
        return records
    }

    /// The GitHub-flavoured Markdown tables in `text`: each a list of rows of unescaped cells
    /// (header first, the alignment row left out), split at unescaped pipes.
    static func markdownTables(_ text: String) -> [[[String]]] {
        var tables: [[[String]]] = []
        var current: [[String]] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                if !current.isEmpty { tables.append(current) }
                current = []
                continue
            }
            let cells = markdownCells(String(line))
            if cells.allSatisfy({ $0 == ":--" || $0 == "--:" }) { continue }
            current.append(cells)
        }
        if !current.isEmpty { tables.append(current) }
        return tables
    }

    /// One table row's cells, unescaped: `\X` is X, `<br>` a line break.
    static func markdownCells(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var characters = Array(line.dropFirst())[...]
        while let character = characters.popFirst() {
            if character == "\\", let next = characters.popFirst() {
                cell.append(next)
            } else if character == "|" {
                cells.append(cell)
                cell = ""
            } else if character == "<", characters.starts(with: "br>") {
                characters.removeFirst(3)
                cell.append("\n")
            } else {
                cell.append(character)
            }
        }
        return cells.map { String($0.dropFirst().dropLast()) }
    }
}
