import CLibPQ

extension PostgresConfiguration {
    /// Splits a libpq connection string into its keyword/value pairs, in libpq's keyword order.
    ///
    /// Accepts both URLs (`postgresql://user@host:5432/db?sslmode=require`) and `key=value`
    /// strings; only the parameters the string sets are returned, without applying environment
    /// variables or defaults. Multi-host URLs come back as comma-separated `host` and `port`
    /// values, as libpq stores them. An empty string gives no pairs, and a bare word without `=`
    /// is a database name, as libpq treats it.
    ///
    /// - Throws: ``PostgresError`` of kind ``PostgresError/Kind/connectionFailed`` if libpq
    ///   cannot parse the string (with any password scrubbed from the message).
    public static func parseConnectionString(_ connectionString: String) throws -> [(keyword: String, value: String)] {
        guard !connectionString.isEmpty else { return [] }
        guard Self.looksLikeConnectionInfo(connectionString) else {
            return [(keyword: "dbname", value: connectionString)]
        }
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            var message = "invalid connection string"
            if let errorMessage {
                message = String(cString: errorMessage).trimmingWhitespace()
                PQfreemem(errorMessage)
            }
            let scrubber = PasswordScrubber(secrets: PasswordScrubber.environmentSecrets())
            throw PostgresError(kind: .connectionFailed, message: scrubber.scrub(message))
        }
        defer { PQconninfoFree(options) }
        var pairs: [(keyword: String, value: String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                pairs.append((keyword: String(cString: keyword), value: String(cString: value)))
            }
            option += 1
        }
        return pairs
    }

    /// Formats keyword/value pairs as a libpq `key=value` connection string.
    ///
    /// Every value is single-quoted, with `\` and `'` escaped, so any value survives.
    public static func formatConnectionString(_ parameters: [(keyword: String, value: String)]) -> String {
        parameters.map { "\($0.keyword)=\(Self.quoteConnectionValue($0.value))" }.joined(separator: " ")
    }

    /// Quotes one value for a `key=value` connection string.
    static func quoteConnectionValue(_ value: String) -> String {
        var quoted = "'"
        for character in value {
            if character == "\\" || character == "'" { quoted.append("\\") }
            quoted.append(character)
        }
        quoted.append("'")
        return quoted
    }

    /// Whether libpq would read `string` as a connection string rather than a bare database name.
    ///
    /// Mirrors libpq's own test: a URI scheme designator, or an equal sign anywhere.
    static func looksLikeConnectionInfo(_ string: String) -> Bool {
        string.hasPrefix("postgresql://") || string.hasPrefix("postgres://") || string.contains("=")
    }
}
