import LicTrackCore

/// An error a user can act on: what went wrong, what to do, and which exit status it means.
///
/// Every failure that reaches the CLI is one of these. Its ``message`` is one line meant for
/// the person at the terminal; it never carries a password or a stack trace.
public struct LicTrackError: Error, Sendable, CustomStringConvertible {
    /// The families of failure, each with its own documented exit status.
    public enum Kind: Sendable, Equatable {
        /// The command line itself was wrong.
        case usage
        /// The input was well-formed but not acceptable: a bad date, code, or an illegal transition.
        case invalidInput
        /// The application (or other record) does not exist.
        case notFound
        /// The database could not be reached.
        case databaseUnavailable
        /// The database refused the login: a wrong or missing password, an unknown role, no
        /// `pg_hba.conf` entry for this client, a role that may not log in.
        case authenticationFailed
        /// The database is reachable but not usable as it is: not migrated, or migrations disagree.
        case configuration
        /// The database refused the operation to this user.
        case permissionDenied
        /// Someone else changed the same data at the same moment, and retrying did not help.
        case conflict
        /// An output file (`--output`) could not be created or written.
        case cannotCreate
        /// A bug or an unexpected server error.
        case `internal`
    }

    public var kind: Kind
    public var message: String
    public var hint: String?
    /// The SQLSTATE behind the error, when it came from PostgreSQL.
    public var sqlState: String?

    public init(_ kind: Kind, _ message: String, hint: String? = nil, sqlState: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.sqlState = sqlState
    }

    /// The error for an application id or reference that names no application.
    public static func applicationNotFound(_ id: Int64) -> LicTrackError {
        LicTrackError(.notFound, "application \(id) does not exist", hint: "see 'lictrack app list'")
    }

    /// User input as an error message may echo it: in single quotes, control characters escaped
    /// (`\u{1B}` for an escape), and cut to 60 characters with an ellipsis, so that a hostile or
    /// huge value can neither drive the terminal nor flood the line.
    public static func quoted(_ input: String, limit: Int = 60) -> String {
        EchoedText.quoted(input, limit: limit)
    }

    /// The message and hint as one line.
    public var description: String {
        guard let hint, !hint.isEmpty else { return message }
        return "\(message) (\(hint))"
    }
}
