import LicTrackTestSupport
import Testing

/// The `report` command group as the built binary shows it.
@Suite("report command group")
struct ReportCommandTests {
    @Test("lictrack --help lists report, and report --help names the shared options and Docs/reports.md")
    func help() throws {
        let root = try lictrackOK(["--help"], database: nil)
        #expect(root.stdout.contains("report"))
        let help = try lictrackOK(["report", "--help"], database: nil)
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("--as-of DATE"))
        #expect(text.contains("--format table|csv|json|md|html"))
        #expect(text.contains("Docs/reports.md"))
        #expect(help.stderr.isEmpty)
    }

    @Test("an unknown report is a usage error (exit 64) on one line")
    func unknownReport() throws {
        expectFailure(try lictrack(["report", "nonsense"], database: nil), status: 64, "report nonsense")
    }
}
