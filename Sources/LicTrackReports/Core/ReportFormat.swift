/// The formats every report writes (`--format`).
public enum ReportFormat: String, Sendable, CaseIterable {
    /// Aligned text for a terminal, coloured only on a terminal without `NO_COLOR`.
    case table
    /// RFC 4180 CSV of the report's main section.
    case csv
    /// The report's own JSON document, with `report`, `as_of` and `filters` first.
    case json
    /// GitHub-flavoured Markdown.
    case md
    /// One self-contained HTML file with inline SVG charts.
    case html
}
