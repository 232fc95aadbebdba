/// The `csv` format: RFC 4180, one table, CRLF after every record including the last.
///
/// A report's CSV is its main section only (``ReportSection/Role/main``): one header row of the
/// columns' `snake_case` keys, then one record per row. Supporting sections (summaries, extracts)
/// are views of the same data and are left out, so the file loads into a spreadsheet or a
/// database as one table. Values are exact: percentages are ratios (`0.75`), absent values empty
/// fields, booleans `true`/`false`. `excel` writes a UTF-8 byte order mark first, so that Excel
/// shows "Müller & Söhne" rather than mojibake.
public struct CSVRenderer: ReportRenderer {
    private let sink: any ReportSink
    private let excel: Bool
    private var writing = false
    private var wroteMain = false

    public init(sink: any ReportSink, excel: Bool = false) {
        self.sink = sink
        self.excel = excel
    }

    public mutating func begin(_ header: ReportHeader) throws {
        if excel { try sink.write("\u{FEFF}") }
    }

    public mutating func beginSection(_ section: ReportSectionHeader) throws {
        writing = section.role == .main && !wroteMain
        guard writing else { return }
        wroteMain = true
        try sink.write(CSVWriter.record(section.columns.map(\.key)))
    }

    public mutating func row(_ cells: [ReportCell]) throws {
        guard writing else { return }
        try sink.write(CSVWriter.record(cells.map(\.csvText)))
    }

    public mutating func endSection() throws {
        writing = false
    }

    public mutating func finish() throws {}
}
