import LicTrackCore
import LicTrackReports
import LicTrackStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How applications, items and events look in each output format (documented in Docs/cli.md).
enum ApplicationOutput {
    // MARK: JSON

    static func json(_ app: ApplicationDetails) -> JSONValue {
        .object([
            ("id", .int(app.id)),
            ("status", .string(app.status)),
            ("status_since", JSONValue(app.statusSince)),
            ("authority", .string(app.authority)),
            ("licence_type", .string(app.licenceType)),
            ("applicant", .string(app.applicant)),
            ("exporter", JSONValue(app.exporter)),
            ("consignee", JSONValue(app.consignee)),
            ("end_user", JSONValue(app.endUser)),
            ("end_use", JSONValue(app.endUse)),
            ("destination", .string(app.destination)),
            ("authority_reference", JSONValue(app.authorityReference)),
            ("owner", JSONValue(app.owner)),
            ("created_on", JSONValue(app.createdOn)),
            ("created_at", JSONValue(app.createdAt)),
            ("created_by", .string(app.createdBy)),
            ("licence_number", JSONValue(app.licenceNumber)),
            ("licence_valid_until", JSONValue(app.licenceValidUntil)),
            ("items", .array(app.items.map(json))),
            ("events", .array(app.events.map(json))),
            ("next_events", JSONValue(app.nextEvents)),
            ("sla", json(app.clock)),
            ("forecast", OutlookOutput.json(app.forecast)),
            ("stock", OutlookOutput.json(app.stock)),
        ])
    }

    static func json(_ clock: SLAClock) -> JSONValue {
        .object([
            ("as_of", .string(clock.asOf.description)),
            ("cycle", JSONValue(clock.cycle)),
            ("target", JSONValue(clock.target)),
            ("extension", JSONValue(clock.extensionUnits)),
            ("unit", JSONValue(clock.unit)),
            ("calendar", JSONValue(clock.calendar)),
            ("started_on", JSONValue(clock.startedOn)),
            ("deadline", JSONValue(clock.deadline)),
            ("elapsed", JSONValue(clock.elapsed)),
            ("remaining", JSONValue(clock.remaining)),
            ("paused", JSONValue(clock.paused)),
            ("state", .string(clock.state.rawValue)),
            ("provisional", .bool(clock.provisional)),
        ])
    }

    /// The clock in one line, e.g. "on_track: 12 of 45 working days (CN) elapsed, deadline 2025-06-12".
    static func line(_ clock: SLAClock) -> String {
        guard clock.state != .notStarted, let target = clock.target, let unit = clock.unit else {
            return "not started (as of \(clock.asOf))"
        }
        let units = unit == "working_days" ? "working days" : "calendar days"
        var text = "\(clock.state.rawValue.replacing("_", with: " ")) as of \(clock.asOf): "
        text += "\(clock.elapsed.map(String.init) ?? "?") of \(target) \(units)"
        if let calendar = clock.calendar { text += " (\(calendar))" }
        text += " elapsed since \(clock.startedOn.map { "\($0)" } ?? "?")"
        if let paused = clock.paused, paused > 0 { text += ", \(paused) paused" }
        if let extensionUnits = clock.extensionUnits, extensionUnits > 0 { text += ", extended by \(extensionUnits)" }
        text += "; deadline \(clock.deadline.map { "\($0)" } ?? "unknown")"
        if let remaining = clock.remaining, clock.state == .onTrack || clock.state == .dueSoon {
            text += " (\(remaining) left)"
        }
        if clock.provisional { text += " [PROVISIONAL: depends on a calendar not yet published]" }
        if let cycle = clock.cycle, cycle > 1 { text += "; cycle \(cycle)" }
        return text
    }

    static func json(_ item: ApplicationItem) -> JSONValue {
        .object([
            ("line", .int(Int64(item.lineNo))),
            ("description", .string(item.description)),
            ("control_code", JSONValue(item.controlCode)),
            ("hs_code", JSONValue(item.hsCode)),
            ("quantity", JSONValue(item.quantity)),
            ("unit", JSONValue(item.unit)),
            ("value", JSONValue(item.value)),
            ("currency", JSONValue(item.currency)),
        ])
    }

    static func json(_ event: ApplicationEventRecord) -> JSONValue {
        .object([
            ("seq", .int(Int64(event.seq))),
            ("event", .string(event.event)),
            ("from", JSONValue(event.from)),
            ("to", .string(event.to)),
            ("on", JSONValue(event.occurredOn)),
            ("recorded_at", JSONValue(event.recordedAt)),
            ("recorded_by", .string(event.recordedBy)),
            ("actor", JSONValue(event.actor)),
            ("note", JSONValue(event.note)),
            ("authority_reference", JSONValue(event.authorityReference)),
            ("licence_number", JSONValue(event.licenceNumber)),
            ("valid_until", JSONValue(event.validUntil)),
            ("reason", JSONValue(event.reason)),
            ("extend_by", JSONValue(event.extendBy)),
            ("stock_runs_out", JSONValue(event.stockRunsOut)),
            ("feeds", JSONValue(event.feeds)),
        ])
    }

    static func json(_ app: ApplicationSummary) -> JSONValue {
        .object([
            ("id", .int(app.id)),
            ("authority", .string(app.authority)),
            ("licence_type", .string(app.licenceType)),
            ("status", .string(app.status)),
            ("status_since", JSONValue(app.statusSince)),
            ("applicant", .string(app.applicant)),
            ("destination", .string(app.destination)),
            ("authority_reference", JSONValue(app.authorityReference)),
            ("owner", JSONValue(app.owner)),
            ("created_on", JSONValue(app.createdOn)),
            ("last_event_on", JSONValue(app.lastEventOn)),
            ("items", .int(Int64(app.itemCount))),
            ("deadline", JSONValue(app.deadline)),
            ("sla_state", .string(app.slaState)),
            ("provisional", .bool(app.provisional)),
            ("days_in_status", JSONValue(app.daysInStatus)),
            ("remaining", JSONValue(app.remaining)),
            ("overdue", .int(Int64(app.overdue))),
        ])
    }

    // MARK: Table

    static func table(_ app: ApplicationDetails) -> String {
        var lines = [
            "Application \(app.id)  \(app.authority)  \(app.status)\(app.statusSince.map { " since \($0)" } ?? "")"
        ]
        let fields: [(String, String?)] = [
            ("Licence type", app.licenceType), ("Applicant", app.applicant), ("Exporter", app.exporter),
            ("Consignee", app.consignee), ("End user", app.endUser), ("End use", app.endUse),
            ("Destination", app.destination), ("Authority ref", app.authorityReference), ("Owner", app.owner),
            ("Created", "\(app.createdOn) by \(app.createdBy)"),
            ("Licence", app.licenceNumber.map { n in n + (app.licenceValidUntil.map { ", valid until \($0)" } ?? "") }),
        ]
        for (label, value) in fields {
            if let value, !value.isEmpty { lines.append("  " + (label + ":").padding(to: 16) + value) }
        }
        lines.append("  " + "SLA:".padding(to: 16) + line(app.clock))
        if let forecast = app.forecast {
            lines.append("  " + "Forecast:".padding(to: 16) + OutlookOutput.line(forecast, unit: app.clock.unit))
        }
        if let stock = app.stock { lines.append("  " + "Stock:".padding(to: 16) + OutlookOutput.line(stock)) }
        lines.append("")
        lines.append("Items")
        if app.items.isEmpty {
            lines.append("  (none)")
        } else {
            var table = TextTable(["#", "DESCRIPTION", "CONTROL", "HS", "QUANTITY", "VALUE"])
            for item in app.items {
                table.append([
                    "\(item.lineNo)", item.description, item.controlCode ?? "", item.hsCode ?? "",
                    [item.quantity.map { "\($0)" }, item.unit].compactMap { $0 }.joined(separator: " "),
                    [item.value.map { "\($0)" }, item.currency].compactMap { $0 }.joined(separator: " "),
                ])
            }
            lines.append(table.rendered(indent: "  "))
        }
        lines.append("")
        lines.append("Timeline")
        var timeline = TextTable(["#", "ON", "EVENT", "STATUS", "BY", "DETAILS"])
        for event in app.events {
            timeline.append([
                "\(event.seq)", "\(event.occurredOn)", event.event,
                event.from == event.to ? event.to : "\(event.from ?? "-") -> \(event.to)",
                event.actor.map { "\($0) (\(event.recordedBy))" } ?? event.recordedBy, details(event),
            ])
        }
        lines.append(timeline.rendered(indent: "  "))
        lines.append("")
        lines.append(
            app.nextEvents.isEmpty
                ? "Next: none (\(app.status) is final)" : "Next: " + app.nextEvents.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    static func details(_ event: ApplicationEventRecord) -> String {
        var parts: [String] = []
        if let reason = event.reason { parts.append("reason: \(reason)") }
        if let extendBy = event.extendBy { parts.append("extended by \(extendBy)") }
        if let reference = event.authorityReference { parts.append("ref: \(reference)") }
        if let licence = event.licenceNumber { parts.append("licence: \(licence)") }
        if let until = event.validUntil { parts.append("valid until \(until)") }
        if let runsOut = event.stockRunsOut { parts.append("runs out \(runsOut)") }
        if let feeds = event.feeds { parts.append("feeds \(feeds)") }
        if let note = event.note { parts.append(note) }
        return parts.joined(separator: "; ")
    }

    static func table(_ apps: [ApplicationSummary]) -> String {
        var table = TextTable([
            "ID", "AUTHORITY", "STATUS", "SINCE", "DAYS", "DEADLINE", "SLA", "LEFT", "OVERDUE", "DEST", "APPLICANT",
            "REFERENCE", "OWNER",
        ])
        for app in apps {
            table.append([
                "\(app.id)", app.authority, app.status, app.statusSince?.description ?? "",
                app.daysInStatus.map(String.init) ?? "",
                (app.deadline?.description ?? "") + (app.provisional ? "*" : ""),
                app.slaState, app.remaining.map(String.init) ?? "", app.overdue > 0 ? "\(app.overdue)" : "",
                app.destination, app.applicant, app.authorityReference ?? "", app.owner ?? "",
            ])
        }
        return table.rendered()
    }

    // MARK: CSV

    static let eventColumns = [
        "application_id", "seq", "event", "from", "to", "on", "recorded_at", "recorded_by", "actor", "note",
        "authority_reference", "licence_number", "valid_until", "reason", "extend_by", "stock_runs_out", "feeds",
    ]

    static func csvRow(_ event: ApplicationEventRecord) -> [String] {
        [
            "\(event.applicationID)", "\(event.seq)", event.event, event.from ?? "", event.to,
            "\(event.occurredOn)", Timestamp.iso8601(event.recordedAt), event.recordedBy, event.actor ?? "",
            event.note ?? "", event.authorityReference ?? "", event.licenceNumber ?? "",
            event.validUntil?.description ?? "", event.reason ?? "", event.extendBy.map(String.init) ?? "",
            event.stockRunsOut?.description ?? "", event.feeds ?? "",
        ]
    }

    static func csv(_ apps: [ApplicationSummary]) -> String {
        var csv = CSVWriter([
            "id", "authority", "licence_type", "status", "status_since", "applicant", "destination",
            "authority_reference", "owner", "created_on", "last_event_on", "items", "deadline", "sla_state",
            "provisional", "days_in_status", "remaining", "overdue",
        ])
        for app in apps {
            csv.append([
                "\(app.id)", app.authority, app.licenceType, app.status, app.statusSince?.description ?? "",
                app.applicant, app.destination, app.authorityReference ?? "", app.owner ?? "",
                "\(app.createdOn)", app.lastEventOn?.description ?? "", "\(app.itemCount)",
                app.deadline?.description ?? "", app.slaState, app.provisional ? "true" : "false",
                app.daysInStatus.map(String.init) ?? "", app.remaining.map(String.init) ?? "", "\(app.overdue)",
            ])
        }
        return csv.rendered()
    }
}
