/// One versioned SQL migration from `Database/migrations`, as embedded in the binary.
///
/// File names are `NNNN_name.sql`; the number is the version. Each migration runs in its own
/// transaction and is recorded in `lictrack_migrations` with a SHA-256 checksum of its text.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let fileName: String
    public let sql: String

    /// Every migration this build of lictrack carries, in version order.
    public static let all: [Migration] = embeddedMigrations.compactMap { entry in
        let stem = entry.fileName.hasSuffix(".sql") ? String(entry.fileName.dropLast(4)) : entry.fileName
        guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
            return nil
        }
        return Migration(
            version: version, name: String(stem[stem.index(after: underscore)...]), fileName: entry.fileName,
            sql: entry.sql)
    }.sorted { $0.version < $1.version }
}
