import LicTrackReports
import LicTrackStore

/// The processing-time distribution of `report authority` as a histogram: the decisions per
/// authority in bins of equal width of clock days elapsed at the decision.
///
/// Binning is presentation, not a clock rule: the elapsed counts and how many decisions came at
/// each are SQL's (`report_processing_times()`); this only groups them so that a chart stays
/// readable. The width is the smallest of ``widths`` that gives at most ``maximumBins`` bins from
/// 0 to the largest count, so every bin has the same width and the first starts at 0. Empty bins
/// are kept (with 0), so the bars' positions read as a scale.
struct ProcessingTimeHistogram: Equatable {
    /// The bin widths tried, smallest first.
    static let widths = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 365]
    /// At most this many bins (as long as a width in ``widths`` allows it).
    static let maximumBins = 12

    /// How many clock days each bin spans.
    let width: Int
    /// How many bins there are, the first starting at 0.
    let binCount: Int
    /// One series per authority and clock unit, in the order of the rows.
    let series: [ReportChartSeries]

    init(_ times: [ProcessingTime]) {
        let largest = times.map(\.clockDays).max() ?? 0
        let width =
            Self.widths.first { largest / $0 + 1 <= Self.maximumBins }
            ?? (largest + Self.maximumBins) / Self.maximumBins
        let binCount = times.isEmpty ? 0 : largest / width + 1
        var order: [String] = []
        var counts: [String: [Int]] = [:]
        for time in times {
            let name = Self.seriesName(time)
            if counts[name] == nil {
                order.append(name)
                counts[name] = Array(repeating: 0, count: binCount)
            }
            counts[name]![max(time.clockDays, 0) / width] += time.decided
        }
        self.width = width
        self.binCount = binCount
        let labels = (0..<binCount).map { Self.label(bin: $0, width: width) }
        series = order.map { name in
            ReportChartSeries(
                name, points: zip(labels, counts[name]!).map { ReportChartPoint($0, Double($1)) })
        }
    }

    /// A bin's label: its first and last clock day (`10-19`), or the day alone when the width is 1.
    static func label(bin: Int, width: Int) -> String {
        let first = bin * width
        return width == 1 ? String(first) : "\(first)-\(first + width - 1)"
    }

    /// The series of an authority's clock unit: `MOFCOM (working days)`.
    static func seriesName(_ time: ProcessingTime) -> String {
        "\(time.authority) (\(time.clockUnit.replacing("_", with: " ")))"
    }

    /// The labels of all bins, in order.
    var categories: [String] { (0..<binCount).map { Self.label(bin: $0, width: width) } }

    /// The grouped-bar chart: one bar per authority in each bin.
    var chart: ReportChart {
        ReportChart(
            .groupedBars, title: "Processing-time distribution per authority",
            xLabel: "Clock days at the decision (each authority's unit)", yLabel: "Decisions", series: series,
            categories: categories)
    }
}
