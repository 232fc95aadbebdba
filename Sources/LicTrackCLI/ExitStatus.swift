import LicTrackStore

/// The exit statuses lictrack documents (Docs/cli.md), after BSD's sysexits.h.
public enum ExitStatus: Int32, CaseIterable, Sendable {
    case success = 0
    /// `db status` only: the database is usable but has migrations pending (run `db migrate`).
    /// Also ``historyBroken``.
    case migrationsPending = 1
    /// The command line was wrong: unknown option, missing argument, malformed value.
    case usage = 64
    /// Well-formed but unacceptable input: a bad date or code, or an illegal transition.
    case invalidData = 65
    /// The application (or other record) does not exist.
    case notFound = 66
    /// The database could not be reached.
    case databaseUnavailable = 69
    /// An unexpected error; a bug worth reporting.
    case `internal` = 70
    /// The output file could not be created or written (`--output`).
    case cannotCreate = 73
    /// Another user's change conflicted and retrying did not help; try again.
    case conflict = 75
    /// The database refused this user: the login failed (wrong password, unknown role), or the
    /// user may not do this.
    case permissionDenied = 77
    /// The database is not migrated, or its migrations disagree with this binary.
    case configuration = 78

    /// `audit verify` only: a hash chain is broken or does not match the anchor (the list is printed).
    /// Status 1, like `diff` and `sha256sum -c` when they find a difference.
    static let historyBroken = ExitStatus.migrationsPending

    init(_ kind: LicTrackError.Kind) {
        switch kind {
        case .usage: self = .usage
        case .invalidInput: self = .invalidData
        case .notFound: self = .notFound
        case .databaseUnavailable: self = .databaseUnavailable
        case .authenticationFailed: self = .permissionDenied
        case .configuration: self = .configuration
        case .permissionDenied: self = .permissionDenied
        case .conflict: self = .conflict
        case .cannotCreate: self = .cannotCreate
        case .internal: self = .internal
        }
    }
}
