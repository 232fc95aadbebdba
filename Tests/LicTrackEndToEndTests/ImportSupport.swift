import Foundation
import LicTrackTestSupport
import Testing

// Helpers for the `app import` and `app export` suites.

/// The CSV header `app export --format csv` writes (`import_csv_columns()`), spelled out by hand.
let importHeader =
    "application,authority,licence_type,applicant,exporter,consignee,end_user,end_use,destination,"
    + "authority_reference,owner,created_on,item_description,item_control_code,item_hs_code,item_quantity,"
    + "item_unit,item_value,item_currency,event,event_on,event_actor,event_note,event_authority_reference,"
    + "event_licence_number,event_valid_until,event_reason,event_extend_by,event_stock_runs_out,event_feeds"

/// A scratch folder for one test, removed with `cleanUp()`.
struct ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("lictrack-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `name` and returns its path.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }

    /// Writes `text` as UTF-8 to `name` and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// The report CSV's rows after its header (parsed with `parseCSV` of AppShowTests), as (line, column, value, reason).
func reportRows(_ path: String) throws -> [(line: Int, column: String, value: String, reason: String)] {
    let records = parseCSV(try String(contentsOfFile: path, encoding: .utf8))
    #expect(records.first == ["line", "column", "value", "reason"])
    return records.dropFirst().map { (Int($0[0]) ?? -1, $0[1], $0[2], $0[3]) }
}
