/// A chart's data as a plain table: what screen readers, Markdown and people who prefer numbers read.
///
/// One row per category, one column per series (and a total for stacked bars), values formatted
/// like the chart's labels; `-` where a series has no point.
struct ChartDataTable: Equatable {
    var headings: [String]
    var rows: [[String]]

    init(_ chart: ReportChart) {
        let lookup = ChartLookup(chart)
        let stacked = chart.kind == .stackedBars && chart.series.count > 1
        headings = [chart.xLabel] + chart.series.map(\.name) + (stacked ? ["Total"] : [])
        rows = chart.categories.map { category in
            let values = chart.series.indices.map { lookup.value(series: $0, category: category) }
            var row = [category] + values.map { $0.map(ChartNumber.label) ?? "-" }
            if stacked { row.append(ChartNumber.label(values.compactMap { $0 }.map { max($0, 0) }.reduce(0, +))) }
            return row
        }
    }
}

/// Each series' values by category, looked up in constant time.
struct ChartLookup {
    private var values: [[String: Double]]

    init(_ chart: ReportChart) {
        values = chart.series.map { series in
            var byLabel: [String: Double] = [:]
            for point in series.points where byLabel[point.label] == nil { byLabel[point.label] = point.value }
            return byLabel
        }
    }

    /// The value of the `series`-th series at `category`, or `nil`.
    func value(series: Int, category: String) -> Double? {
        values[series][category]
    }
}
