/// Sentences that several reports print under their title, worded once.
public enum ReportNotes {
    /// For every report that gives percentiles (issue 6: "Say so in the output").
    public static let nearestRankPercentiles =
        "Percentiles are nearest-rank (percentile_disc): every figure is a value that was observed."
}
