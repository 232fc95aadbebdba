/// A report section's table: columns and rows of typed cells.
///
/// Every row has one cell per column. An empty table keeps its columns, so every format still
/// prints its headings.
public struct ReportTable: Sendable, Equatable {
    public var columns: [ReportColumn]
    public var rows: [[ReportCell]]

    public init(columns: [ReportColumn], rows: [[ReportCell]] = []) {
        self.columns = columns
        self.rows = []
        for row in rows { append(row) }
    }

    /// Adds a row; it must have exactly one cell per column.
    public mutating func append(_ row: [ReportCell]) {
        precondition(row.count == columns.count, "a row has \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }
}
