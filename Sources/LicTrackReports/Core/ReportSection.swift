/// A titled part of a report: a table, optionally a chart drawn from the same or related data.
public struct ReportSection: Sendable, Equatable {
    /// What the section is to the report.
    public enum Role: String, Sendable, Equatable {
        /// The report's one table of record: the rows CSV writes.
        case main
        /// A view beside it (a summary, a supply-risk extract); shown by the table, Markdown and HTML formats only.
        case supporting
    }

    public var header: ReportSectionHeader
    public var table: ReportTable

    public init(
        _ title: String, role: Role = .main, columns: [ReportColumn], rows: [[ReportCell]] = [],
        chart: ReportChart? = nil, note: String? = nil, emptyText: String? = nil
    ) {
        header = ReportSectionHeader(
            title, role: role, columns: columns, chart: chart, note: note, emptyText: emptyText)
        table = ReportTable(columns: columns, rows: rows)
    }

    public var title: String { header.title }
    public var role: Role { header.role }
    public var chart: ReportChart? { header.chart }
}

/// Everything about a section except its rows: what a streaming renderer needs before the first row.
public struct ReportSectionHeader: Sendable, Equatable {
    public var title: String
    public var role: ReportSection.Role
    public var columns: [ReportColumn]
    /// Drawn before the table in HTML, with its own data table for screen readers.
    public var chart: ReportChart?
    /// One explanatory sentence under the title.
    public var note: String?
    /// What an empty table says (default "No rows."); the headings are printed anyway.
    public var emptyText: String

    public init(
        _ title: String, role: ReportSection.Role = .main, columns: [ReportColumn], chart: ReportChart? = nil,
        note: String? = nil, emptyText: String? = nil
    ) {
        self.title = title
        self.role = role
        self.columns = columns
        self.chart = chart
        self.note = note
        self.emptyText = emptyText ?? "No rows."
    }
}
