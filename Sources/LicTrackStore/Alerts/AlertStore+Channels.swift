import LicTrackCore
import Postgres

/// Delivery channels: adding, listing, enabling and disabling them.
extension AlertStore {
    /// Adds a delivery channel. It receives the alerts raised from now on.
    ///
    /// The database's constraints on `alert_channels` decide what a valid channel is; a violation
    /// becomes a ``LicTrackError`` of kind `.usage` naming the option, the value given (quoted,
    /// with any secret in it masked) and what is expected.
    ///
    /// - Throws: ``LicTrackError``: `.usage` for a bad name, target or header; `.invalidInput` for
    ///   an unknown authority or a name already taken.
    public func addChannel(_ draft: AlertChannelDraft) throws -> AlertChannel {
        let authorities = draft.authorities
        let levels = draft.levels.map(\.rawValue)
        let headers = draft.headersFromEnvironment.map(\.text)
        return try LicTrackError.translating {
            do {
                return try connection.transaction { tx in
                    let unknown = try tx.query(
                        """
                        select u.code from unnest($1::text[]) as u(code)
                        where not exists (select 1 from authorities a where a.code = u.code)
                        """, [authorities]
                    ).map { try $0.decode(String.self, "code") }
                    if !unknown.isEmpty {
                        throw LicTrackError(
                            .invalidInput, "unknown authority: \(unknown.joined(separator: ", "))",
                            hint: "see 'lictrack authority list'")
                    }
                    let row = try tx.query(
                        """
                        insert into alert_channels as c (name, kind, target, authorities, levels, headers_from_env)
                        values ($1, $2, $3, nullif($4::text[], '{}'), nullif($5::text[], '{}'),
                                nullif($6::text[], '{}'))
                        returning \(Self.channelColumns)
                        """, [draft.name, draft.kind.rawValue, draft.target, authorities, levels, headers])[0]
                    return try Self.channel(from: row)
                }
            } catch let error as PostgresError where error.sqlState == "23514" || error.sqlState == "23505" {
                throw Self.channelError(error, draft) ?? LicTrackError(error)
            }
        }
    }

    /// Every delivery channel, by name.
    public func channels() throws -> [AlertChannel] {
        try LicTrackError.translating {
            try connection.query("select \(Self.channelColumns) from alert_channels c order by c.name").map {
                try Self.channel(from: $0)
            }
        }
    }

    /// The channel of that name.
    ///
    /// - Throws: ``LicTrackError`` `.notFound` if there is none.
    public func channel(named name: String) throws -> AlertChannel {
        try LicTrackError.translating {
            guard
                let row = try connection.query(
                    "select \(Self.channelColumns) from alert_channels c where c.name = $1", [name]
                ).first
            else {
                throw Self.noSuchChannel(name)
            }
            return try Self.channel(from: row)
        }
    }

    /// Enables or disables a channel; returns whether that changed anything.
    ///
    /// A disabled channel keeps its pending deliveries (they wait) and gets no new alerts.
    ///
    /// - Throws: ``LicTrackError`` `.notFound` if there is no channel of that name.
    @discardableResult
    public func setChannel(_ name: String, enabled: Bool) throws -> Bool {
        try LicTrackError.translating {
            try connection.transaction { tx in
                let rows = try tx.query(
                    "select enabled from alert_channels where name = $1 for update", [name])
                guard let row = rows.first else { throw Self.noSuchChannel(name) }
                if try row.decode(Bool.self, "enabled") == enabled { return false }
                try tx.execute("update alert_channels set enabled = $2::boolean where name = $1", [name, enabled])
                return true
            }
        }
    }

    /// The error for a channel name that names no channel.
    static func noSuchChannel(_ name: String) -> LicTrackError {
        LicTrackError(
            .notFound, "no alert channel is named \(LicTrackError.quoted(name))",
            hint: "see 'lictrack alerts channel list'")
    }

    /// What to tell the user when the database refused a new channel, by the constraint it broke.
    private static func channelError(_ error: PostgresError, _ draft: AlertChannelDraft) -> LicTrackError? {
        let target = LicTrackError.quoted(SecretMask.masking(draft.target ?? ""))
        let headers = LicTrackError.quoted(draft.headersFromEnvironment.map(\.text).joined(separator: " "))
        let message: String
        switch error.constraintName {
        case "alert_channels_name_key":
            return LicTrackError(
                .invalidInput, "an alert channel named \(LicTrackError.quoted(draft.name)) already exists",
                hint: "see 'lictrack alerts channel list'", sqlState: error.sqlState)
        case "alert_channels_name_check":
            message =
                "invalid channel name \(LicTrackError.quoted(draft.name)): use 1 to 63 letters, digits, '_', '.' "
                + "or '-', starting with a letter or digit"
        case "channel_target_required", "channel_target_matches_kind":
            switch draft.kind {
            case .stdout:
                message = "a stdout channel takes no --target (got \(target))"
            case .jsonl:
                message = "--target of a jsonl channel must be an absolute file path (got \(target))"
            case .webhook:
                message =
                    "--target of a webhook channel must be an http:// or https:// URL without spaces (got \(target))"
            case .email:
                message =
                    "--target of an email channel must be comma-separated addresses without spaces, such as "
                    + "ops@example.com,legal@example.com (got \(target))"
            }
            if draft.target == nil && draft.kind != .stdout {
                return LicTrackError(
                    .usage, "a \(draft.kind.rawValue) channel needs --target", sqlState: error.sqlState)
            }
        case "channel_headers_from_env_webhook_only":
            message = "--header-from-env is for webhook channels only"
        case "channel_headers_from_env_format":
            message =
                "--header-from-env takes NAME=VARIABLE, an HTTP header name and an environment variable name, "
                + "such as Authorization=HOOK_TOKEN (got \(headers))"
        default:
            return nil
        }
        return LicTrackError(.usage, message, sqlState: error.sqlState)
    }
}
