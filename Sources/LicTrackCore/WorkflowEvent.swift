/// Something that happens to an application: each is a CLI verb and a row in its history.
///
/// Which event is allowed from which status lives only in the database
/// (`workflow_transitions`); a test proves this list matches `workflow_events`.
public enum WorkflowEvent: String, CaseIterable, Codable, Sendable {
    case create
    case submit
    case accept
    case requestInfo = "request-info"
    case provideInfo = "provide-info"
    case delay
    case resume
    case approve
    case deny
    case `return`
    case withdraw
    case note
    case addItem = "add-item"
    /// When the material the application covers runs out and what it feeds; changes no status.
    case stock
}
