import LicTrackCore
import LicTrackReports
import LicTrackStore

/// How a decision forecast and a stock record look in every output (Docs/cli.md, Docs/reports.md):
/// one shape for `app show` and `report delays`.
enum OutlookOutput {
    /// `{"p50", "p90", "sample", "reason", "provisional"}`, or `null` when the clock is not running.
    static func json(_ forecast: DecisionForecast?) -> JSONValue {
        guard let forecast else { return .null }
        return .object([
            ("p50", JSONValue(forecast.p50)),
            ("p90", JSONValue(forecast.p90)),
            ("sample", .int(Int64(forecast.sample))),
            ("reason", JSONValue(forecast.reason)),
            ("provisional", .bool(forecast.provisional)),
        ])
    }

    /// `{"runs_out", "feeds", "days_short"}` (`days_short` null unless at risk), or `null` without a stock record.
    static func json(_ supply: SupplyRisk?) -> JSONValue {
        guard let supply else { return .null }
        return .object([
            ("runs_out", JSONValue(supply.runsOut)),
            ("feeds", .string(supply.feeds)),
            ("days_short", JSONValue(supply.daysShort)),
        ])
    }

    /// The forecast in one line, e.g. "2025-07-03 (p50), 2025-08-14 (p90); from 23 decisions that took longer".
    static func line(_ forecast: DecisionForecast, unit: String?) -> String {
        guard let p50 = forecast.p50, let p90 = forecast.p90 else {
            return "none: \(forecast.reason ?? "no date") (\(forecast.sample) to go on)"
        }
        let units = unit == "calendar_days" ? "calendar days" : "working days"
        var text = "decision by \(p50) (p50), \(p90) (p90)"
        if let p50Elapsed = forecast.p50Elapsed, let p90Elapsed = forecast.p90Elapsed {
            text += " at \(p50Elapsed) and \(p90Elapsed) \(units)"
        }
        text += "; from \(forecast.sample) decisions in the last year that took longer than this one so far"
        if forecast.provisional { text += " [PROVISIONAL: depends on a calendar not yet published]" }
        return text
    }

    /// The stock record in one line, with the supply risk when there is one.
    static func line(_ supply: SupplyRisk) -> String {
        var text = "runs out \(supply.runsOut), feeds \(supply.feeds) (recorded \(supply.recordedOn))"
        if let daysShort = supply.daysShort {
            text += "; SUPPLY RISK: \(daysShort) \(daysShort == 1 ? "day" : "days") short"
        }
        return text
    }
}
