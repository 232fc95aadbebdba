import LicTrackCore
import LicTrackReports
import Testing

@Suite("Table format")
struct TableRendererTests {
    @Test("aligned columns: text left, numbers right, wide characters counted twice; no colour by default")
    func aligned() throws {
        let document = ReportDocument(
            SampleDocuments.header,
            sections: [
                ReportSection(
                    "Open applications",
                    columns: [
                        ReportColumn("id", "ID", kind: .integer), ReportColumn("applicant", "Applicant"),
                        ReportColumn("overdue", "Overdue", kind: .integer),
                    ],
                    rows: [[7, "宁波", 12], [10, "Acme", .null]])
            ])
        let text = try ReportRenderers.string(document, format: .table)
        #expect(!text.contains("\u{1B}"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            Array(lines.prefix(6)) == [
                "Sample report",
                "  As of:    2026-11-29",
                "  Filters:  authority MOFCOM, ECJU; control code 1C9",
                "  Period:   2026-01-01 to 2026-11-29",
                "Note: Percentiles are nearest-rank (percentile_disc): every figure is a value that was observed.",
                "",
            ])
        // "宁波" is four columns wide, like "Acme"; IDs and days are right-aligned.
        #expect(
            Array(lines.suffix(5)) == [
                "Open applications",
                "ID  APPLICANT  OVERDUE",
                " 7  宁波            12",
                "10  Acme             -",
                "",
            ])
    }

    @Test("colour only when asked: bold headings, red critical cells, and the padding outside the codes")
    func colour() throws {
        let document = ReportDocument(
            SampleDocuments.header,
            sections: [
                ReportSection(
                    "Late", columns: [ReportColumn("n", "N", kind: .integer)],
                    rows: [[.integer(Int64(5), tone: .critical)], [100]])
            ])
        let text = try ReportRenderers.string(document, format: .table, options: ReportRenderOptions(colour: true))
        #expect(text.contains("\u{1B}[1mLate\u{1B}[0m\n"))
        #expect(text.contains("\n  \u{1B}[1;31m5\u{1B}[0m\n100\n"))
    }

    @Test("control characters from the database cannot drive the terminal")
    func sanitised() throws {
        let text = try ReportRenderers.string(SampleDocuments.hostileDocument, format: .table)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("\u{FFFD}[31m"))
        #expect(text.contains("| pipe new line"))
    }

    @Test("an empty section keeps its title and headings")
    func empty() throws {
        let document = ReportDocument(
            SampleDocuments.header,
            sections: [ReportSection("Open applications", columns: [ReportColumn("id", "ID", kind: .integer)])])
        let text = try ReportRenderers.string(document, format: .table)
        #expect(text.hasSuffix("\nOpen applications\nID\n(No rows.)\n"))
    }
}
