import Mustache

/// The `html` format: one self-contained page that opens in any browser and prints on A4.
///
/// No scripts, fonts, images or links to anything outside the file: the style sheet is inline and
/// each chart is inline SVG with a `<title>`, a `<desc>`, axis labels and a data table beside it
/// for screen readers. The page is written as it streams: the head and header at ``begin(_:)``,
/// each section's heading, chart and table head at ``beginSection(_:)``, rows in batches, and the
/// closing tags at the end. All of it goes through the Mustache templates in ``HTMLTemplates``,
/// which escape every value, except the table rows: those are written by ``rowHTML(_:columns:)``
/// with ``HTMLEscape``, which a test holds to the `rows` template's output byte for byte, because
/// Mustache is too slow for 100,000 rows.
public struct HTMLRenderer: ReportRenderer {
    /// Rows written per write to the sink: large enough to amortise the call, small enough to stream.
    static let batchSize = 256

    private let sink: any ReportSink
    private var header: ReportHeader?
    private var section: ReportSectionHeader?
    private var sectionCount = 0
    private var rowCount = 0
    private var pending = ""
    private var pendingRows = 0

    public init(sink: any ReportSink) {
        self.sink = sink
    }

    public mutating func begin(_ header: ReportHeader) throws {
        self.header = header
        let view: [String: Any] = [
            "title": HTMLText.clean(header.title), "asOf": header.asOf.description,
            "filters": HTMLText.clean(header.filterText),
            "parameters": header.parameters.map {
                ["label": HTMLText.clean($0.label), "value": HTMLText.clean($0.value)]
            },
            "notes": header.notes.map(HTMLText.clean),
        ]
        try sink.write(render("start", view))
    }

    public mutating func beginSection(_ section: ReportSectionHeader) throws {
        sectionCount += 1
        rowCount = 0
        self.section = section
        let id = "section-\(sectionCount)"
        var view: [String: Any] = [
            "id": id, "role": section.role.rawValue, "title": HTMLText.clean(section.title),
            "hasNote": section.note != nil, "note": HTMLText.clean(section.note ?? ""),
            "columns": section.columns.map { ["title": HTMLText.clean($0.title), "align": $0.alignment.rawValue] },
        ]
        if let chart = section.chart?.cleanedForHTML {
            var chartView = SVGChart(chart: chart, id: id + "-chart").view()
            let data = ChartDataTable(chart)
            chartView["dataHeadings"] = data.headings
            chartView["dataRows"] = data.rows.map { ["cells": $0] }
            chartView["dataColumnCount"] = String(data.headings.count)
            view["chart"] = chartView
        }
        try sink.write(render("section", view))
    }

    public mutating func row(_ cells: [ReportCell]) throws {
        guard let section else { preconditionFailure("row() outside a section") }
        rowCount += 1
        pending += Self.rowHTML(cells, columns: section.columns)
        pendingRows += 1
        if pendingRows >= Self.batchSize { try flush() }
    }

    /// One table row as the `rows` template renders it, every value escaped by ``HTMLEscape``.
    static func rowHTML(_ cells: [ReportCell], columns: [ReportColumn]) -> String {
        var html = "<tr>"
        for (cell, column) in zip(cells, columns) {
            html += "<td class=\""
            html += HTMLEscape.escape(cellStyle(cell, column))
            html += "\">"
            html += HTMLEscape.escape(HTMLText.clean(cell.displayText))
            html += "</td>"
        }
        return html + "</tr>\n"
    }

    /// The cell's class: its column's alignment, then its tone unless normal (`right critical`).
    static func cellStyle(_ cell: ReportCell, _ column: ReportColumn) -> String {
        column.alignment.rawValue + (cell.tone == .normal ? "" : " " + cell.tone.rawValue)
    }

    /// The rows through the `rows` Mustache template: the reference ``rowHTML(_:columns:)`` is tested against.
    static func templateRowsHTML(_ rows: [[ReportCell]], columns: [ReportColumn]) -> String {
        let view: [String: Any] = [
            "rows": rows.map { cells in
                [
                    "cells": zip(cells, columns).map { cell, column in
                        ["text": HTMLText.clean(cell.displayText), "style": cellStyle(cell, column)]
                    }
                ]
            }
        ]
        return HTMLTemplates.library.render(view, withTemplate: "rows") ?? ""
    }

    public mutating func endSection() throws {
        guard let section else { preconditionFailure("endSection() without beginSection()") }
        try flush()
        let end: [String: Any] = [
            "empty": rowCount == 0, "emptyText": HTMLText.clean(section.emptyText),
            "columnCount": String(max(section.columns.count, 1)),
        ]
        try sink.write(render("end", ["sectionEnd": end]))
        self.section = nil
    }

    public mutating func finish() throws {
        guard let header else { preconditionFailure("finish() without begin()") }
        try sink.write(
            render("end", ["documentEnd": ["name": HTMLText.clean(header.name), "asOf": header.asOf.description]]))
    }

    private mutating func flush() throws {
        guard !pending.isEmpty else { return }
        try sink.write(pending)
        pending = ""
        pendingRows = 0
    }

    private func render(_ template: String, _ view: [String: Any]) -> String {
        guard let text = HTMLTemplates.library.render(view, withTemplate: template) else {
            preconditionFailure("no built-in template \(template)")
        }
        return text
    }
}
