/// A chart drawn from a report's data: named series of labelled points over shared categories.
///
/// The model says nothing about pixels; ``SVGChart`` lays it out. Three kinds cover the reports:
/// a line per series over time (the open backlog per authority), bars grouped per category (the
/// processing-time distribution per authority) and bars stacked per category (aging buckets per
/// authority).
public struct ReportChart: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// One line per series across the categories (usually dates).
        case line
        /// One bar per series in each category, side by side (a histogram when there is one series).
        case groupedBars
        /// One bar per category, its series stacked; negative values count as 0.
        case stackedBars
    }

    public var kind: Kind
    /// The chart's accessible name, its SVG `<title>`.
    public var title: String
    /// The horizontal axis's label (`Week ending`).
    public var xLabel: String
    /// The vertical axis's label (`Open applications`).
    public var yLabel: String
    public var series: [ReportChartSeries]
    /// The categories along the horizontal axis, in order; by default every point label, first seen first.
    public var categories: [String]

    public init(
        _ kind: Kind, title: String, xLabel: String, yLabel: String, series: [ReportChartSeries],
        categories: [String]? = nil
    ) {
        self.kind = kind
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        if let categories {
            self.categories = categories
        } else {
            var seen = Set<String>()
            self.categories = series.flatMap(\.points).map(\.label).filter { seen.insert($0).inserted }
        }
    }

    /// The value of `series` at `category`, or `nil` when it has no point there.
    public func value(of series: ReportChartSeries, at category: String) -> Double? {
        series.points.first { $0.label == category }?.value
    }

    /// Whether there is nothing to draw.
    public var isEmpty: Bool { categories.isEmpty || series.allSatisfy(\.points.isEmpty) }
}

/// One named series of a chart (an authority, an aging bucket).
public struct ReportChartSeries: Sendable, Equatable {
    public var name: String
    public var points: [ReportChartPoint]

    public init(_ name: String, points: [ReportChartPoint]) {
        self.name = name
        self.points = points
    }
}

/// A labelled value: the label is the category on the horizontal axis.
public struct ReportChartPoint: Sendable, Equatable {
    public var label: String
    public var value: Double

    public init(_ label: String, _ value: Double) {
        self.label = label
        self.value = value
    }
}
