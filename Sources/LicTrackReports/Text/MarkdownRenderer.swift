/// The `md` format: GitHub-flavoured Markdown, for a ticket, a wiki page or an e-mail.
///
/// The report's title is a level-1 heading, followed by a list of the day, the filters and the
/// parameters, and the notes as a quotation. Each section is a level-2 heading, its note, its
/// chart's data as a small table (a Markdown reader cannot draw the chart), and its table with
/// numbers right-aligned. Everything from the database is escaped (``MarkdownText``).
public struct MarkdownRenderer: ReportRenderer {
    private let sink: any ReportSink
    private var section: ReportSectionHeader?
    private var rowCount = 0

    public init(sink: any ReportSink) {
        self.sink = sink
    }

    public mutating func begin(_ header: ReportHeader) throws {
        var lines = ["# " + MarkdownText.escapedLine(header.title), ""]
        lines.append("- **As of:** " + header.asOf.description)
        lines.append("- **Filters:** " + MarkdownText.escaped(header.filterText))
        for parameter in header.parameters {
            lines.append(
                "- **" + MarkdownText.escaped(parameter.label) + ":** " + MarkdownText.escaped(parameter.value))
        }
        if !header.notes.isEmpty {
            lines.append("")
            lines += header.notes.map { "> " + MarkdownText.escapedLine($0) }.joined(separator: "\n>\n")
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        try sink.write(lines.joined(separator: "\n") + "\n")
    }

    public mutating func beginSection(_ section: ReportSectionHeader) throws {
        self.section = section
        rowCount = 0
        var lines = ["", "## " + MarkdownText.escapedLine(section.title), ""]
        if let note = section.note { lines += [MarkdownText.escapedLine(note), ""] }
        if let chart = section.chart {
            lines.append("**" + MarkdownText.escaped(chart.title) + "**")
            lines.append("")
            let data = ChartDataTable(chart)
            lines.append(Self.row(data.headings))
            lines.append(Self.row(data.headings.indices.map { $0 == 0 ? ":--" : "--:" }, escape: false))
            lines += data.rows.map { Self.row($0) }
            if data.rows.isEmpty { lines += ["", "_No data._"] }
            lines.append("")
        }
        lines.append(Self.row(section.columns.map(\.title)))
        lines.append(Self.row(section.columns.map { $0.alignment == .right ? "--:" : ":--" }, escape: false))
        try sink.write(lines.joined(separator: "\n") + "\n")
    }

    public mutating func row(_ cells: [ReportCell]) throws {
        rowCount += 1
        try sink.write(Self.row(cells.map(\.displayText)) + "\n")
    }

    public mutating func endSection() throws {
        guard let section else { preconditionFailure("endSection() without beginSection()") }
        if rowCount == 0 { try sink.write("\n_" + MarkdownText.escaped(section.emptyText) + "_\n") }
        self.section = nil
    }

    public mutating func finish() throws {}

    static func row(_ cells: [String], escape: Bool = true) -> String {
        "| " + cells.map { escape ? MarkdownText.escaped($0) : $0 }.joined(separator: " | ") + " |"
    }
}
