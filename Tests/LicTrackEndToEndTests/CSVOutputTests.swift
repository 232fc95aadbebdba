import Foundation
import LicTrackTestSupport
import Testing

/// Every CSV lictrack prints is RFC 4180: CRLF after every record, the last one included.
@Suite("CSV output")
struct CSVOutputTests {
    static let commands: [[String]] = [
        ["app", "list"], ["app", "show", "1"], ["authority", "list"], ["policy", "list"], ["policy", "show", "MOFCOM"],
        ["db", "status"], ["calendar", "list"], ["calendar", "show", "CN", "2025"], ["alerts", "list"],
        ["alerts", "deliveries"], ["alerts", "channel", "list"], ["app", "note", "1", "--note", "x"],
        ["app", "create", "--authority", "BIS", "--applicant", "B", "--destination", "DE"],
        ["report", "delays"],
    ]

    @Test("ends every record with CRLF, the last one included", arguments: commands)
    func crlf(command: [String]) throws {
        try TestDatabase.with { db in
            _ = try createApplication(db)
            let outcome = try lictrackOK(command + ["--format", "csv"], database: db)
            #expect(outcome.stdout.hasSuffix("\r\n"), "\(outcome.stdout.suffix(40).debugDescription)")
            #expect(!outcome.stdout.hasSuffix("\r\n\n") && !outcome.stdout.hasSuffix("\r\n\r\n"))
            let bareLF = outcome.stdout.replacing("\r\n", with: "").contains("\n")
            #expect(!bareLF, "a record ends in LF alone: \(outcome.stdout.debugDescription)")
        }
    }

    @Test("policy show --format csv is the policy as one record under policy list's header")
    func policyShow() throws {
        try TestDatabase.with { db in
            let outcome = try lictrackOK(["policy", "show", "BIS", "--format", "csv"], database: db)
            let records = outcome.stdout.split(separator: "\r\n", omittingEmptySubsequences: false)
            #expect(records.count == 3 && records[2].isEmpty, "\(outcome.stdout.debugDescription)")
            #expect(
                records[0]
                    == "authority,licence_type,start_status,target,unit,calendar,pause_statuses,warn_before,source,basis"
            )
            #expect(records[1].hasPrefix("BIS,,submitted,90,calendar_days,,"), "\(records[1])")
        }
    }
}
