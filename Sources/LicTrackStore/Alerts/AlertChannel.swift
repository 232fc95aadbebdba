#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How a channel delivers alerts.
public enum AlertChannelKind: String, CaseIterable, Sendable {
    /// One JSON line per alert on lictrack's standard output.
    case stdout
    /// One JSON line per alert appended to a file (absolute path), fsynced.
    case jsonl
    /// An HTTP POST of the JSON payload, with an `Idempotency-Key` header (through curl).
    case webhook
    /// An e-mail through `sendmail -t` to comma-separated addresses.
    case email
}

/// A webhook header whose value is read from an environment variable when the alert job sends,
/// so that a secret (an `Authorization` token, say) never has to be stored in the database.
public struct HeaderFromEnvironment: Sendable, Equatable {
    /// The HTTP header's name, such as `Authorization`.
    public var header: String
    /// The environment variable that holds its value, such as `HOOK_TOKEN`.
    public var variable: String

    public init(header: String, variable: String) {
        self.header = header
        self.variable = variable
    }

    /// Splits `NAME=VARIABLE` at its first `=`; nil without one. The database checks the rest.
    public init?(_ text: String) {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        self.init(header: String(text[..<equals]), variable: String(text[text.index(after: equals)...]))
    }

    /// `NAME=VARIABLE`, as stored.
    public var text: String { "\(header)=\(variable)" }
}

/// A delivery channel (a row of `alert_channels`).
public struct AlertChannel: Sendable {
    public var id: Int64
    public var name: String
    public var kind: AlertChannelKind
    /// The file, URL or addresses; nil for stdout.
    public var target: String?
    /// Only alerts of these authorities; nil for all.
    public var authorities: [String]?
    /// Only alerts of these levels; nil for both.
    public var levels: [AlertLevel]?
    /// Webhook headers whose values come from the environment at send time.
    public var headersFromEnvironment: [HeaderFromEnvironment]
    public var enabled: Bool
    public var createdAt: Date?
    public var createdBy: String?

    public init(
        id: Int64 = 0, name: String, kind: AlertChannelKind, target: String? = nil, authorities: [String]? = nil,
        levels: [AlertLevel]? = nil, headersFromEnvironment: [HeaderFromEnvironment] = [], enabled: Bool = true,
        createdAt: Date? = nil, createdBy: String? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.target = target
        self.authorities = authorities
        self.levels = levels
        self.headersFromEnvironment = headersFromEnvironment
        self.enabled = enabled
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// A new channel as `lictrack alerts channel add` describes it.
///
/// It is not checked here: the database's constraints on `alert_channels` are the one place the
/// rules live, and ``AlertStore/addChannel(_:)`` turns a violation into a message for the user.
public struct AlertChannelDraft: Sendable {
    public var name: String
    public var kind: AlertChannelKind
    public var target: String?
    public var authorities: [String]
    public var levels: [AlertLevel]
    public var headersFromEnvironment: [HeaderFromEnvironment]

    public init(
        name: String, kind: AlertChannelKind, target: String? = nil, authorities: [String] = [],
        levels: [AlertLevel] = [], headersFromEnvironment: [HeaderFromEnvironment] = []
    ) {
        self.name = name
        self.kind = kind
        self.target = target
        self.authorities = authorities
        self.levels = levels
        self.headersFromEnvironment = headersFromEnvironment
    }
}
