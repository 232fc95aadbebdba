import LicTrackCore
import LicTrackReports
import Testing

@Suite("Markdown format")
struct MarkdownRendererTests {
    @Test("GitHub tables parse back, numbers right-aligned, one per section and chart")
    func tablesParseBack() throws {
        let text = try ReportRenderers.string(SampleDocuments.full, format: .md)
        #expect(text.hasPrefix("# Sample report\n\n- **As of:** 2026-11-29\n"))
        #expect(text.contains("- **Filters:** authority MOFCOM, ECJU; control\\_code 1C9\n") == false)
        #expect(text.contains("- **Filters:** authority MOFCOM, ECJU; control code 1C9\n"))
        #expect(text.contains("\n## Supply risk\n"))
        #expect(text.contains("\n## Processing time\n"))
        let tables = FormatParsers.markdownTables(text)
        // Supply risk: chart data + table; Open applications: chart data + table; Processing time: chart + table.
        #expect(tables.count == 6)
        let open = tables[3]
        #expect(
            open[0] == [
                "ID", "Authority", "Applicant", "Deadline", "Days overdue", "Within target", "RFIs per application",
                "Provisional",
            ])
        #expect(
            open[1] == ["3", "MOFCOM", "Ningbo Eastbay Magnetics Co., Ltd.", "2026-12-10", "0", "75.5%", "1.25", "no"])
        #expect(
            open[2] == ["6", "ECJU", "Müller & Söhne \"Präzision\" GmbH", "2026-11-13", "12", "100.0%", "0.50", "yes"])
        #expect(open[3] == ["7", "BAFA", "宁波东湾磁业有限公司", "-", "-", "-", "-", "-"])
        #expect(text.contains("| --: | :-- | :-- | :-- | --: | --: | --: | :-- |"))
        // The backlog chart's data: one row per week, BIS missing a week.
        #expect(tables[2][0] == ["Week ending", "MOFCOM", "BIS"])
        #expect(tables[2][3] == ["2026-11-15", "15", "-"])
        // The aging chart's data has a total per authority: 4 + 3 + 2 + 5 = 14.
        #expect(tables[0][1] == ["MOFCOM", "4", "3", "2", "5", "14"])
    }

    @Test("pipes, line breaks, markup and emphasis in data are escaped and read back unchanged")
    func escaping() throws {
        let text = try ReportRenderers.string(SampleDocuments.hostileDocument, format: .md)
        let tables = FormatParsers.markdownTables(text)
        let rows = try #require(tables.last)
        let expected = SampleDocuments.hostile.replacing("\u{1B}", with: "\u{FFFD}")
        #expect(rows[1] == [expected, "1"])
        #expect(rows[2] == ["</svg>", "2"])
        #expect(!text.contains("<script>"))
        #expect(!text.contains(" | pipe"))
        #expect(!text.contains("\u{1B}"))
        #expect(MarkdownText.escaped("under_review") == "under_review")
        #expect(
            MarkdownText.escaped("_x_ *y* `z` [l](u) &amp; a & b ~s~")
                == "\\_x\\_ \\*y\\* \\`z\\` \\[l\\](u) \\&amp; a & b \\~s\\~")
        #expect(MarkdownText.escapedLine("# not a heading") == "\\# not a heading")
    }

    @Test("an empty section keeps its heading and columns")
    func emptySection() throws {
        let document = ReportDocument(
            SampleDocuments.header,
            sections: [
                ReportSection("Open applications", columns: SampleDocuments.columns, emptyText: "Nothing is open.")
            ])
        let text = try ReportRenderers.string(document, format: .md)
        #expect(text.contains("## Open applications\n"))
        #expect(FormatParsers.markdownTables(text) == [[SampleDocuments.columns.map(\.title)]])
        #expect(text.hasSuffix("_Nothing is open._\n"))
    }
}
