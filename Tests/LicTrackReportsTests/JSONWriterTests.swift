import Foundation
import LicTrackCore
import LicTrackReports
import Testing

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("report, as_of and filters come first, in that order, then the report's own keys")
    func commonKeys() throws {
        let sink = StringSink()
        var writer = try ReportJSONWriter(SampleDocuments.header, sink: sink)
        try writer.beginArray("applications")
        try writer.element(.object([("id", .int(3)), ("deadline", JSONValue(CivilDate(iso8601: "2026-12-10")))]))
        try writer.element(.object([("id", .int(6)), ("deadline", .null)]))
        try writer.endArray()
        try writer.member("summary", .object([("rate", .decimal(ExactAmount("0.750")!)), ("mean", .number(1.5))]))
        try writer.finish()
        let text = sink.text
        #expect(text.hasSuffix("}\n"))
        let keys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == ["report", "as_of", "filters", "applications", "summary"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["report"] as? String == "sample")
        #expect(object["as_of"] as? String == "2026-11-29")
        let filters = try #require(object["filters"] as? [String: [String]])
        #expect(filters == ["authority": ["MOFCOM", "ECJU"], "destination": [], "control_code": ["1C9"], "owner": []])
        #expect(
            text.contains(
                "\"filters\": {\n    \"authority\": [\n      \"MOFCOM\",\n      \"ECJU\"\n    ],\n    \"destination\": [],\n    \"control_code\": [\n      \"1C9\"\n    ],\n    \"owner\": []\n  }"
            ))
        let applications = try #require(object["applications"] as? [[String: Any]])
        #expect(applications.count == 2)
        #expect(applications[0]["deadline"] as? String == "2026-12-10")
        #expect(applications[1]["deadline"] is NSNull)
        #expect(text.contains("\"rate\": 0.750,"))
        #expect(text.contains("\"mean\": 1.5\n"))
    }

    @Test("a streamed document is exactly the rendered one; an empty array is []")
    func streamedEqualsRendered() throws {
        let members: [(String, JSONValue)] = [
            ("buckets", .array([])), ("rows", .array([.int(1), .object([("a", .string("b\n\"c\""))])])),
        ]
        let sink = StringSink()
        var writer = try ReportJSONWriter(SampleDocuments.header, sink: sink)
        try writer.beginArray("buckets")
        try writer.endArray()
        try writer.beginArray("rows")
        try writer.element(.int(1))
        try writer.element(.object([("a", .string("b\n\"c\""))]))
        try writer.endArray()
        try writer.finish()
        #expect(sink.text == ReportJSONWriter.document(SampleDocuments.header, members).rendered() + "\n")
        #expect(sink.text.contains("\"buckets\": [],"))
    }

    @Test("JSON numbers: exact decimals without leading zeros, integral doubles without a fraction, no NaN")
    func numbers() {
        #expect(JSONValue.decimal(ExactAmount("007.50")!).rendered() == "7.50")
        #expect(JSONValue.decimal(ExactAmount("-0.00")!).rendered() == "0.00")
        #expect(JSONValue.decimal(ExactAmount("-0.25")!).rendered() == "-0.25")
        #expect(JSONValue.number(3).rendered() == "3")
        #expect(JSONValue.number(0.1).rendered() == "0.1")
        #expect(JSONValue.number(.nan).rendered() == "null")
        #expect(JSONValue.number(.infinity).rendered() == "null")
    }
}
