#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Removes passwords from text that is about to go into a ``PostgresError``.
///
/// Replaces every occurrence of each known secret (the connection string's password,
/// `PGPASSWORD`, the password libpq actually used) with `***`, and then, whatever the secrets,
/// any `password=...` keyword/value pair and any `://user:secret@` URL user information.
struct PasswordScrubber: Sendable {
    /// The literal secrets to remove, longest first so that one secret containing another goes whole.
    private(set) var secrets: [String]

    /// Creates a scrubber for the given secrets; empty ones are ignored.
    init(secrets: [String]) {
        self.secrets = []
        self.add(secrets)
    }

    /// Adds more secrets to remove.
    mutating func add(_ newSecrets: [String]) {
        for secret in newSecrets where !secret.isEmpty && !self.secrets.contains(secret) {
            self.secrets.append(secret)
        }
        self.secrets.sort { $0.count > $1.count }
    }

    /// The password in the `PGPASSWORD` environment variable, if set.
    static func environmentSecrets() -> [String] {
        guard let value = getenv("PGPASSWORD") else { return [] }
        return [String(cString: value)]
    }

    /// The password set by a connection string, if it sets one and can be parsed.
    static func secrets(inConnectionString connectionString: String?) -> [String] {
        guard let connectionString, !connectionString.isEmpty,
            let pairs = try? PostgresConfiguration.parseConnectionString(connectionString)
        else { return [] }
        return pairs.filter { $0.keyword == "password" }.map(\.value)
    }

    /// Returns `text` with every known secret and every password-looking fragment replaced by `***`.
    func scrub(_ text: String) -> String {
        var result = text
        for secret in self.secrets {
            result = result.replacing(secret, with: "***")
        }
        result = result.replacing(#/(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s'"]+)/#) { match in
            "\(match.output.1)***"
        }
        result = result.replacing(#/(://[^:@/\s]*):[^@\s]*@/#) { match in
            "\(match.output.1):***@"
        }
        return result
    }

    /// Returns `text` scrubbed, or `nil` if it is `nil`.
    func scrub(_ text: String?) -> String? {
        text.map { self.scrub($0) }
    }
}
