/// Comma-separated values as RFC 4180 describes them: a header line, quoted where needed.
struct CSVWriter {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: [String]) {
        self.headers = headers
    }

    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    func rendered() -> String {
        ([headers] + rows).map { $0.map(CSVWriter.field).joined(separator: ",") }.joined(separator: "\r\n")
    }

    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacing("\"", with: "\"\"") + "\""
    }
}
