/// Where an application stands with its authority.
///
/// The statuses and the transitions between them are defined once, in
/// `Database/migrations/0002_workflow.sql`; this enum only names them for Swift, and a test
/// proves the two lists agree.
public enum ApplicationStatus: String, CaseIterable, Codable, Sendable {
    case draft
    case submitted
    case underReview = "under_review"
    case infoRequested = "info_requested"
    case delayed
    case returned
    case approved
    case denied
    case withdrawn
}
