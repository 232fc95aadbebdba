import LicTrackCore
import LicTrackReports
import LicTrackStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How `report authority` lays out its figures: the document for the text formats and the JSON.
///
/// CSV has one row per authority (and group) and, for each figure, the period's value beside the
/// previous period's (`decided`, `previous_decided`, ...), so the trend reads across a row and the
/// file stays one flat table. The table, Markdown and HTML show one figure per row with this
/// period, the previous one and the direction. Every format says that percentiles are
/// nearest-rank: the header's note and the percentile rows' names, a `percentile_method` column in
/// CSV and a key in JSON.
struct AuthorityReportLayout {
    let period: ReportPeriod
    let breakdown: ReportBreakdown?
    let figures: [AuthorityFigures]
    let processingTimes: [ProcessingTime]

    /// The value of ``percentileMethodKey`` wherever it is written.
    static let percentileMethod = "nearest-rank"
    static let percentileMethodKey = "percentile_method"

    /// One figure of a period: its key, its heading and how to read it from ``PeriodFigures``.
    struct Figure: Sendable {
        enum Value {
            case count(Int?)
            case ratio(Decimal?)
            case decimal(Decimal?)
            case text(String?)
        }

        let key: String
        let title: String
        let kind: ReportColumn.Kind
        let value: @Sendable (PeriodFigures) -> Value

        /// Whether the figure is a percentile (`_p50`, `_p90`).
        var isPercentile: Bool { key.hasSuffix("_p50") || key.hasSuffix("_p90") }
    }

    /// The figures in the documented order (issue 6, Docs/reports.md).
    static let figureList: [Figure] = [
        Figure(key: "decided", title: "Decided", kind: .integer) { .count($0.decided) },
        Figure(key: "approved", title: "Approved", kind: .integer) { .count($0.approved) },
        Figure(key: "denied", title: "Denied", kind: .integer) { .count($0.denied) },
        Figure(key: "returned", title: "Returned", kind: .integer) { .count($0.returned) },
        Figure(key: "withdrawn", title: "Withdrawn", kind: .integer) { .count($0.withdrawn) },
        Figure(key: "approval_rate", title: "Approval rate", kind: .percentage) { .ratio($0.approvalRate) },
        Figure(key: "clock_unit", title: "Clock unit", kind: .text) { .text($0.clockUnit) },
        Figure(key: "clock_days_p50", title: "Clock days p50", kind: .integer) { .count($0.clockDaysP50) },
        Figure(key: "clock_days_p90", title: "Clock days p90", kind: .integer) { .count($0.clockDaysP90) },
        Figure(key: "calendar_days_p50", title: "Calendar days p50", kind: .integer) { .count($0.calendarDaysP50) },
        Figure(key: "calendar_days_p90", title: "Calendar days p90", kind: .integer) { .count($0.calendarDaysP90) },
        Figure(key: "within_target", title: "Within target", kind: .percentage) { .ratio($0.withinTarget) },
        Figure(key: "rfis_per_application", title: "RFIs per application", kind: .decimal) {
            .decimal($0.rfisPerApplication)
        },
        Figure(key: "open_at_end", title: "Open at end", kind: .integer) { .count($0.openAtEnd) },
    ]

    /// The previous period, as SQL computed it; nil when there is no row to carry it.
    var previousPeriod: ReportPeriod? {
        figures.first.map { ReportPeriod(from: $0.previous.from, to: $0.previous.to) }
    }

    /// The header's parameters after the period: the previous period and the breakdown.
    var parameters: [ReportParameter] {
        var parameters = [
            ReportParameter(
                "Previous period",
                previousPeriod.map { ReportPeriod.label($0) } ?? "the \(period.days) days before --from")
        ]
        if let breakdown { parameters.append(ReportParameter("Breakdown", Self.groupTitle(breakdown).lowercased())) }
        return parameters
    }

    // MARK: Text formats

    /// The document for table, CSV, Markdown and HTML.
    ///
    /// CSV (`flat`) gets one wide row per authority and group, each figure beside its previous
    /// value, so that it loads as one table. The formats people read get the same figures one per
    /// row (authority, group, figure, this period, previous period, trend), which stays narrow
    /// enough for a terminal and an A4 page.
    func document(_ header: ReportHeader, flat: Bool) -> ReportDocument {
        let histogram = ProcessingTimeHistogram(processingTimes)
        let main =
            flat
            ? ReportSection(
                "Figures per authority", columns: columns, rows: figures.map(row),
                note: "Each figure for the period, then the same figure for the previous period (previous_...).",
                emptyText: Self.emptyText)
            : ReportSection(
                "Figures per authority", columns: trendColumns, rows: figures.flatMap(trendRows),
                note: "Decisions dated in each period, both ends included: this period beside the previous "
                    + "one of equal length, and which way the figure moved.",
                emptyText: Self.emptyText)
        return ReportDocument(
            header,
            sections: [
                main,
                ReportSection(
                    "Processing-time distribution", role: .supporting,
                    columns: [
                        ReportColumn("authority", "Authority"), ReportColumn("clock_unit", "Clock unit"),
                        ReportColumn("clock_days", "Clock days", kind: .integer),
                        ReportColumn("decided", "Decided", kind: .integer),
                    ],
                    rows: processingTimes.map { time in
                        [
                            .text(time.authority), .text(time.clockUnit), .integer(time.clockDays),
                            .integer(time.decided),
                        ]
                    },
                    chart: histogram.chart,
                    note: "Decisions in the period per clock days elapsed at the decision, in each authority's "
                        + "clock unit (the chart in bins of \(histogram.width) day\(histogram.width == 1 ? "" : "s")); "
                        + "decisions whose clock never started are left out.",
                    emptyText: "No decision with a started clock in the period."),
            ])
    }

    static let emptyText = "No applications in scope."

    /// The columns of the figure-per-row table.
    var trendColumns: [ReportColumn] {
        var columns = [ReportColumn("authority", "Authority")]
        if let breakdown { columns.append(ReportColumn("group", Self.groupTitle(breakdown))) }
        return columns + [
            ReportColumn("figure", "Figure"), ReportColumn("current", "This period", alignment: .right),
            ReportColumn("previous", "Previous period", alignment: .right), ReportColumn("trend", "Trend"),
        ]
    }

    /// One row per figure of an authority (and group): its value now and before, and which way it moved.
    func trendRows(_ figures: AuthorityFigures) -> [[ReportCell]] {
        Self.figureList.map { figure in
            let tone = Self.trend(figure.key, figures.current, figures.previous)
            var cells: [ReportCell] = [.text(figures.authority)]
            if breakdown != nil { cells.append(.text(figures.group)) }
            let current = figure.value(figures.current)
            let previous = figure.value(figures.previous)
            return cells + [
                .text(figure.title + (figure.isPercentile ? " (\(Self.percentileMethod))" : "")),
                Self.cell(current, tone: tone), Self.cell(previous, tone: .normal),
                .text(Self.direction(current, previous), tone: tone),
            ]
        }
    }

    /// `up`, `down` or `same` for two numbers; nil when either is missing or the figure is not a number.
    static func direction(_ current: Figure.Value, _ previous: Figure.Value) -> String? {
        func word<T: Comparable>(_ now: T?, _ before: T?) -> String? {
            guard let now, let before else { return nil }
            return now > before ? "up" : now < before ? "down" : "same"
        }
        switch (current, previous) {
        case (.count(let now), .count(let before)): return word(now, before)
        case (.ratio(let now), .ratio(let before)), (.decimal(let now), .decimal(let before)): return word(now, before)
        default: return nil
        }
    }

    var columns: [ReportColumn] {
        var columns = [ReportColumn("authority", "Authority")]
        if let breakdown { columns.append(ReportColumn("group", Self.groupTitle(breakdown))) }
        for figure in Self.figureList {
            columns.append(ReportColumn(figure.key, figure.title, kind: figure.kind))
            columns.append(ReportColumn("previous_" + figure.key, figure.title + " (prev.)", kind: figure.kind))
        }
        columns.append(ReportColumn(Self.percentileMethodKey, "Percentiles"))
        return columns
    }

    func row(_ figures: AuthorityFigures) -> [ReportCell] {
        var cells: [ReportCell] = [.text(figures.authority)]
        if breakdown != nil { cells.append(.text(figures.group)) }
        for figure in Self.figureList {
            let tone = Self.trend(figure.key, figures.current, figures.previous)
            cells.append(Self.cell(figure.value(figures.current), tone: tone))
            cells.append(Self.cell(figure.value(figures.previous), tone: .normal))
        }
        cells.append(.text(Self.percentileMethod))
        return cells
    }

    /// How the period's value compares with the previous one, for the figures where better and
    /// worse are plain: a smaller share within target, a longer p90 or a larger backlog asks for attention.
    static func trend(_ key: String, _ current: PeriodFigures, _ previous: PeriodFigures) -> ReportCell.Tone {
        func compare<T: Comparable>(_ now: T?, _ before: T?, higherIsBetter: Bool) -> ReportCell.Tone {
            guard let now, let before, now != before else { return .normal }
            return (now > before) == higherIsBetter ? .good : .warning
        }
        switch key {
        case "within_target":
            return compare(current.withinTarget, previous.withinTarget, higherIsBetter: true)
        case "clock_days_p90":
            return compare(current.clockDaysP90, previous.clockDaysP90, higherIsBetter: false)
        case "open_at_end":
            return compare(current.openAtEnd, previous.openAtEnd, higherIsBetter: false)
        default:
            return .normal
        }
    }

    static func cell(_ value: Figure.Value, tone: ReportCell.Tone) -> ReportCell {
        switch value {
        case .count(let value): return .integer(value, tone: tone)
        case .ratio(let value): return .percentage(value.flatMap(exact), tone: tone)
        case .decimal(let value): return .decimal(value.flatMap(exact), tone: tone)
        case .text(let value): return .text(value, tone: tone)
        }
    }

    /// The heading of the group column.
    static func groupTitle(_ breakdown: ReportBreakdown) -> String {
        switch breakdown {
        case .controlCode: return "Control-code family"
        case .destination: return "Destination"
        }
    }

    // MARK: JSON

    /// The report's own JSON keys, after `report`, `as_of` and `filters`.
    var json: [(String, JSONValue)] {
        [
            ("period", Self.json(period)),
            ("previous_period", previousPeriod.map(Self.json) ?? .null),
            ("by", JSONValue(breakdown?.rawValue)),
            (Self.percentileMethodKey, .string(Self.percentileMethod)),
            ("note", .string(ReportNotes.nearestRankPercentiles)),
            (
                "authorities",
                .array(
                    figures.map { row in
                        .object(
                            [("authority", .string(row.authority)), ("group", JSONValue(row.group))]
                                + Self.json(row.current) + [("previous", .object(Self.json(row.previous)))])
                    })
            ),
            (
                "processing_times",
                .array(
                    processingTimes.map { time in
                        .object([
                            ("authority", .string(time.authority)), ("clock_unit", .string(time.clockUnit)),
                            ("clock_days", JSONValue(time.clockDays)), ("decided", JSONValue(time.decided)),
                        ])
                    })
            ),
        ]
    }

    /// A period's figures as JSON members: its dates, then every figure (rates as exact numbers).
    static func json(_ figures: PeriodFigures) -> [(String, JSONValue)] {
        [("from", JSONValue(figures.from)), ("to", JSONValue(figures.to))]
            + figureList.map { figure in
                switch figure.value(figures) {
                case .count(let value): return (figure.key, JSONValue(value))
                case .ratio(let value), .decimal(let value):
                    return (figure.key, value.flatMap(exact).map { .decimal($0) } ?? .null)
                case .text(let value): return (figure.key, JSONValue(value))
                }
            }
    }

    static func json(_ period: ReportPeriod) -> JSONValue {
        .object([("from", JSONValue(period.from)), ("to", JSONValue(period.to)), ("days", JSONValue(period.days))])
    }

    /// A decimal as an exact amount, digits as `Decimal` prints them (`0.5` for SQL's `0.5000`).
    static func exact(_ value: Decimal) -> ExactAmount? {
        ExactAmount(value.description)
    }
}

extension ReportPeriod {
    /// `2025-03-02 to 2025-03-31 (30 days)`: the value of ``parameter``.
    static func label(_ period: ReportPeriod) -> String { period.parameter.value }
}
