import LicTrackCore
import Postgres

/// Imports applications, with their items and events, from a CSV or JSON-lines file, all or
/// nothing by default.
///
/// PostgreSQL does the parsing (`COPY ... FROM STDIN` into the staging table of migration 0022)
/// and the checking (`import_check()`, set-based); the good applications go in through the
/// normal tables and triggers (`import_apply()`). Everything happens in one transaction: a
/// failure, a bad row without `skipInvalid`, a dry run or a killed process leaves nothing behind.
public struct ImportStore {
    /// How to import.
    public struct Options: Sendable {
        public var format: ImportFormat
        /// The CSV field delimiter: `,` (the default), `;`, a tab or `|`.
        public var delimiter: Character
        /// Import the good applications and leave out those with a bad row.
        public var skipInvalid: Bool
        /// Check only; write nothing.
        public var dryRun: Bool
        /// The person recorded on the events that do not name one.
        public var actor: String?

        public init(
            format: ImportFormat, delimiter: Character = ",", skipInvalid: Bool = false, dryRun: Bool = false,
            actor: String? = nil
        ) {
            self.format = format
            self.delimiter = delimiter
            self.skipInvalid = skipInvalid
            self.dryRun = dryRun
            self.actor = actor
        }
    }

    /// The delimiters `--delimiter` accepts, with the literal the COPY statement names for each.
    public static let delimiters: [Character: String] = [",": "','", ";": "';'", "\t": "E'\\t'", "|": "'|'"]

    let connection: PostgresConnection

    /// The store on `database`.
    public init(_ database: Database) {
        self.init(connection: database.connection)
    }

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Imports the file that `read` returns chunk by chunk (`nil` at its end), named `name` in messages.
    ///
    /// `progress` is called with the bytes sent so far as they go. A file PostgreSQL cannot parse
    /// (a NUL byte, a row with the wrong number of fields, text that is not UTF-8, an unknown
    /// column) is an error of kind ``LicTrackError/Kind/invalidInput``; bad rows are not errors
    /// but ``ImportSummary/problems``, with nothing written unless `skipInvalid`.
    public func run(
        name: String, options: Options, read: () throws -> [UInt8]?, progress: (Int) -> Void = { _ in }
    ) throws -> ImportSummary {
        struct DryRun: Error { var summary: ImportSummary }
        do {
            return try LicTrackError.translating {
                try connection.transaction(maxAttempts: 1) { tx in
                    try ApplicationStore.setActor(options.actor, on: tx)
                    try tx.execute("select import_begin()")
                    let lines = try stage(on: tx, name: name, options: options, read: read, progress: progress)
                    let problems = try tx.query(
                        "select line, \"column\", value, reason from import_check($1::integer[])",
                        [lines.map(Self.integerArray)]
                    ).map { row in
                        ImportProblem(
                            line: try row.decode(Int.self, "line"), column: try row.decode(String.self, "column"),
                            value: try row.decodeIfPresent("value"), reason: try row.decode(String.self, "reason"))
                    }
                    let invalid = try tx.query("select count(distinct application) as n from import_errors")[0]
                        .decode(Int.self, "n")
                    var summary = ImportSummary(
                        applications: 0, items: 0, events: 0, problems: problems, invalidApplications: invalid,
                        written: false)
                    if !problems.isEmpty && !options.skipInvalid {
                        throw DryRun(summary: summary)
                    }
                    let counts = try tx.query("select * from import_apply()")[0]
                    summary.applications = try counts.decode(Int.self, "applications")
                    summary.items = try counts.decode(Int.self, "items")
                    summary.events = try counts.decode(Int.self, "events")
                    if options.dryRun { throw DryRun(summary: summary) }
                    summary.written = summary.applications > 0
                    return summary
                }
            }
        } catch let dryRun as DryRun {
            return dryRun.summary
        }
    }

    /// COPYs the file into the staging table; returns the line each CSV record starts on.
    private func stage(
        on tx: PostgresConnection, name: String, options: Options, read: () throws -> [UInt8]?,
        progress: (Int) -> Void
    ) throws -> [Int32]? {
        var scanner = ImportScanner(format: options.format)
        var pending = try read() ?? []
        // A byte order mark (Excel's "CSV UTF-8") is not part of the first column's name.
        if pending.starts(with: [0xEF, 0xBB, 0xBF]) { pending.removeFirst(3) }
        let sql: String
        switch options.format {
        case .csv:
            while !pending.contains(UInt8(ascii: "\n")), let more = try read() { pending += more }
            let columns = try csvColumns(header: pending, name: name, options: options, on: tx)
            let delimiter = Self.delimiters[options.delimiter] ?? "','"
            sql =
                "copy import_rows (" + columns.map { "\"\($0)\"" }.joined(separator: ", ")
                + ") from stdin with (format csv, header true, delimiter \(delimiter))"
        case .jsonl:
            sql = "copy import_lines (doc) from stdin with (format csv, delimiter E'\\x01', quote E'\\x02')"
        }
        var sent = 0
        do {
            try tx.copyIn(sql) { send in
                var chunk: [UInt8]? = pending
                while let bytes = chunk {
                    try bytes.withUnsafeBytes { buffer in
                        try scanner.scan(buffer)
                        try send(buffer)
                    }
                    sent += bytes.count
                    progress(sent)
                    chunk = try read()
                }
            }
        } catch let forbidden as ImportScanner.ForbiddenByte {
            throw LicTrackError(
                .invalidInput,
                "\(name) line \(forbidden.line): a \(Self.byteName(forbidden.byte)) byte, which no text field can hold",
                hint: forbidden.byte == 0
                    ? "is it UTF-16 or a spreadsheet's binary file? save it as CSV UTF-8"
                    : "escape it in JSON as \\u0001")
        } catch let error as PostgresError where error.kind == .server {
            throw Self.fileError(error, name: name, lines: scanner.recordLines)
        }
        if options.format == .jsonl { try tx.execute("select import_stage_jsonl()") }
        return options.format == .csv ? scanner.recordLines : nil
    }

    /// The header's column names, checked against `import_csv_columns()`.
    private func csvColumns(
        header bytes: [UInt8], name: String, options: Options, on tx: PostgresConnection
    ) throws -> [String] {
        let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        var line = String(decoding: bytes[..<end], as: UTF8.self)
        if line.hasSuffix("\r") { line.removeLast() }
        let known = try tx.query("select unnest(import_csv_columns()) as name").map {
            try $0.decode(String.self, "name")
        }
        if options.delimiter == ",", !line.contains(","), line.contains(";") {
            throw LicTrackError(
                .invalidInput,
                "\(name) line 1: the header is separated by semicolons (Excel's CSV in many European settings)",
                hint: "pass --delimiter ';', or save the sheet as \"CSV UTF-8 (comma delimited)\"")
        }
        let names = line.split(separator: options.delimiter, omittingEmptySubsequences: false).map {
            var column = $0.trimmed
            if column.count >= 2, column.hasPrefix("\""), column.hasSuffix("\"") {
                column = String(column.dropFirst().dropLast())
            }
            return column.trimmed.lowercased()
        }
        var seen: Set<String> = []
        for column in names {
            guard known.contains(column) else {
                throw LicTrackError(
                    .invalidInput, "\(name) line 1: unknown column \(LicTrackError.quoted(column))",
                    hint: "expected some of: \(known.joined(separator: ", "))")
            }
            guard seen.insert(column).inserted else {
                throw LicTrackError(.invalidInput, "\(name) line 1: the column \(column) appears twice")
            }
        }
        for required in ["authority", "applicant", "destination"] where !seen.contains(required) {
            throw LicTrackError(
                .invalidInput, "\(name) line 1: the header has no \(required) column",
                hint: "every application needs authority, applicant and destination")
        }
        return names
    }

    /// The error for a file PostgreSQL could not parse, at the line where it stopped.
    static func fileError(_ error: PostgresError, name: String, lines: [Int32]) -> LicTrackError {
        var place = name
        if let record = error.context.flatMap(Self.copyLine) {
            let line = record >= 1 && record <= lines.count ? Int(lines[record - 1]) : record
            place += " line \(line)"
        }
        let hint: String
        switch error.sqlState {
        case "22021": hint = "the file is not UTF-8 text: save it as CSV UTF-8"
        case "22P04": hint = "every row needs as many fields as the header, and quotes must be closed"
        default: hint = "check the file's format"
        }
        return LicTrackError(.invalidInput, "\(place): \(error.message)", hint: hint, sqlState: error.sqlState)
    }

    /// The line number in a COPY error's context (`COPY import_rows, line 3, column x: ...`).
    static func copyLine(_ context: String) -> Int? {
        guard let start = context.firstRange(of: ", line ")?.upperBound else { return nil }
        return Int(context[start...].prefix { $0.isASCII && $0.isNumber })
    }

    static func byteName(_ byte: UInt8) -> String {
        byte == 0 ? "NUL (0x00)" : "control (0x0\(byte))"
    }

    static func integerArray(_ values: [Int32]) -> String {
        "{" + values.map(String.init).joined(separator: ",") + "}"
    }
}
