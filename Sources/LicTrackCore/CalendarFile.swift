/// One day of a working-day calendar.
public struct CalendarDay: Sendable, Equatable, Codable {
    public var date: CivilDate
    public var working: Bool
    public var name: String?

    public init(date: CivilDate, working: Bool, name: String? = nil) {
        self.date = date
        self.working = working
        self.name = name
    }
}

/// The CSV format `lictrack calendar import` reads: `date,working,name`, one row per day.
///
/// `working` is true/false (also 1/0, yes/no, y/n, t/f); `name` is optional and may be quoted
/// (RFC 4180). The rows must cover a contiguous range of days; the database checks that.
public enum CalendarFile {
    /// Why a calendar file was refused, with its line number.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses the whole file, or throws the first problem found.
    public static func parse(_ text: String) throws -> [CalendarDay] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        while lines.last?.trimmed.isEmpty == true { lines.removeLast() }
        guard let header = lines.first else { throw Problem(line: 1, message: "the file is empty") }
        let columns = try fields(header.hasPrefix("\u{FEFF}") ? String(header.dropFirst()) : header, line: 1)
            .map { $0.trimmed.lowercased() }
        guard columns.count >= 2, columns[0] == "date", columns[1] == "working",
            columns.count == 2 || (columns.count == 3 && columns[2] == "name")
        else {
            throw Problem(line: 1, message: "the header must be date,working,name")
        }
        var days: [CalendarDay] = []
        for (offset, line) in lines.enumerated().dropFirst() {
            let number = offset + 1
            if line.trimmed.isEmpty { continue }
            let values = try fields(line, line: number)
            guard values.count == columns.count || (values.count == 2 && columns.count == 3) else {
                throw Problem(line: number, message: "expected \(columns.count) fields, found \(values.count)")
            }
            guard let date = CivilDate(iso8601: values[0].trimmed) else {
                throw Problem(
                    line: number, message: "\(EchoedText.quoted(values[0])) is not a date in the form YYYY-MM-DD")
            }
            guard let working = boolean(values[1].trimmed) else {
                throw Problem(line: number, message: "\(EchoedText.quoted(values[1])) is not true or false")
            }
            let name = values.count > 2 ? values[2].trimmed : ""
            if BlankText.containsNul(name) {
                throw Problem(
                    line: number,
                    message: "the name \(EchoedText.quoted(name)) holds a NUL character (expected text without one)")
            }
            days.append(CalendarDay(date: date, working: working, name: name.isEmpty ? nil : name))
        }
        guard !days.isEmpty else { throw Problem(line: 2, message: "the file has no days") }
        return days
    }

    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "t", "1", "yes", "y": return true
        case "false", "f", "0", "no", "n": return false
        default: return nil
        }
    }

    /// Splits one CSV line into fields, honouring double quotes.
    static func fields(_ line: String, line number: Int) throws -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if quoted {
                if character == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex && line[next] == "\"" {
                        current.append("\"")
                        index = next
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" && current.isEmpty {
                quoted = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
            index = line.index(after: index)
        }
        if quoted { throw Problem(line: number, message: "unterminated quoted field") }
        fields.append(current)
        return fields
    }
}
