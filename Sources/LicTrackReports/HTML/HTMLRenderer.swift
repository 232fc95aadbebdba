import Mustache

/// The `html` format: one self-contained page that opens in any browser and prints on A4.
///
/// No scripts, fonts, images or links to anything outside the file: the style sheet is inline and
/// each chart is inline SVG with a `<title>`, a `<desc>`, axis labels and a data table beside it
/// for screen readers. The page is written as it streams: the head and header at ``begin(_:)``,
/// each section's heading, chart and table head at ``beginSection(_:)``, rows in batches, and the
/// closing tags at the end. All of it goes through the Mustache templates in ``HTMLTemplates``,
/// which escape every value.
public struct HTMLRenderer: ReportRenderer {
    /// Rows rendered per template call: large enough to amortise the call, small enough to stream.
    static let batchSize = 256

    private let sink: any ReportSink
    private var header: ReportHeader?
    private var section: ReportSectionHeader?
    private var sectionCount = 0
    private var rowCount = 0
    private var pending: [[String: Any]] = []

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
        pending.append([
            "cells": zip(cells, section.columns).map { cell, column in
                [
                    "text": HTMLText.clean(cell.displayText),
                    "style": column.alignment.rawValue + (cell.tone == .normal ? "" : " " + cell.tone.rawValue),
                ]
            }
        ])
        if pending.count >= Self.batchSize { try flush() }
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
        try sink.write(render("rows", ["rows": pending]))
        pending.removeAll(keepingCapacity: true)
    }

    private func render(_ template: String, _ view: [String: Any]) -> String {
        guard let text = HTMLTemplates.library.render(view, withTemplate: template) else {
            preconditionFailure("no built-in template \(template)")
        }
        return text
    }
}
