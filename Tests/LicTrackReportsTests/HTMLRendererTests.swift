import Foundation
import LicTrackCore
import LicTrackReports
import Testing

@testable import LicTrackReports

@Suite("HTML format")
struct HTMLRendererTests {
    @Test("well-formed XHTML-compatible HTML5, its SVGs included, parsed by Foundation's XMLParser")
    func wellFormed() throws {
        let html = try ReportRenderers.string(SampleDocuments.full, format: .html)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">"))
        let tree = try XMLTree.parse(html).get()
        #expect(tree.all("svg").count == 3)
        for svg in tree.all("svg") {
            #expect(svg.attributes["xmlns"] == "http://www.w3.org/2000/svg")
            #expect(svg.attributes["role"] == "img")
        }
        // Each chart: a <title>, axis labels, and a data table beside it.
        let titles = tree.all("title").filter { $0.path.last == "svg" }.map(\.text)
        #expect(
            titles == ["Aging of open applications", "Open backlog per authority", "Processing time per authority"])
        let axisLabels = tree.all("text").filter { $0.attributes["class"] == "axis-label" }.map(\.text)
        #expect(
            axisLabels == [
                "Authority", "Open applications", "Week ending", "Open applications", "Working days to decision",
                "Decisions",
            ])
        #expect(tree.all("table").filter { $0.attributes["class"] == "chart-data" }.count == 3)
        // The line chart: two series paths, 5 + 3 markers; the bar charts: 2 × 3 grouped bars, 4 + 3 stacked.
        #expect(tree.all("path").count == 2)
        #expect(tree.all("circle").count == 8)
        #expect(tree.all("rect").filter { $0.path.contains("g") && $0.attributes["width"] != "12" }.count == 13)
        // The main table's rows, the empty section's row saying so.
        let sections = tree.all("section")
        #expect(sections.map { $0.attributes["class"] } == ["supporting", "main", "supporting"])
        let dataTables = tree.all("table").filter { $0.attributes["class"] == "data" }
        #expect(dataTables.count == 3)
        #expect(tree.all("td").contains { $0.attributes["class"] == "empty" && $0.text == "No rows." })
        #expect(tree.all("td").contains { $0.attributes["class"] == "right critical" && $0.text == "12" })
        #expect(tree.all("td").contains { $0.text == "75.5%" })
        #expect(tree.all("h1").map(\.text) == ["Sample report"])
    }

    @Test("self-contained and printable: no scripts, no external references, an A4 page style")
    func selfContained() throws {
        let html = try ReportRenderers.string(SampleDocuments.full, format: .html)
        for forbidden in ["<script", "src=", "href=", "@import", "url(", "<link", "<img", "http://w", "https:"] {
            let allowedNamespaces = html.replacing("http://www.w3.org/1999/xhtml", with: "").replacing(
                "http://www.w3.org/2000/svg", with: "")
            #expect(!allowedNamespaces.contains(forbidden), "found \(forbidden)")
        }
        #expect(html.contains("@page { size: A4;"))
        #expect(html.contains("@media print"))
    }

    @Test("deterministic: the same document gives the same bytes")
    func deterministic() throws {
        let first = try ReportRenderers.string(SampleDocuments.full, format: .html)
        let second = try ReportRenderers.string(SampleDocuments.full, format: .html)
        #expect(first == second)
        #expect(!first.contains(Timestamp.iso8601(Date()).prefix(10)))
    }

    @Test("script, ampersands, quotes and </svg> from the database come out as inert text")
    func escaping() throws {
        let html = try ReportRenderers.string(SampleDocuments.hostileDocument, format: .html)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("\u{1B}"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot; &lt;/svg&gt;"))
        let tree = try XMLTree.parse(html).get()
        #expect(tree.all("script").isEmpty)
        #expect(tree.all("b").isEmpty)
        #expect(tree.all("svg").count == 1)
        let inert = SampleDocuments.hostile.replacing("\u{1B}", with: "\u{FFFD}")
        #expect(tree.all("td").map(\.text).contains(inert))
        #expect(tree.all("td").map(\.text).contains("</svg>"))
        #expect(tree.all("h1").map(\.text) == ["Title " + inert])
        #expect(tree.all("h2").map(\.text) == ["Section " + inert])
        #expect(tree.all("th").map(\.text).contains("Heading " + inert))
        #expect(tree.all("title").map(\.text).contains("Chart " + inert))
        #expect(tree.all("text").map(\.text).contains("X " + inert))
        #expect(tree.all("dd").map(\.text).contains("Value " + inert))
        #expect(tree.all("p").map(\.text).contains("Note " + inert))
    }

    @Test("table rows written directly are byte for byte what the Mustache rows template renders")
    func rowsMatchTemplate() {
        let hostileSection = SampleDocuments.hostileDocument.sections[0]
        for (rows, columns) in [
            (SampleDocuments.rows, SampleDocuments.columns), (hostileSection.table.rows, hostileSection.header.columns),
            (
                [[ReportCell.text("O'Brien <b> & \"Co\" \u{0}\u{85}\u{FFFF}"), .integer(Int64(1), tone: .good)]],
                hostileSection.header.columns
            ),
        ] {
            let direct = rows.map { HTMLRenderer.rowHTML($0, columns: columns) }.joined()
            #expect(direct == HTMLRenderer.templateRowsHTML(rows, columns: columns))
        }
        #expect(HTMLEscape.escape("<a href='x'>&\"</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;")
    }

    @Test("no template bypasses the escaping")
    func templatesEscape() {
        for template in HTMLTemplates.all {
            #expect(!template.contains("{{{"))
            #expect(!template.contains("{{&"))
            #expect(!template.contains("{{%"))
        }
    }

    @Test("an empty report keeps its headings and columns")
    func empty() throws {
        let document = ReportDocument(
            SampleDocuments.header,
            sections: [
                ReportSection(
                    "Open applications", columns: SampleDocuments.columns,
                    chart: ReportChart(.line, title: "Backlog", xLabel: "Week", yLabel: "Open", series: []))
            ])
        let tree = try XMLTree.parse(try ReportRenderers.string(document, format: .html)).get()
        #expect(tree.all("h2").map(\.text) == ["Open applications"])
        #expect(tree.all("th").suffix(8).map(\.text) == SampleDocuments.columns.map(\.title))
        #expect(tree.all("text").contains { $0.attributes["class"] == "empty" && $0.text == "No data" })
        #expect(tree.all("td").contains { $0.text == "No data." })
        #expect(tree.all("td").contains { $0.text == "No rows." })
    }
}
