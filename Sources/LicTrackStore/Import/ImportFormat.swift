/// The file formats `lictrack app import` reads and `lictrack app export` writes.
public enum ImportFormat: String, CaseIterable, Sendable {
    /// RFC 4180 CSV with a header row naming its columns (`import_csv_columns()` in SQL).
    case csv
    /// One JSON object per line, in the shape of `app create --from-file` plus `"events"`.
    case jsonl

    /// The format a file name suggests: `.jsonl`, `.ndjson` and `.json` are JSON lines, anything else CSV.
    public static func guess(fromPath path: String) -> ImportFormat {
        let lower = path.lowercased()
        return lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") ? .jsonl : .csv
    }
}

/// One bad row of an import: where it is, what it holds and why it was refused.
public struct ImportProblem: Sendable, Equatable {
    /// The line in the file where the row starts (1 is a CSV's header).
    public var line: Int
    /// The column as the file names it: a CSV header name, or a JSON key path such as `items[0].value`.
    public var column: String
    /// The value as given; `nil` when the field was empty.
    public var value: String?
    /// Why it was refused.
    public var reason: String

    public init(line: Int, column: String, value: String?, reason: String) {
        self.line = line
        self.column = column
        self.value = value
        self.reason = reason
    }
}

/// What an import did, or would do with `dryRun`.
public struct ImportSummary: Sendable, Equatable {
    /// Applications, items and events written (or, in a dry run, that would be).
    public var applications: Int
    public var items: Int
    public var events: Int
    /// Every bad row, by line.
    public var problems: [ImportProblem]
    /// The number of applications the file holds that had a bad row.
    public var invalidApplications: Int
    /// Whether anything was committed.
    public var written: Bool
}
