/// How a per-authority report is broken down further (`report authority --by`).
public enum ReportBreakdown: String, Sendable, CaseIterable {
    /// Per control-code family: the first 3 characters of the control code (`control_code_family()` in SQL).
    case controlCode = "control-code"
    /// Per destination country.
    case destination
}

/// The length of the periods a report counts in (`report throughput --by`).
public enum ReportInterval: String, Sendable, CaseIterable {
    /// ISO weeks, Monday to Sunday.
    case week
    /// Calendar months.
    case month
}
