/// How a user names the day something happened: a date, or a day relative to today.
///
/// Compliance staff record events after the fact ("the letter came last Tuesday"), so
/// `--on` takes `2025-04-21`, `today`, `yesterday`, `3-days-ago` or a weekday name meaning
/// the most recent such day before today. Relative forms are resolved against today in
/// the authority's time zone, which only the database knows.
public enum DateSpecifier: Hashable, Sendable {
    case date(CivilDate)
    case daysAgo(Int)
    case lastWeekday(Int)  // ISO weekday, 1 = Monday

    /// Parses what a user typed, or returns `nil` when it is not a date this tool understands.
    public init?(_ text: String) {
        let word = text.lowercased()
        if let date = CivilDate(iso8601: word) {
            self = .date(date)
            return
        }
        switch word {
        case "today": self = .daysAgo(0)
        case "yesterday": self = .daysAgo(1)
        default:
            if word.hasSuffix("-days-ago"), let n = Int(word.dropLast("-days-ago".count)), (0...36_600).contains(n) {
                self = .daysAgo(n)
            } else if let weekday = DateSpecifier.weekdays.firstIndex(where: { $0 == word || $0.prefix(3) == word }) {
                self = .lastWeekday(weekday + 1)
            } else {
                return nil
            }
        }
    }

    /// The date this specifier names, given today's date.
    public func resolve(today: CivilDate) -> CivilDate {
        switch self {
        case .date(let date): return date
        case .daysAgo(let n): return today.adding(days: -n)
        case .lastWeekday(let weekday):
            let back = (today.isoWeekday - weekday + 6) % 7 + 1
            return today.adding(days: -back)
        }
    }

    /// The date this specifier names, asking for today's date only when the form is relative.
    public func resolve(todayIfNeeded today: () throws -> CivilDate) rethrows -> CivilDate {
        if case .date(let date) = self { return date }
        return resolve(today: try today())
    }

    /// Whether resolving needs today's date.
    public var isRelative: Bool {
        if case .date = self { return false }
        return true
    }

    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
}
