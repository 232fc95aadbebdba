/// The workflow of Docs/workflow.md, written out by hand for the fault tests, so that a chain
/// written under load can be checked against the documented table rather than against the
/// database's own copy of it.
enum WorkflowModel {
    /// Every status.
    static let statuses: Set<String> = [
        "draft", "submitted", "under_review", "info_requested", "delayed", "returned", "approved", "denied",
        "withdrawn",
    ]

    /// The status-changing events.
    static let statusVerbs = [
        "submit", "accept", "request-info", "provide-info", "delay", "resume", "approve", "deny", "return", "withdraw",
    ]

    static let open: Set<String> = ["draft", "submitted", "under_review", "info_requested", "delayed", "returned"]

    /// Where `event` leads from `status`, or nil when it is refused there. `origin` is the status
    /// the application had before `info_requested` (provide-info returns there); notes and stock
    /// records keep the status.
    static func target(of event: String, from status: String, origin: String?) -> String? {
        switch (event, status) {
        case ("note", _), ("stock", _): return status
        case ("submit", "draft"), ("submit", "returned"): return "submitted"
        case ("accept", "submitted"): return "under_review"
        case ("request-info", "submitted"), ("request-info", "under_review"), ("request-info", "delayed"):
            return "info_requested"
        case ("provide-info", "info_requested"): return origin
        case ("delay", "submitted"), ("delay", "under_review"): return "delayed"
        case ("resume", "delayed"): return "under_review"
        case ("approve", "submitted"), ("approve", "under_review"), ("approve", "delayed"): return "approved"
        case ("deny", "submitted"), ("deny", "under_review"), ("deny", "delayed"): return "denied"
        case ("return", "submitted"), ("return", "under_review"), ("return", "info_requested"): return "returned"
        case ("withdraw", _) where open.contains(status): return "withdrawn"
        default: return nil
        }
    }

    /// Whether `event` is refused from `status` whatever the application's past.
    static func isRefused(_ event: String, from status: String) -> Bool {
        // provide-info's target depends on the past, but it is allowed exactly from info_requested.
        target(of: event, from: status, origin: "submitted") == nil
    }

    /// Replays a chain (after its `create`) against the table; returns the first illegal step, or nil.
    static func illegalStep(_ chain: [Fault.LoggedEvent]) -> String? {
        var status = "draft"
        var origin: String?
        for step in chain.dropFirst() {
            guard step.from == status else { return "\(step) does not start at \(status)" }
            guard let to = target(of: step.event, from: status, origin: origin), to == step.to else {
                return "\(step) is not in the workflow (from \(status), origin \(origin ?? "-"))"
            }
            if to == "info_requested" && status != "info_requested" { origin = status }
            status = to
        }
        return nil
    }
}
