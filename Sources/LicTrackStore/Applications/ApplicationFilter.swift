import LicTrackCore

/// Which applications `lictrack app list` shows, and in what order.
public struct ApplicationFilter: Sendable {
    /// Orders a list can be sorted in; each maps to a fixed ORDER BY clause.
    public enum Sort: String, CaseIterable, Sendable {
        case id
        case created
        case updated
        case status
        case authority
        case destination
        case deadline

        /// The sort keys, most significant first; the id breaks ties.
        var keys: [String] {
            switch self {
            case .id: return ["a.id"]
            case .created: return ["a.created_on", "a.id"]
            case .updated: return ["a.last_event_on", "a.id"]
            case .status: return ["a.status_order", "a.id"]
            case .authority: return ["a.authority", "a.id"]
            case .destination: return ["a.destination", "a.id"]
            case .deadline: return ["p.deadline", "a.id"]
            }
        }

        /// The ORDER BY list, every key in the same direction; rows without a value come last.
        func orderBy(descending: Bool) -> String {
            keys.map { $0 + (descending ? " desc nulls last" : " asc nulls last") }.joined(separator: ", ")
        }
    }

    public var statuses: [String] = []
    public var authority: String?
    public var destination: String?
    public var owner: String?
    /// Only applications whose status is not final.
    public var openOnly = false
    public var sort: Sort = .id
    public var descending = false
    public var limit: Int?
    /// Only applications whose current clock is in this state on ``asOf``.
    public var slaState: String?
    /// The day clock states are judged on (default: today in each authority's time zone).
    public var asOf: CivilDate?

    public init() {}
}
