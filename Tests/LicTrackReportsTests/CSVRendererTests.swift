import Foundation
import LicTrackCore
import LicTrackReports
import Testing

@Suite("CSV format")
struct CSVRendererTests {
    @Test("RFC 4180: the main section only, CRLF after every record, quoting where needed")
    func mainSectionParsesBack() throws {
        let text = try ReportRenderers.string(SampleDocuments.full, format: .csv)
        #expect(text.hasSuffix("\r\n"))
        #expect(!text.hasPrefix("\u{FEFF}"))
        let records = try FormatParsers.csv(text)
        #expect(
            records == [
                [
                    "id", "authority", "applicant", "deadline", "overdue", "within_target", "rfis_per_application",
                    "provisional",
                ],
                ["3", "MOFCOM", "Ningbo Eastbay Magnetics Co., Ltd.", "2026-12-10", "0", "0.755", "1.25", "false"],
                ["6", "ECJU", "Müller & Söhne \"Präzision\" GmbH", "2026-11-13", "12", "1", "0.50", "true"],
                ["7", "BAFA", "宁波东湾磁业有限公司", "", "", "", "", ""],
            ])
        // Quoted exactly where RFC 4180 needs it: the comma and the quotes, nothing else.
        #expect(text.contains("3,MOFCOM,\"Ningbo Eastbay Magnetics Co., Ltd.\",2026-12-10,0,0.755,1.25,false\r\n"))
        #expect(text.contains(",\"Müller & Söhne \"\"Präzision\"\" GmbH\","))
    }

    @Test("--excel starts with a UTF-8 byte order mark and Müller & Söhne survives the round trip")
    func excelByteOrderMark() throws {
        let document = ReportDocument(
            SampleDocuments.header,
            sections: [
                ReportSection(
                    "Applicants", columns: [ReportColumn("applicant", "Applicant")], rows: [["Müller & Söhne"]])
            ])
        let text = try ReportRenderers.string(document, format: .csv, options: ReportRenderOptions(excel: true))
        let bytes = Array(text.utf8)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        // Decode the bytes as Excel does once it has seen the mark: UTF-8 after the BOM.
        let decoded = try #require(String(bytes: bytes.dropFirst(3), encoding: .utf8))
        #expect(try FormatParsers.csv(decoded) == [["applicant"], ["Müller & Söhne"]])
        #expect(Array("Müller & Söhne".utf8).count == 16)  // ü and ö are two bytes each: not Latin-1
    }

    @Test("line breaks and quotes inside a field are quoted and come back unchanged")
    func fieldsWithLineBreaks() throws {
        let value = "first line\r\nsecond, \"line\"\nthird"
        let document = ReportDocument(
            SampleDocuments.header,
            sections: [
                ReportSection(
                    "Notes", columns: [ReportColumn("note", "Note"), ReportColumn("n", "N")],
                    rows: [[.text(value), 1]])
            ])
        let records = try FormatParsers.csv(try ReportRenderers.string(document, format: .csv))
        #expect(records == [["note", "n"], [value, "1"]])
    }

    @Test("an empty main section still has its header record")
    func emptyKeepsHeader() throws {
        let document = ReportDocument(
            SampleDocuments.header, sections: [ReportSection("Open", columns: SampleDocuments.columns)])
        let text = try ReportRenderers.string(document, format: .csv)
        #expect(
            text == "id,authority,applicant,deadline,overdue,within_target,rfis_per_application,provisional\r\n")
    }
}
