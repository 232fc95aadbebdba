import LicTrackReports

/// Turns the export rows of each application (`import_export_rows()`, in order) into one JSON line
/// in the shape of `app create --from-file` plus `"events"`, the shape `app import` reads.
struct ExportLines {
    /// The application fields, in the order of `--from-file`'s documentation.
    static let applicationKeys = [
        "authority", "licence_type", "applicant", "exporter", "consignee", "end_user", "end_use", "destination",
        "authority_reference", "owner", "created_on",
    ]
    /// Item keys, each the CSV column `item_KEY`.
    static let itemKeys = ["description", "control_code", "hs_code", "quantity", "unit", "value", "currency"]
    /// Event keys: `event` is the CSV column `event`, the others `event_KEY`.
    static let eventKeys = [
        "event", "on", "actor", "note", "authority_reference", "licence_number", "valid_until", "reason", "extend_by",
        "stock_runs_out", "feeds",
    ]

    private let index: [String: Int]
    private var key: String?
    private var application: [(String, JSONValue)] = []
    private var items: [JSONValue] = []
    private var events: [JSONValue] = []

    init(columns: [String]) {
        index = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
    }

    /// Adds one row; returns the previous application's line when this row starts the next one.
    mutating func add(_ row: [String?]) -> String? {
        func value(_ column: String) -> String? { index[column].flatMap { row[$0] } }
        let rowKey = value("application")
        var finished: String?
        if rowKey != key {
            finished = finish()
            key = rowKey
            application = Self.applicationKeys.map { ($0, JSONValue(value($0))) }
        }
        if let description = value("item_description") {
            items.append(
                .object(
                    Self.itemKeys.map { name in
                        (name, name == "description" ? .string(description) : JSONValue(value("item_" + name)))
                    }))
        }
        if let event = value("event") {
            events.append(
                .object(
                    Self.eventKeys.map { name in
                        switch name {
                        case "event": return (name, .string(event))
                        case "extend_by": return (name, JSONValue(value("event_extend_by").flatMap { Int64($0) }))
                        default: return (name, JSONValue(value("event_" + name)))
                        }
                    }))
        }
        return finished
    }

    /// The line of the application being collected, if any; starts afresh.
    mutating func finish() -> String? {
        guard key != nil else { return nil }
        let line = JSONValue.object(application + [("items", .array(items)), ("events", .array(events))])
            .renderedLine()
        key = nil
        application = []
        items = []
        events = []
        return line
    }
}
