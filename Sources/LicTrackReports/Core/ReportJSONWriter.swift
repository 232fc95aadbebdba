/// Writes a report's JSON document as a stream, with the keys every report shares first.
///
/// Every report document starts `{"report": NAME, "as_of": "YYYY-MM-DD", "filters": {…}}`; the
/// report adds its own keys in its documented order with ``member(_:_:)``, and a long list (the
/// applications of `report delays`) one element at a time between ``beginArray(_:)`` and
/// ``endArray()``. The text is exactly what ``JSONValue/rendered()`` gives for the same object,
/// followed by a newline, so streamed and built documents cannot differ.
public struct ReportJSONWriter {
    private let sink: any ReportSink
    private var openArray: (key: String, count: Int)?
    private var finished = false

    /// Starts the document and writes `report`, `as_of` and `filters`.
    public init(_ header: ReportHeader, sink: any ReportSink) throws {
        self.sink = sink
        var text = "{"
        for (index, (key, value)) in Self.commonMembers(header).enumerated() {
            text += index == 0 ? "\n  " : ",\n  "
            JSONValue.writeString(key, to: &text)
            text += ": "
            value.write(to: &text, indent: 2)
        }
        try sink.write(text)
    }

    /// The keys every report's JSON starts with, in order.
    public static func commonMembers(_ header: ReportHeader) -> [(String, JSONValue)] {
        [
            ("report", .string(header.name)),
            ("as_of", .string(header.asOf.description)),
            ("filters", .object(ReportFilterKeys.ordered(header.filter).map { ($0, JSONValue($1)) })),
        ]
    }

    /// A whole report document: the common keys, then `members`.
    public static func document(_ header: ReportHeader, _ members: [(String, JSONValue)]) -> JSONValue {
        .object(commonMembers(header) + members)
    }

    /// Adds `"key": value` to the document.
    public mutating func member(_ key: String, _ value: JSONValue) throws {
        precondition(openArray == nil && !finished, "member(\(key)) inside an array or after finish()")
        var text = ",\n  "
        JSONValue.writeString(key, to: &text)
        text += ": "
        value.write(to: &text, indent: 2)
        try sink.write(text)
    }

    /// Opens `"key": [` for elements that follow one by one.
    public mutating func beginArray(_ key: String) throws {
        precondition(openArray == nil && !finished, "beginArray(\(key)) inside an array or after finish()")
        var text = ",\n  "
        JSONValue.writeString(key, to: &text)
        text += ": ["
        try sink.write(text)
        openArray = (key, 0)
    }

    /// Adds one element to the open array.
    public mutating func element(_ value: JSONValue) throws {
        guard let array = openArray else { preconditionFailure("element() outside beginArray/endArray") }
        var text = array.count == 0 ? "\n    " : ",\n    "
        value.write(to: &text, indent: 4)
        try sink.write(text)
        openArray = (array.key, array.count + 1)
    }

    /// Closes the open array (`[]` when it got no element).
    public mutating func endArray() throws {
        guard let array = openArray else { preconditionFailure("endArray() without beginArray()") }
        try sink.write(array.count == 0 ? "]" : "\n  ]")
        openArray = nil
    }

    /// Closes the document, with a final newline.
    public mutating func finish() throws {
        precondition(openArray == nil && !finished, "finish() inside an array or twice")
        try sink.write("\n}\n")
        finished = true
    }
}
