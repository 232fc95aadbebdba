#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where one migration stands in a database.
public struct MigrationState: Sendable, Equatable {
    /// The states `lictrack db status` reports.
    public enum Status: String, Sendable {
        /// Applied, and the text this binary carries is the text that was applied.
        case applied
        /// Not yet applied.
        case pending
        /// Applied, but the binary's text differs from what was applied: refused.
        case changed
        /// Applied by a newer lictrack that this binary does not know.
        case unknown
    }

    public var version: Int
    public var name: String
    public var status: Status
    public var appliedAt: Date?
    public var appliedBy: String?
}
