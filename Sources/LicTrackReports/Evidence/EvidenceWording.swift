import LicTrackCore
import LicTrackStore

/// The plain-language wording of `report evidence`: dates written out, full sentences, no codes.
///
/// Presentation only: every figure comes from `report_evidence()` (``EvidenceApplication``).
public enum EvidenceWording {
    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// `16 September 2026`.
    public static func date(_ date: CivilDate) -> String {
        "\(date.day) \(months[date.month - 1]) \(date.year)"
    }

    /// `1 working day`, `45 working days`, `3 calendar days`.
    public static func units(_ count: Int, _ unit: String?) -> String {
        let word = unit == "working_days" ? "working day" : unit == "calendar_days" ? "calendar day" : "day"
        return "\(count) \(word)\(count == 1 ? "" : "s")"
    }

    /// `3 days`, `1 day`.
    static func days(_ count: Int) -> String {
        "\(count) day\(count == 1 ? "" : "s")"
    }

    /// What happened, as a sentence: "On 16 September 2026 MOFCOM accepted the application (reference X)."
    public static func sentence(_ event: EvidenceEvent, in application: EvidenceApplication) -> String {
        let on = "On " + date(event.occurredOn) + " "
        let authority = application.authority
        let applicant = application.applicant
        let reference = event.reference.map { " (reference \($0))" } ?? ""
        var text: String
        switch event.event {
        case "create": text = "\(applicant) prepared the application"
        case "submit": text = "\(applicant) submitted the application to \(authority)\(reference)"
        case "accept": text = "\(authority) accepted the application\(reference)"
        case "request-info": text = "\(authority) requested further information\(reference)"
        case "provide-info": text = "\(applicant) provided the information requested\(reference)"
        case "delay":
            switch event.delayReason {
            case "extension":
                text = "\(authority) extended its time limit"
                if let extra = event.extendBy { text += " by \(units(extra, application.clock?.unit))" }
            case "referral": text = "\(authority) referred the case for further review"
            case "hold": text = "\(authority) put the case on hold"
            case "backlog": text = "\(authority) delayed the case, citing its backlog"
            default: text = "\(authority) delayed the case"
            }
            text += reference
        case "resume": text = "\(authority) resumed its review\(reference)"
        case "approve":
            text = "\(authority) granted the licence" + (event.licenceNumber.map { " (licence number \($0))" } ?? "")
        case "deny": text = "\(authority) refused the licence\(reference)"
        case "return": text = "\(authority) returned the application without a decision\(reference)"
        case "withdraw": text = "\(applicant) withdrew the application"
        case "stock":
            text = "\(applicant) recorded that the material covered by the application runs out on "
            text += event.runsOut.map(date) ?? "an unrecorded day"
            if let feeds = event.feeds { text += "; it feeds \(feeds)" }
        case "add-item": text = "\(applicant) added an item to the application"
        case "note": text = "\(applicant) recorded a note"
        default: text = "\(applicant) recorded a further step"
        }
        text = on + text + "."
        if let note = event.note, !note.isEmpty { text += " Note: \(note)" + (note.hasSuffix(".") ? "" : ".") }
        return text
    }

    /// The clock on a day, in words: "12 of 45 working days elapsed; paused while information is awaited".
    public static func clock(_ clock: EvidenceClock?) -> String {
        guard let clock, clock.state != "not_started", let elapsed = clock.elapsed, let target = clock.target else {
            return "The time limit had not started."
        }
        var text = "\(elapsed) of \(units(target, clock.unit)) elapsed"
        switch clock.state {
        case "on_track": text += "; within the time limit"
        case "due_soon": text += "; the time limit is close"
        case "breached": text += "; past the time limit"
        case "paused": text += "; the time limit was suspended while information was awaited"
        case "met": text += "; decided within the time limit"
        case "missed": text += "; decided after the time limit"
        default: break
        }
        if let deadline = clock.deadline { text += " (time limit ends \(date(deadline)))" }
        if clock.provisional { text += ", provisional: the authority's holiday calendar is not yet final" }
        return text + "."
    }

    /// Where the application stands on the report day, in one or two sentences.
    public static func position(_ application: EvidenceApplication) -> String {
        let day = date(application.asOf)
        guard let clock = application.clock, clock.state != "not_started", let elapsed = clock.elapsed,
            let target = clock.target
        else {
            return "On \(day) the time limit had not started."
        }
        var text = "On \(day), \(units(elapsed, clock.unit)) of the \(units(target, clock.unit)) allowed had elapsed"
        if let deadline = clock.deadline {
            text +=
                application.overdue > 0
                ? "; the time limit ended on \(date(deadline)) and has been exceeded by "
                    + "\(units(application.overdue, clock.unit))"
                : "; the time limit ends on \(date(deadline))"
        }
        text += "."
        if clock.state == "missed" { text += " The decision came after the time limit." }
        if clock.state == "paused" { text += " The time limit is suspended while information is awaited." }
        return text
    }

    /// The business impact, when a stock record exists: "The material ... runs out on ...".
    public static func impact(_ application: EvidenceApplication) -> String? {
        guard let runsOut = application.stockRunsOut else { return nil }
        var text = "The material covered by this application runs out on \(date(runsOut))"
        if let feeds = application.stockFeeds { text += "; it feeds \(feeds)" }
        text += "."
        if let short = application.supplyDaysShort {
            let when = application.forecastP90 != nil ? "the likely decision" : "the end of the time limit"
            text += " At the current pace, \(when) falls \(days(short)) after that day."
        }
        return text
    }
}
