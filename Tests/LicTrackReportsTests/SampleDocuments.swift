import LicTrackCore
import LicTrackReports
import LicTrackStore

/// Documents the renderer tests write and read back: one with every chart kind, one full of hostile text.
enum SampleDocuments {
    static let asOf = CivilDate(iso8601: "2026-11-29")!

    static func amount(_ text: String) -> ExactAmount { ExactAmount(text)! }

    static let columns = [
        ReportColumn("id", "ID", kind: .integer), ReportColumn("authority", "Authority"),
        ReportColumn("applicant", "Applicant"), ReportColumn("deadline", "Deadline", kind: .date),
        ReportColumn("overdue", "Days overdue", kind: .integer),
        ReportColumn("within_target", "Within target", kind: .percentage),
        ReportColumn("rfis_per_application", "RFIs per application", kind: .decimal),
        ReportColumn("provisional", "Provisional", kind: .bool),
    ]

    static let rows: [[ReportCell]] = [
        [
            3, "MOFCOM", "Ningbo Eastbay Magnetics Co., Ltd.", .date(CivilDate(iso8601: "2026-12-10")), 0,
            .percentage(amount("0.755")), .decimal(amount("1.25")), .bool(false),
        ],
        [
            6, "ECJU", "Müller & Söhne \"Präzision\" GmbH", .date(CivilDate(iso8601: "2026-11-13")),
            .integer(Int64(12), tone: .critical), .percentage(amount("1")), .decimal(amount("0.50")), .bool(true),
        ],
        [7, "BAFA", "宁波东湾磁业有限公司", .null, .null, .null, .null, .null],
    ]

    /// The open backlog per authority over five weeks (one week missing for BIS).
    static let backlog = ReportChart(
        .line, title: "Open backlog per authority", xLabel: "Week ending", yLabel: "Open applications",
        series: [
            ReportChartSeries(
                "MOFCOM",
                points: [
                    .init("2026-11-01", 10), .init("2026-11-08", 12), .init("2026-11-15", 15),
                    .init("2026-11-22", 14), .init("2026-11-29", 18),
                ]),
            ReportChartSeries(
                "BIS", points: [.init("2026-11-01", 4), .init("2026-11-08", 5), .init("2026-11-22", 3)]),
        ])

    /// Processing-time distribution per authority.
    static let distribution = ReportChart(
        .groupedBars, title: "Processing time per authority", xLabel: "Working days to decision",
        yLabel: "Decisions",
        series: [
            ReportChartSeries("MOFCOM", points: [.init("0-20", 1), .init("21-45", 6), .init("46-90", 9)]),
            ReportChartSeries("ECJU", points: [.init("0-20", 8), .init("21-45", 3), .init("46-90", 1)]),
        ])

    /// Aging buckets per authority.
    static let aging = ReportChart(
        .stackedBars, title: "Aging of open applications", xLabel: "Authority", yLabel: "Open applications",
        series: [
            ReportChartSeries("0-50%", points: [.init("MOFCOM", 4), .init("BIS", 2)]),
            ReportChartSeries("50-80%", points: [.init("MOFCOM", 3), .init("BIS", 1)]),
            ReportChartSeries("80-100%", points: [.init("MOFCOM", 2)]),
            ReportChartSeries("over", points: [.init("MOFCOM", 5), .init("BIS", 1)]),
        ])

    static let header = ReportHeader(
        name: "sample", title: "Sample report", asOf: asOf,
        filter: ReportFilter(authorities: ["MOFCOM", "ECJU"], controlCodes: ["1C9"]),
        parameters: [ReportParameter("Period", "2026-01-01 to 2026-11-29")],
        notes: [ReportNotes.nearestRankPercentiles])

    /// A report with a main table, a supporting table and one chart of each kind; the last section is empty.
    static let full = ReportDocument(
        header,
        sections: [
            ReportSection(
                "Supply risk", role: .supporting, columns: columns, rows: [rows[1]], chart: aging,
                note: "Applications whose material runs out before the expected decision."),
            ReportSection("Open applications", columns: columns, rows: rows, chart: backlog),
            ReportSection("Processing time", role: .supporting, columns: columns, chart: distribution),
        ])

    /// Text that would be markup, script, a broken attribute or a control sequence if it were not escaped.
    static let hostile =
        "<script>alert('x')</script> & \"quoted\" </svg></table><b>bold</b> | pipe\nnew line \u{1B}[31m"

    /// The same shape, with hostile text in every place the database or a user can reach.
    static let hostileDocument = ReportDocument(
        ReportHeader(
            name: "sample", title: "Title " + hostile, asOf: asOf, filter: ReportFilter(owners: [hostile]),
            parameters: [ReportParameter("Label " + hostile, "Value " + hostile)], notes: ["Note " + hostile]),
        sections: [
            ReportSection(
                "Section " + hostile, columns: [ReportColumn("text", "Heading " + hostile), ReportColumn("n", "N")],
                rows: [[.text(hostile), 1], [.text("</svg>"), .integer(Int64(2), tone: .warning)]],
                chart: ReportChart(
                    .line, title: "Chart " + hostile, xLabel: "X " + hostile, yLabel: "Y " + hostile,
                    series: [ReportChartSeries("Series " + hostile, points: [.init("Point " + hostile, 3)])]),
                note: "Section note " + hostile)
        ])
}
