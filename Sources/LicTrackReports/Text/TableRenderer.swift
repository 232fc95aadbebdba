/// The `table` format: aligned text for a terminal.
///
/// The header lines name the report, the day, the filters and the parameters; each section is its
/// title, its note and an aligned table with upper-case headings, numbers right-aligned. A section
/// is printed when its last row has come, because column widths depend on every row. With
/// `colour` (only ever on a terminal, never with `NO_COLOR` or `--output`) headings are bold and
/// cells coloured by tone: good green, warning yellow, critical red.
public struct TableRenderer: ReportRenderer {
    private let sink: any ReportSink
    private let colour: Bool
    private var section: ReportSectionHeader?
    private var rows: [[String]] = []
    private var tones: [[ReportCell.Tone]] = []

    public init(sink: any ReportSink, colour: Bool = false) {
        self.sink = sink
        self.colour = colour
    }

    public mutating func begin(_ header: ReportHeader) throws {
        var lines = [style(TerminalText.sanitized(header.title), bold: true)]
        var facts = [("As of", header.asOf.description), ("Filters", header.filterText)]
        facts += header.parameters.map { ($0.label, $0.value) }
        let width = facts.map { TerminalText.width(TerminalText.sanitized($0.0)) }.max() ?? 0
        for (label, value) in facts {
            let label = TerminalText.sanitized(label) + ":"
            lines.append("  " + pad(label, to: width + 3) + TerminalText.sanitized(value))
        }
        for note in header.notes { lines.append("Note: " + TerminalText.sanitized(note)) }
        try sink.write(lines.joined(separator: "\n") + "\n")
    }

    public mutating func beginSection(_ section: ReportSectionHeader) throws {
        self.section = section
        rows = []
        tones = []
    }

    public mutating func row(_ cells: [ReportCell]) throws {
        rows.append(cells.map { TerminalText.sanitized($0.displayText) })
        tones.append(cells.map(\.tone))
    }

    public mutating func endSection() throws {
        guard let section else { preconditionFailure("endSection() without beginSection()") }
        var lines = ["", style(TerminalText.sanitized(section.title), bold: true)]
        if let note = section.note { lines.append(TerminalText.sanitized(note)) }
        let headings = section.columns.map { TerminalText.sanitized($0.title).uppercased() }
        var widths = headings.map(TerminalText.width)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], TerminalText.width(cell)) }
        }
        let alignments = section.columns.map(\.alignment)
        lines.append(line(headings, widths: widths, alignments: alignments, tones: nil, bold: true))
        for (row, tones) in zip(rows, tones) {
            lines.append(line(row, widths: widths, alignments: alignments, tones: tones, bold: false))
        }
        if rows.isEmpty { lines.append("(" + TerminalText.sanitized(section.emptyText) + ")") }
        try sink.write(lines.joined(separator: "\n") + "\n")
        self.section = nil
        rows = []
        tones = []
    }

    public mutating func finish() throws {}

    private func line(
        _ cells: [String], widths: [Int], alignments: [ReportColumn.Alignment], tones: [ReportCell.Tone]?, bold: Bool
    ) -> String {
        var text = ""
        for (index, cell) in cells.enumerated() {
            let gap = widths[index] - TerminalText.width(cell)
            let last = index == cells.count - 1
            let left = alignments[index] == .right ? String(repeating: " ", count: gap) : ""
            let right = alignments[index] == .right || last ? "" : String(repeating: " ", count: gap)
            let styled = bold ? style(cell, bold: true) : style(cell, tone: tones?[index] ?? .normal)
            text += left + styled + right + (last ? "" : "  ")
        }
        while text.last == " " { text.removeLast() }
        return text
    }

    private func pad(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - TerminalText.width(text)))
    }

    private func style(_ text: String, bold: Bool = false, tone: ReportCell.Tone = .normal) -> String {
        guard colour, !text.isEmpty else { return text }
        let code: String
        switch (bold, tone) {
        case (true, _): code = "1"
        case (false, .normal): return text
        case (false, .good): code = "32"
        case (false, .warning): code = "33"
        case (false, .critical): code = "1;31"
        }
        return "\u{1B}[" + code + "m" + text + "\u{1B}[0m"
    }
}
