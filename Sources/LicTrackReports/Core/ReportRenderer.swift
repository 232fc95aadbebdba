/// Writes a report document in one format, as a stream: header, then each section and its rows.
///
/// Every renderer takes the same calls in the same order: ``begin(_:)`` once, then for each
/// section ``beginSection(_:)``, ``row(_:)`` per row and ``endSection()``, then ``finish()``.
/// Renderers that can stream (CSV, Markdown, HTML) write each row as it comes, so a report of
/// 100,000 applications needs no more memory than one of ten; the text table waits for a section's
/// last row to know its column widths.
public protocol ReportRenderer {
    mutating func begin(_ header: ReportHeader) throws
    mutating func beginSection(_ section: ReportSectionHeader) throws
    /// One row: one cell per column of the current section.
    mutating func row(_ cells: [ReportCell]) throws
    mutating func endSection() throws
    mutating func finish() throws
}

extension ReportRenderer {
    /// Writes a whole document.
    public mutating func render(_ document: ReportDocument) throws {
        try begin(document.header)
        for section in document.sections {
            try beginSection(section.header)
            for row in section.table.rows { try self.row(row) }
            try endSection()
        }
        try finish()
    }
}

/// Options that change how a report is written.
public struct ReportRenderOptions: Sendable, Equatable {
    /// ANSI colours in the table format (only for a terminal, and never with `NO_COLOR`).
    public var colour: Bool
    /// A UTF-8 byte order mark before CSV, so that Excel reads it as UTF-8 (`--excel`).
    public var excel: Bool

    public init(colour: Bool = false, excel: Bool = false) {
        self.colour = colour
        self.excel = excel
    }
}

/// The renderer for each format except JSON, which each report writes itself with ``ReportJSONWriter``.
public enum ReportRenderers {
    /// A renderer for `format` writing to `sink`; `nil` for ``ReportFormat/json``.
    public static func make(
        _ format: ReportFormat, options: ReportRenderOptions = ReportRenderOptions(), sink: any ReportSink
    ) -> (any ReportRenderer)? {
        switch format {
        case .table: return TableRenderer(sink: sink, colour: options.colour)
        case .csv: return CSVRenderer(sink: sink, excel: options.excel)
        case .md: return MarkdownRenderer(sink: sink)
        case .html: return HTMLRenderer(sink: sink)
        case .json: return nil
        }
    }

    /// A whole document in `format` (not JSON) as a string; for tests and small reports.
    public static func string(
        _ document: ReportDocument, format: ReportFormat, options: ReportRenderOptions = ReportRenderOptions()
    ) throws -> String {
        let sink = StringSink()
        guard var renderer = make(format, options: options, sink: sink) else {
            preconditionFailure("JSON is written by each report with ReportJSONWriter")
        }
        try renderer.render(document)
        return sink.text
    }
}
