import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

extension ReportBreakdown: ExpressibleByArgument {}
extension ReportInterval: ExpressibleByArgument {}

/// `--from DATE --to DATE`: the period of a period report (`report authority`, `report throughput`).
///
/// Both days are included. `--to` defaults to the report day (`--as-of`), `--from` to the day
/// after the same date a year before `--to`, so the default is the year that ends on the report
/// day. A period that ends before it starts is a usage error (exit 64) naming both dates.
struct ReportPeriodOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "First day of the period, included (default: the day after the same date a year before --to).",
            valueName: "date"))
    var from: DateSpecifier?

    @Option(help: ArgumentHelp("Last day of the period, included (default: the report day).", valueName: "date"))
    var to: DateSpecifier?

    func validate() throws {
        if case .date(let from) = from, case .date(let to) = to, from > to {
            throw ValidationError(Self.reversed(from: from, to: to))
        }
    }

    /// The period, with relative forms resolved against `today` and defaults from `asOf`.
    func resolve(asOf: CivilDate, today: () throws -> CivilDate) throws -> ReportPeriod {
        let end = try to.map { try $0.resolve(todayIfNeeded: today) } ?? asOf
        let start = try from.map { try $0.resolve(todayIfNeeded: today) } ?? Self.yearBefore(end).adding(days: 1)
        guard start <= end else { throw LicTrackError(.usage, Self.reversed(from: start, to: end)) }
        return ReportPeriod(from: start, to: end)
    }

    static func reversed(from: CivilDate, to: CivilDate) -> String {
        "--from \(from) is after --to \(to) (expected --from on or before --to)"
    }

    /// The same day a year earlier; 29 February becomes 28 February.
    static func yearBefore(_ date: CivilDate) -> CivilDate {
        CivilDate(year: date.year - 1, month: date.month, day: date.day)
            ?? CivilDate(year: date.year - 1, month: date.month, day: date.day - 1)!
    }
}

/// `--by control-code|destination` for `report authority`: a further breakdown under each authority.
struct ReportBreakdownOption: ParsableArguments {
    @Option(help: "Break each authority down further: control-code (the first 3 characters) or destination.")
    var by: ReportBreakdown?
}

/// `--by week|month` for `report throughput`: the length of its periods (ISO weeks or calendar months).
struct ReportIntervalOption: ParsableArguments {
    @Option(help: "Count per week (ISO weeks, Monday to Sunday) or per month.")
    var by: ReportInterval = .month
}
