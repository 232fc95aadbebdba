import LicTrackReports
import Testing

@testable import LicTrackReports

@Suite("Charts")
struct ChartTests {
    @Test(
        "the vertical scale ends at a round number with 1-2-2.5-5 steps",
        arguments: [
            ([18.0], 0.0, 20.0, 5.0), ([14.0, 3], 0, 15, 5), ([1.0], 0, 1, 1), ([2.5, 0.5], 0, 2.5, 0.5),
            ([1234.0], 0, 1250, 250), ([-3.0, 7], -4, 8, 2), ([], 0, 1, 1), ([0.0], 0, 1, 1), ([2.0], 0, 2, 1),
        ])
    func scale(_ values: [Double], _ minimum: Double, _ maximum: Double, _ step: Double) {
        let scale = ChartScale(values: values)
        #expect(scale == ChartScale(minimum: minimum, maximum: maximum, step: step))
    }

    @Test("numbers without locale or exponent")
    func numbers() {
        #expect(ChartNumber.label(1234) == "1234")
        #expect(ChartNumber.label(12.5) == "12.5")
        #expect(ChartNumber.label(0.333333) == "0.33")
        #expect(ChartNumber.label(-0.125) == "-0.13")
        #expect(ChartNumber.label(-0.001) == "0")
        #expect(ChartNumber.label(2.5049) == "2.5")
        #expect(ChartNumber.coordinate(1e-7) == "0")
    }

    @Test("a line chart's path goes through hand-computed points and lifts the pen over a gap")
    func linePath() {
        // Plot area x 64...744, y 16...292; scale 0...20 (step 5 for a maximum of 18).
        // Categories 36 px inside the plot area, at x = 100, 252, 404, 556, 708; y(v) = 292 - v / 20 * 276.
        let chart = SampleDocuments.backlog
        let view = SVGChart(chart: chart, id: "c").view()
        let lines = view["lines"] as? [[String: Any]] ?? []
        #expect(lines.count == 2)
        #expect(lines.first?["d"] as? String == "M100 154 L252 126.4 L404 85 L556 98.8 L708 43.6")
        #expect(lines.last?["d"] as? String == "M100 236.8 L252 223 M556 250.6")
        let ticks = (view["yTicks"] as? [[String: Any]] ?? []).compactMap { $0["label"] as? String }
        #expect(ticks == ["0", "5", "10", "15", "20"])
    }

    @Test("stacked bars: each segment starts where the one below ended")
    func stacked() {
        // MOFCOM 4 + 3 + 2 + 5 = 14, BIS 2 + 1 + 1 = 4: scale 0...15, 276 px for 15 → 18.4 px each.
        let view = SVGChart(chart: SampleDocuments.aging, id: "c").view()
        let bars = view["bars"] as? [[String: Any]] ?? []
        #expect(bars.count == 7)
        let mofcom = bars.filter { ($0["text"] as? String)?.hasPrefix("MOFCOM") == true }
        #expect(mofcom.compactMap { $0["height"] as? String } == ["73.6", "55.2", "36.8", "92"])
        #expect(mofcom.compactMap { $0["y"] as? String } == ["218.4", "163.2", "126.4", "34.4"])
        // Bands of 340 px: MOFCOM centred at 234, its bar 204 px wide from 132.
        #expect(mofcom.first?["x"] as? String == "132")
        #expect(mofcom.first?["width"] as? String == "204")
    }

    @Test("grouped bars sit side by side within their category")
    func grouped() {
        // Three categories of 226.67 px; two bars of 90.67 px from 64 + 22.67 = 86.67.
        let view = SVGChart(chart: SampleDocuments.distribution, id: "c").view()
        let bars = view["bars"] as? [[String: Any]] ?? []
        #expect(bars.count == 6)
        #expect(bars.prefix(2).compactMap { $0["x"] as? String } == ["86.67", "177.33"])
        #expect(bars.prefix(2).compactMap { $0["width"] as? String } == ["90.67", "90.67"])
        // Scale 0...10 (step 2): MOFCOM 1 is 27.6 px tall, ECJU 8 is 220.8 px.
        #expect(bars.prefix(2).compactMap { $0["height"] as? String } == ["27.6", "220.8"])
    }
}
