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
    public var enabled: Bool
    public var createdAt: Date?
    public var createdBy: String?

    public init(
        id: Int64 = 0, name: String, kind: AlertChannelKind, target: String? = nil, authorities: [String]? = nil,
        levels: [AlertLevel]? = nil, enabled: Bool = true, createdAt: Date? = nil, createdBy: String? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.target = target
        self.authorities = authorities
        self.levels = levels
        self.enabled = enabled
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    /// Whether this channel takes alerts of `authority` at `level` (when enabled).
    public func accepts(authority: String, level: AlertLevel) -> Bool {
        (authorities?.contains(authority) ?? true) && (levels?.contains(level) ?? true)
    }
}

/// A new channel as `lictrack alerts channel add` describes it.
public struct AlertChannelDraft: Sendable {
    public var name: String
    public var kind: AlertChannelKind
    public var target: String?
    public var authorities: [String]
    public var levels: [AlertLevel]

    public init(
        name: String, kind: AlertChannelKind, target: String? = nil, authorities: [String] = [],
        levels: [AlertLevel] = []
    ) {
        self.name = name
        self.kind = kind
        self.target = target
        self.authorities = authorities
        self.levels = levels
    }

    /// Why this draft cannot be a channel, in words for the user; nil when it can.
    ///
    /// The database checks the same (alert_channels' constraints), but with less helpful messages.
    public var problem: String? {
        let nameBytes = Array(name.utf8)
        func isAlnum(_ b: UInt8) -> Bool {
            (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b)
        }
        if nameBytes.isEmpty || nameBytes.count > 63 || !isAlnum(nameBytes[0])
            || !nameBytes.allSatisfy({
                isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
            })
        {
            return "a channel name is 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit"
        }
        let target = self.target ?? ""
        let hasWhitespace = target.contains { $0.isWhitespace }
        switch kind {
        case .stdout:
            if self.target != nil { return "a stdout channel takes no --target" }
        case .jsonl:
            if !target.hasPrefix("/") { return "a jsonl channel needs --target with an absolute file path" }
        case .webhook:
            if !(target.hasPrefix("http://") || target.hasPrefix("https://")) || hasWhitespace
                || target == "http://" || target == "https://"
            {
                return "a webhook channel needs --target with an http:// or https:// URL"
            }
        case .email:
            let addresses = target.split(separator: ",", omittingEmptySubsequences: false)
            let valid =
                !target.isEmpty && !hasWhitespace
                && addresses.allSatisfy { address in
                    let parts = address.split(separator: "@", omittingEmptySubsequences: false)
                    return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
                }
            if !valid {
                return
                    "an email channel needs --target with comma-separated addresses, such as ops@example.com,legal@example.com"
            }
        }
        return nil
    }
}
