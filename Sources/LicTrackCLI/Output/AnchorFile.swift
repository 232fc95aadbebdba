import LicTrackReports
import LicTrackStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The anchor file of `lictrack audit anchor`: JSON lines (Docs/cli.md).
///
/// The first line is the header, then one line per chain head, by application:
///
///     {"lictrack_anchor": 1, "taken_at": "2026-12-02T07:31:12Z", "database": "lictrack", "system_identifier": "7714548026834365578", "chains": 2, "events": 14}
///     {"application_id": 1, "seq": 9, "hash": "d49bfe2b…"}
///     {"application_id": 2, "seq": 5, "hash": "766eec3e…"}
enum AnchorFile {
    /// The format's version, the header's `lictrack_anchor`.
    static let version: Int64 = 1

    /// A parsed anchor: its header and its heads, in file order.
    struct Contents {
        var takenAt: String
        var database: String
        var systemIdentifier: String
        var heads: [ChainHead]
    }

    static func headerLine(_ header: AnchorHeader) -> String {
        JSONValue.object([
            ("lictrack_anchor", .int(version)), ("taken_at", .string(Timestamp.iso8601(header.takenAt))),
            ("database", .string(header.database)), ("system_identifier", .string(header.systemIdentifier)),
            ("chains", .int(Int64(header.chains))), ("events", .int(Int64(header.events))),
        ]).compactRendered()
    }

    static func headLine(_ head: ChainHead) -> String {
        JSONValue.object([
            ("application_id", .int(head.applicationID)), ("seq", .int(Int64(head.seq))), ("hash", .string(head.hash)),
        ]).compactRendered()
    }

    /// Reads and checks the anchor file at `path` (the value of `--anchor`).
    ///
    /// An unreadable file is a usage error (exit 64), as for `--from-file`; a file that is not an
    /// anchor, or one cut short (fewer heads than its header counts), is invalid data (exit 65).
    static func read(_ path: String) throws -> Contents {
        let shown = LicTrackError.quoted(path, limit: 200)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LicTrackError(
                .usage, "--anchor: cannot read \(shown)", hint: "expected a file from 'lictrack audit anchor'")
        }
        func invalid(_ line: Int, _ what: String) -> LicTrackError {
            LicTrackError(
                .invalidInput, "--anchor: \(shown) line \(line): \(what)",
                hint: "expected the file 'lictrack audit anchor' wrote")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let first = lines.first, let header = decode(Header.self, first), header.version == version else {
            throw invalid(1, "not a lictrack anchor header (\(LicTrackError.quoted(String(lines.first ?? ""))))")
        }
        var heads: [ChainHead] = []
        heads.reserveCapacity(max(0, min(header.chains, 10_000_000)))
        for (index, line) in lines.enumerated().dropFirst() where !line.allSatisfy(\.isWhitespace) {
            guard let head = decode(Head.self, line), head.applicationID > 0, head.seq > 0, isHash(head.hash) else {
                throw invalid(
                    index + 1,
                    "not a chain head \(LicTrackError.quoted(String(line))) "
                        + "(expected {\"application_id\": N, \"seq\": N, \"hash\": 64 hex digits})")
            }
            heads.append(ChainHead(applicationID: head.applicationID, seq: head.seq, hash: head.hash))
        }
        guard heads.count == header.chains else {
            throw invalid(
                lines.count,
                "\(heads.count) chain heads, but its header counts \(header.chains): the file is incomplete")
        }
        return Contents(
            takenAt: header.takenAt, database: header.database, systemIdentifier: header.systemIdentifier,
            heads: heads)
    }

    /// The header line as read.
    private struct Header: Decodable {
        var version: Int64
        var takenAt: String
        var database: String
        var systemIdentifier: String
        var chains: Int

        enum CodingKeys: String, CodingKey {
            case version = "lictrack_anchor"
            case takenAt = "taken_at"
            case database
            case systemIdentifier = "system_identifier"
            case chains
        }
    }

    /// A chain head line as read.
    private struct Head: Decodable {
        var applicationID: Int64
        var seq: Int
        var hash: String

        enum CodingKeys: String, CodingKey {
            case applicationID = "application_id"
            case seq, hash
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ line: Substring) -> T? {
        try? JSONDecoder().decode(type, from: Data(line.utf8))
    }

    /// 64 lowercase hexadecimal digits: a SHA-256 as the database encodes it.
    private static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
