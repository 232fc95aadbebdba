import LicTrackCore
import LicTrackStore

/// `report evidence` written out: Markdown, a self-contained HTML page, or JSON.
///
/// Everything from the database is escaped (``MarkdownText``, `HTMLEscape`); the wording is
/// ``EvidenceWording``'s.
public struct EvidenceDocument: Sendable {
    public var applications: [EvidenceApplication]
    /// The report day.
    public var asOf: CivilDate

    public init(applications: [EvidenceApplication], asOf: CivilDate) {
        self.applications = applications
        self.asOf = asOf
    }

    public static let title = "Export licence applications: evidence of delay"

    /// Who prepared it: the applicants, in order, each once.
    public var preparedBy: String {
        var names: [String] = []
        for application in applications where !names.contains(application.applicant) {
            names.append(application.applicant)
        }
        return names.isEmpty ? "the applicant" : names.joined(separator: ", ")
    }

    /// "Prepared by Acme Magnets GmbH from its records, as of 20 January 2027."
    public var preparedLine: String {
        "Prepared by \(preparedBy) from its records, as of \(EvidenceWording.date(asOf))."
    }

    static func heading(_ application: EvidenceApplication) -> String {
        "Application \(application.id) to the \(application.authorityName)"
            + (application.authorityReference.map { ", reference \($0)" } ?? "")
    }

    static func facts(_ application: EvidenceApplication) -> [(String, String)] {
        var facts = [
            ("Applicant", application.applicant),
            ("Licensing authority", "\(application.authorityName) (\(application.authority))"),
            ("Destination", application.destinationName),
            ("Legal basis of the time limit", application.basis ?? "none recorded"),
            ("Position", EvidenceWording.position(application)),
        ]
        if let impact = EvidenceWording.impact(application) { facts.append(("Business impact", impact)) }
        return facts
    }

    static func requests(_ application: EvidenceApplication) -> [EvidenceEvent] {
        application.events.filter { $0.event == "request-info" }
    }

    static func answer(_ request: EvidenceEvent) -> (String, String) {
        let days = request.daysToAnswer ?? 0
        guard let answered = request.answeredOn else {
            return ("not yet answered", "\(EvidenceWording.days(days)) so far")
        }
        return (EvidenceWording.date(answered), EvidenceWording.days(days))
    }

    // MARK: - Markdown

    public func markdown() -> String {
        var lines = ["# " + Self.title, "", MarkdownText.escapedLine(preparedLine)]
        if applications.isEmpty { lines += ["", "_No applications._"] }
        for application in applications {
            lines += ["", "## " + MarkdownText.escapedLine(Self.heading(application)), ""]
            for (label, value) in Self.facts(application) {
                lines.append("- **\(label):** " + MarkdownText.escapedLine(value))
            }
            lines += [
                "", "### Timeline", "", "| Date | What happened | Time limit on that day |", "| :-- | :-- | :-- |",
            ]
            for event in application.events {
                lines.append(
                    "| "
                        + [
                            EvidenceWording.date(event.occurredOn), EvidenceWording.sentence(event, in: application),
                            EvidenceWording.clock(event.clock),
                        ].map(MarkdownText.escaped).joined(separator: " | ") + " |")
            }
            lines += ["", "### Requests for information", ""]
            let requests = Self.requests(application)
            if requests.isEmpty {
                lines.append("The authority made no request for information.")
            } else {
                lines += ["| Requested | Answered | Time taken to answer |", "| :-- | :-- | --: |"]
                for request in requests {
                    let (answered, days) = Self.answer(request)
                    lines.append(
                        "| "
                            + [EvidenceWording.date(request.occurredOn), answered, days].map(MarkdownText.escaped)
                            .joined(separator: " | ") + " |")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - HTML

    public func html() -> String {
        func e(_ text: String) -> String { HTMLEscape.escape(HTMLText.clean(text)) }
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(e(Self.title))</title>
            <style>
            body { font-family: Georgia, "Times New Roman", serif; max-width: 48em; margin: 2em auto; color: #111; }
            table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1.5em; font-size: 0.95em; }
            th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
            th { background: #eee; }
            dt { font-weight: bold; } dd { margin: 0 0 0.5em 1.5em; }
            section { page-break-inside: avoid; }
            @page { size: A4; margin: 18mm; }
            </style>
            </head>
            <body>
            <h1>\(e(Self.title))</h1>
            <p class="prepared">\(e(preparedLine))</p>

            """
        if applications.isEmpty { out += "<p>No applications.</p>\n" }
        for application in applications {
            out += "<section>\n<h2>\(e(Self.heading(application)))</h2>\n<dl>\n"
            for (label, value) in Self.facts(application) { out += "<dt>\(e(label))</dt><dd>\(e(value))</dd>\n" }
            out += "</dl>\n<h3>Timeline</h3>\n<table>\n"
            out +=
                "<thead><tr><th>Date</th><th>What happened</th><th>Time limit on that day</th></tr></thead>\n<tbody>\n"
            for event in application.events {
                out += "<tr><td>\(e(EvidenceWording.date(event.occurredOn)))</td>"
                out += "<td>\(e(EvidenceWording.sentence(event, in: application)))</td>"
                out += "<td>\(e(EvidenceWording.clock(event.clock)))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n<h3>Requests for information</h3>\n"
            let requests = Self.requests(application)
            if requests.isEmpty {
                out += "<p>The authority made no request for information.</p>\n"
            } else {
                out +=
                    "<table>\n<thead><tr><th>Requested</th><th>Answered</th><th>Time taken to answer</th></tr></thead>\n"
                out += "<tbody>\n"
                for request in requests {
                    let (answered, days) = Self.answer(request)
                    out += "<tr><td>\(e(EvidenceWording.date(request.occurredOn)))</td><td>\(e(answered))</td>"
                    out += "<td>\(e(days))</td></tr>\n"
                }
                out += "</tbody>\n</table>\n"
            }
            out += "</section>\n"
        }
        return out + "</body>\n</html>\n"
    }

    // MARK: - JSON

    static func json(_ clock: EvidenceClock?) -> JSONValue {
        guard let clock else { return .null }
        return .object([
            ("elapsed", clock.elapsed.map { .int(Int64($0)) } ?? .null),
            ("target", clock.target.map { .int(Int64($0)) } ?? .null),
            ("unit", JSONValue(clock.unit)), ("deadline", JSONValue(clock.deadline)),
            ("state", .string(clock.state)), ("provisional", .bool(clock.provisional)),
        ])
    }

    /// The `applications` array of the JSON document.
    public func jsonApplications() -> JSONValue {
        .array(
            applications.map { a in
                .object([
                    ("id", .int(a.id)), ("authority", .string(a.authority)),
                    ("authority_name", .string(a.authorityName)),
                    ("authority_reference", JSONValue(a.authorityReference)), ("applicant", .string(a.applicant)),
                    ("destination", .string(a.destination)), ("basis", JSONValue(a.basis)),
                    ("status", JSONValue(a.status)), ("clock", Self.json(a.clock)),
                    ("overdue", .int(Int64(a.overdue))), ("position", .string(EvidenceWording.position(a))),
                    (
                        "timeline",
                        .array(
                            a.events.map { ev in
                                .object([
                                    ("on", JSONValue(ev.occurredOn)), ("event", .string(ev.event)),
                                    ("text", .string(EvidenceWording.sentence(ev, in: a))),
                                    ("clock", Self.json(ev.clock)),
                                ])
                            })
                    ),
                    (
                        "rfis",
                        .array(
                            Self.requests(a).map { r in
                                .object([
                                    ("requested_on", JSONValue(r.occurredOn)), ("answered_on", JSONValue(r.answeredOn)),
                                    ("days", r.daysToAnswer.map { .int(Int64($0)) } ?? .null),
                                ])
                            })
                    ),
                    (
                        "impact",
                        a.stockRunsOut == nil
                            ? .null
                            : .object([
                                ("runs_out", JSONValue(a.stockRunsOut)), ("feeds", JSONValue(a.stockFeeds)),
                                ("days_short", a.supplyDaysShort.map { .int(Int64($0)) } ?? .null),
                            ])
                    ),
                ])
            })
    }
}
