import Foundation
import LicTrackReports
import LicTrackTestSupport
import Testing

/// The HTML report in a real browser: Chromium parses the SVGs and paints something.
@Suite("HTML in headless Chromium", .serialized)
struct ChromiumTests {
    /// A fresh folder for one test's files.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lictrack-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("--dump-dom shows every chart's svg with its paths, rects and text")
    func dom() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("report.html")
        try ReportRenderers.string(SampleDocuments.full, format: .html).write(
            to: file, atomically: true, encoding: .utf8)
        let dom = try HeadlessChromium.dumpDOM(file)
        func count(_ needle: String) -> Int { dom.components(separatedBy: needle).count - 1 }
        #expect(count("<svg ") == 3)
        #expect(count("</svg>") == 3)
        #expect(count("<path ") == 2)
        #expect(count("<circle ") == 8)
        // 13 bars, 4 + 2 legend swatches for the bar charts.
        #expect(count("<rect ") == 19)
        #expect(dom.contains("<title id=\"section-2-chart-title\">Open backlog per authority</title>"))
        #expect(dom.contains(">Week ending</text>"))
        #expect(dom.contains(">Open applications</text>"))
        #expect(dom.contains("<table class=\"chart-data\">"))
        #expect(!dom.contains("<parsererror"))
    }

    @Test("--screenshot paints the report: an A4-sized PNG far larger than a blank page's")
    func screenshot() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("report.html")
        let blank = folder.appendingPathComponent("blank.html")
        try ReportRenderers.string(SampleDocuments.full, format: .html).write(
            to: report, atomically: true, encoding: .utf8)
        try "<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>".write(
            to: blank, atomically: true, encoding: .utf8)
        let png = try HeadlessChromium.screenshot(report, to: folder.appendingPathComponent("report.png"))
        let blankPNG = try HeadlessChromium.screenshot(blank, to: folder.appendingPathComponent("blank.png"))
        // LICTRACK_KEEP_SCREENSHOTS=DIR keeps the page and its screenshot, to look at them.
        if let keep = ProcessInfo.processInfo.environment["LICTRACK_KEEP_SCREENSHOTS"] {
            let target = URL(fileURLWithPath: keep)
            for name in ["report.html", "report.png"] {
                try? FileManager.default.removeItem(at: target.appendingPathComponent("sample-" + name))
                try FileManager.default.copyItem(
                    at: folder.appendingPathComponent(name), to: target.appendingPathComponent("sample-" + name))
            }
        }
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let size = PNGHeader(png)
        #expect(size?.width == 1240)
        #expect(size?.height == 1754)
        // A white page compresses to almost nothing; text, tables and three charts do not.
        #expect(png.count > blankPNG.count * 5, "report \(png.count) bytes, blank \(blankPNG.count) bytes")
        #expect(png.count > 40_000)
    }
}

/// The width and height in a PNG's IHDR chunk.
struct PNGHeader {
    var width: Int
    var height: Int

    init?(_ data: Data) {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[12...15] == [0x49, 0x48, 0x44, 0x52] else { return nil }
        func int(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        width = int(16)
        height = int(20)
    }
}
