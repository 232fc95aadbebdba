/// Lays a ``ReportChart`` out as SVG: axes, ticks, grid, lines or bars, legend, all in pixels.
///
/// The result is a view for the `chart` template (``HTMLTemplates``): plain strings and
/// dictionaries, every number already formatted by ``ChartNumber``, so the template only places
/// them and escapes every label. Same chart, same text: no random ids, no today's date.
struct SVGChart {
    static let width = 760.0
    static let plotTop = 16.0
    static let plotBottom = 292.0
    static let plotLeft = 64.0
    static let plotRight = 744.0
    /// How far a line chart's first and last points sit inside the plot area.
    static let lineInset = 36.0
    /// Okabe and Ito's palette, which colour-blind readers can tell apart.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999933", "#000000"]
    /// Dash patterns, so that lines differ without colour too (and in black-and-white print).
    static let dashes = ["none", "6 3", "2 3", "8 3 2 3", "12 4", "4 2 1 2", "1 2", "10 2 2 2"]

    let chart: ReportChart
    let id: String

    /// The view for the template; `id` prefixes the SVG's element ids (unique within the page).
    func view() -> [String: Any] {
        let lookup = ChartLookup(chart)
        let categories = chart.categories
        let scale = ChartScale(values: plottedValues(lookup))
        let legend = legendItems()
        let legendRows = legend.isEmpty ? 0 : (legend.map { $0.row }.max() ?? 0) + 1
        let height = Self.plotBottom + 62 + Double(legendRows) * 20
        var view: [String: Any] = [
            "id": id, "title": chart.title, "description": description(),
            "width": ChartNumber.coordinate(Self.width), "height": ChartNumber.coordinate(height),
            "xLabel": chart.xLabel, "yLabel": chart.yLabel,
            "xLabelX": ChartNumber.coordinate((Self.plotLeft + Self.plotRight) / 2),
            "xLabelY": ChartNumber.coordinate(Self.plotBottom + 40),
            "yLabelX": "16", "yLabelY": ChartNumber.coordinate((Self.plotTop + Self.plotBottom) / 2),
            "left": ChartNumber.coordinate(Self.plotLeft), "right": ChartNumber.coordinate(Self.plotRight),
            "top": ChartNumber.coordinate(Self.plotTop), "bottom": ChartNumber.coordinate(Self.plotBottom),
            "zeroY": ChartNumber.coordinate(scale.position(0, bottom: Self.plotBottom, top: Self.plotTop)),
            "empty": chart.isEmpty, "lines": [[String: Any]](), "bars": [[String: Any]](),
        ]
        view["yTicks"] = scale.ticks.map { tick -> [String: Any] in
            let y = ChartNumber.coordinate(scale.position(tick, bottom: Self.plotBottom, top: Self.plotTop))
            return ["y": y, "label": ChartNumber.label(tick), "labelX": ChartNumber.coordinate(Self.plotLeft - 6)]
        }
        view["xTicks"] = xTicks(categories)
        view["legend"] = legend.map(\.view)
        guard !chart.isEmpty else { return view }
        switch chart.kind {
        case .line: view["lines"] = lines(lookup, scale)
        case .groupedBars: view["bars"] = groupedBars(lookup, scale)
        case .stackedBars: view["bars"] = stackedBars(lookup, scale)
        }
        return view
    }

    /// The values the scale must show: every point, or every stack's total.
    private func plottedValues(_ lookup: ChartLookup) -> [Double] {
        guard chart.kind == .stackedBars else { return chart.series.flatMap(\.points).map(\.value) }
        return chart.categories.map { category in
            chart.series.indices.compactMap { lookup.value(series: $0, category: category) }.map { max($0, 0) }
                .reduce(0, +)
        }
    }

    /// A sentence for the SVG's `<desc>`.
    private func description() -> String {
        let kind: String
        switch chart.kind {
        case .line: kind = "Line chart"
        case .groupedBars: kind = "Bar chart"
        case .stackedBars: kind = "Stacked bar chart"
        }
        let series = chart.series.map(\.name).joined(separator: ", ")
        return "\(kind) of \(chart.yLabel) by \(chart.xLabel)" + (series.isEmpty ? "" : " for \(series)")
            + ". The table beside it gives the same figures."
    }

    /// The horizontal centre of the `index`-th category.
    private func centre(_ index: Int, of count: Int) -> Double {
        let span = Self.plotRight - Self.plotLeft
        if chart.kind == .line {
            // Inset so that the first and last date labels stay inside the picture.
            let inner = span - 2 * Self.lineInset
            return count <= 1
                ? Self.plotLeft + span / 2 : Self.plotLeft + Self.lineInset + inner * Double(index) / Double(count - 1)
        }
        return Self.plotLeft + span * (Double(index) + 0.5) / Double(count)
    }

    private func xTicks(_ categories: [String]) -> [[String: Any]] {
        let every = max(1, Int((Double(categories.count) / 10).rounded(.up)))
        return categories.indices.filter { $0 % every == 0 }.map {
            index -> [String: Any] in
            let label = categories[index].count > 14 ? categories[index].prefix(13) + "…" : categories[index]
            return [
                "x": ChartNumber.coordinate(centre(index, of: categories.count)), "label": String(label),
                "y": ChartNumber.coordinate(Self.plotBottom + 16),
            ]
        }
    }

    private func lines(_ lookup: ChartLookup, _ scale: ChartScale) -> [[String: Any]] {
        chart.series.indices.map { seriesIndex -> [String: Any] in
            var path = ""
            var markers: [[String: Any]] = []
            var penDown = false
            for (index, category) in chart.categories.enumerated() {
                guard let value = lookup.value(series: seriesIndex, category: category) else {
                    penDown = false
                    continue
                }
                let x = ChartNumber.coordinate(centre(index, of: chart.categories.count))
                let y = ChartNumber.coordinate(scale.position(value, bottom: Self.plotBottom, top: Self.plotTop))
                path += (penDown ? " L" : (path.isEmpty ? "M" : " M")) + x + " " + y
                penDown = true
                markers.append([
                    "cx": x, "cy": y,
                    "text": "\(chart.series[seriesIndex].name), \(category): \(ChartNumber.label(value))",
                ])
            }
            return [
                "d": path.isEmpty ? "M0 0" : path, "name": chart.series[seriesIndex].name,
                "colour": Self.palette[seriesIndex % Self.palette.count],
                "dash": Self.dashes[seriesIndex % Self.dashes.count], "markers": markers,
            ]
        }
    }

    private func groupedBars(_ lookup: ChartLookup, _ scale: ChartScale) -> [[String: Any]] {
        let count = chart.categories.count
        let band = (Self.plotRight - Self.plotLeft) / Double(count)
        let barWidth = band * 0.8 / Double(max(chart.series.count, 1))
        var bars: [[String: Any]] = []
        for (index, category) in chart.categories.enumerated() {
            let start = centre(index, of: count) - band * 0.4
            for seriesIndex in chart.series.indices {
                guard let value = lookup.value(series: seriesIndex, category: category) else { continue }
                let zero = scale.position(0, bottom: Self.plotBottom, top: Self.plotTop)
                let end = scale.position(value, bottom: Self.plotBottom, top: Self.plotTop)
                bars.append(
                    bar(
                        x: start + barWidth * Double(seriesIndex), width: barWidth, from: zero, to: end,
                        series: seriesIndex,
                        text: "\(chart.series[seriesIndex].name), \(category): "
                            + ChartNumber.label(value)))
            }
        }
        return bars
    }

    private func stackedBars(_ lookup: ChartLookup, _ scale: ChartScale) -> [[String: Any]] {
        let count = chart.categories.count
        let band = (Self.plotRight - Self.plotLeft) / Double(count)
        var bars: [[String: Any]] = []
        for (index, category) in chart.categories.enumerated() {
            var base = 0.0
            for seriesIndex in chart.series.indices {
                guard let value = lookup.value(series: seriesIndex, category: category), value > 0 else { continue }
                bars.append(
                    bar(
                        x: centre(index, of: count) - band * 0.3, width: band * 0.6,
                        from: scale.position(base, bottom: Self.plotBottom, top: Self.plotTop),
                        to: scale.position(base + value, bottom: Self.plotBottom, top: Self.plotTop),
                        series: seriesIndex,
                        text: "\(category), \(chart.series[seriesIndex].name): "
                            + ChartNumber.label(value)))
                base += value
            }
        }
        return bars
    }

    private func bar(x: Double, width: Double, from: Double, to: Double, series: Int, text: String) -> [String: Any] {
        [
            "x": ChartNumber.coordinate(x), "y": ChartNumber.coordinate(min(from, to)),
            "width": ChartNumber.coordinate(width), "height": ChartNumber.coordinate(abs(from - to)),
            "colour": Self.palette[series % Self.palette.count], "text": text,
        ]
    }

    /// Legend entries laid out left to right, wrapping to a new row when the width runs out.
    private func legendItems() -> [(row: Int, view: [String: Any])] {
        var items: [(row: Int, view: [String: Any])] = []
        var x = Self.plotLeft
        var row = 0
        for (index, series) in chart.series.enumerated() {
            let name = series.name.count > 24 ? series.name.prefix(23) + "…" : series.name
            let itemWidth = 30 + Double(name.count) * 7 + 16
            if x + itemWidth > Self.plotRight, x > Self.plotLeft {
                row += 1
                x = Self.plotLeft
            }
            let y = Self.plotBottom + 58 + Double(row) * 20
            items.append(
                (
                    row,
                    [
                        "name": String(name), "colour": Self.palette[index % Self.palette.count],
                        "dash": Self.dashes[index % Self.dashes.count], "line": chart.kind == .line,
                        "x": ChartNumber.coordinate(x), "x2": ChartNumber.coordinate(x + 22),
                        "textX": ChartNumber.coordinate(x + 28), "y": ChartNumber.coordinate(y),
                        "boxY": ChartNumber.coordinate(y - 6), "textY": ChartNumber.coordinate(y + 4),
                    ]
                ))
            x += itemWidth
        }
        return items
    }
}
