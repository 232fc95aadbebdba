import LicTrackReports
import LicTrackStore
import Testing

@testable import LicTrackCLI

/// The presentation pieces of `report authority` and `report throughput` that need no database.
@Suite("Figure report layout")
struct FigureLayoutTests {
    @Test("--by values map onto the store's groupings and intervals with the same raw values")
    func optionValuesAgree() {
        #expect(
            ReportBreakdown.allCases.map { ReportAuthority.grouping($0).rawValue }
                == ReportBreakdown.allCases.map(\.rawValue))
        #expect(Set(ReportBreakdown.allCases.map(ReportAuthority.grouping)) == Set(AuthorityGrouping.allCases))
        #expect(
            ReportInterval.allCases.map { ReportThroughput.interval($0).rawValue }
                == ReportInterval.allCases.map(\.rawValue))
        #expect(Set(ReportInterval.allCases.map(ReportThroughput.interval)) == Set(ThroughputInterval.allCases))
    }

    @Test("the histogram picks the smallest listed width that gives at most 12 bins, keeping empty bins")
    func histogramWidths() {
        func time(_ authority: String, _ days: Int, _ decided: Int = 1, unit: String = "working_days") -> ProcessingTime
        {
            ProcessingTime(authority: authority, clockUnit: unit, clockDays: days, decided: decided)
        }
        // Largest 11: width 1 gives 12 bins (0...11).
        let narrow = ProcessingTimeHistogram([time("BIS", 0, 2), time("BIS", 11)])
        #expect(narrow.width == 1)
        #expect(narrow.categories.count == 12)
        #expect(narrow.series[0].points.first == ReportChartPoint("0", 2))
        #expect(narrow.series[0].points.last == ReportChartPoint("11", 1))
        // Largest 12: width 1 would give 13 bins, so width 2: 0-1 ... 12-13, 7 bins.
        let two = ProcessingTimeHistogram([time("BIS", 12)])
        #expect(two.width == 2)
        #expect(two.categories == ["0-1", "2-3", "4-5", "6-7", "8-9", "10-11", "12-13"])
        // Two authorities share the bins; 44 and 45 fall into 40-44 and 45-49 with width 5.
        let shared = ProcessingTimeHistogram([
            time("MOFCOM", 44), time("MOFCOM", 45, 3), time("BIS", 3, unit: "calendar_days"),
        ])
        #expect(shared.width == 5)
        #expect(shared.series.map(\.name) == ["MOFCOM (working days)", "BIS (calendar days)"])
        #expect(shared.chart.value(of: shared.series[0], at: "40-44") == 1)
        #expect(shared.chart.value(of: shared.series[0], at: "45-49") == 3)
        #expect(shared.chart.value(of: shared.series[1], at: "0-4") == 1)
        #expect(shared.chart.value(of: shared.series[1], at: "45-49") == 0)
        // Beyond 12 bins of a year: the width grows to fit 12.
        let long = ProcessingTimeHistogram([time("BIS", 5000)])
        #expect(long.categories.count <= 12)
        #expect(ProcessingTimeHistogram([]).chart.isEmpty)
    }
}
