/// Comma-separated values as RFC 4180 describes them: a header line, quoted where needed.
public struct CSVWriter {
    public var headers: [String]
    public var rows: [[String]] = []

    public init(_ headers: [String]) {
        self.headers = headers
    }

    public mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The header and rows, each record ending in CRLF, the last one included (RFC 4180). Print it
    /// with `terminator: ""`.
    public func rendered() -> String {
        ([headers] + rows).map(CSVWriter.record).joined()
    }

    /// One record with its CRLF terminator, as RFC 4180 writes every record including the last.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// One field, in double quotes (quotes doubled) when it holds a comma, quote or line break.
    public static func field(_ value: String) -> String {
        guard
            value.utf8.contains(where: {
                $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n")
                    || $0 == UInt8(ascii: "\r")
            })
        else { return value }
        return "\"" + value.replacing("\"", with: "\"\"") + "\""
    }
}
