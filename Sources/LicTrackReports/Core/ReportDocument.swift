import LicTrackCore
import LicTrackStore

/// A whole report: what it is, as of when, for which filters, with notes and ordered sections.
///
/// Reports with few rows build the document and write it in one go
/// (``ReportRenderer/render(_:)``); reports that stream (`report delays`) give the renderer the
/// ``header`` and then one section and row at a time.
public struct ReportDocument: Sendable, Equatable {
    public var header: ReportHeader
    public var sections: [ReportSection]

    public init(_ header: ReportHeader, sections: [ReportSection] = []) {
        self.header = header
        self.sections = sections
    }
}

/// What a report says about itself before its sections.
public struct ReportHeader: Sendable, Equatable {
    /// The command's name and the JSON `"report"` key: `delays`, `aging`, `authority`, `throughput`.
    public var name: String
    /// The heading people read: `Delays`.
    public var title: String
    /// The day the figures are judged on: the JSON `"as_of"` key.
    public var asOf: CivilDate
    /// The filters the report was run with: the JSON `"filters"` key.
    public var filter: ReportFilter
    /// Other parameters, as label and value (`("Period", "2025-01-01 to 2025-12-31")`).
    public var parameters: [ReportParameter]
    /// Sentences that say how to read the figures, e.g. how percentiles are taken.
    public var notes: [String]

    public init(
        name: String, title: String, asOf: CivilDate, filter: ReportFilter = ReportFilter(),
        parameters: [ReportParameter] = [], notes: [String] = []
    ) {
        self.name = name
        self.title = title
        self.asOf = asOf
        self.filter = filter
        self.parameters = parameters
        self.notes = notes
    }

    /// The filters as people read them: `authority MOFCOM, BIS; control code 1C9`, or `none`.
    public var filterText: String {
        let parts = ReportFilterKeys.ordered(filter).compactMap { key, values -> String? in
            values.isEmpty ? nil : key.replacing("_", with: " ") + " " + values.joined(separator: ", ")
        }
        return parts.isEmpty ? "none" : parts.joined(separator: "; ")
    }
}

/// A report parameter shown under the title: a label and its value.
public struct ReportParameter: Sendable, Equatable {
    public var label: String
    public var value: String

    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}

/// The filters' JSON keys in their documented order.
enum ReportFilterKeys {
    static let order = ["authority", "destination", "control_code", "owner"]

    /// `ReportFilter.summary` in the documented key order (any key added later follows, sorted).
    static func ordered(_ filter: ReportFilter) -> [(String, [String])] {
        let summary = filter.summary
        let rest = summary.keys.filter { !order.contains($0) }.sorted()
        return (order + rest).compactMap { key in summary[key].map { (key, $0) } }
    }
}
