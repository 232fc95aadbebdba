/// What one of the database's rules on a value means at the terminal: the option, and what it expects.
///
/// The rules themselves are the schema's check constraints and column types; this only words them.
/// `InputRulesTests` walks every check constraint and every length-limited column of the schema and
/// fails when one has no entry here.
public struct InputRule: Sendable, Equatable {
    /// The option or argument the value comes from (`--hs-code`, `CODE`); nil for a rule on values
    /// lictrack computes itself, whose breach is a bug.
    public var option: String?
    /// The column that holds the value, to echo what was given.
    public var column: String?
    /// What the rule expects, in words, with an example.
    public var expected: String

    public init(option: String?, column: String?, expected: String) {
        self.option = option
        self.column = column
        self.expected = expected
    }

    /// A rule on values lictrack writes itself: breaking it is a bug, not bad input.
    static func internalRule(_ what: String) -> InputRule {
        InputRule(option: nil, column: nil, expected: what)
    }

    /// The one-line message for a value that broke this rule.
    ///
    /// - Parameters:
    ///   - given: what the user gave, when known.
    ///   - item: the item's line number, when the value belongs to one of several items.
    public func message(given: String?, item: Int? = nil) -> String {
        let option = self.option ?? "a value"
        let subject = item.map { "\(option) of item \($0)" } ?? option
        let got = given.map { " " + LicTrackError.quoted($0) } ?? ""
        return "\(subject): invalid value\(got) (expected \(expected))"
    }
}

/// Every check constraint and length limit of the schema, worded for the person at the terminal.
public enum InputRules {
    static let notBlank = "text that is not blank: not only spaces, tabs, line breaks or invisible characters"

    /// Every check constraint of the schema, by constraint name.
    public static let checks: [String: InputRule] = [
        // Reference data (0001): loaded by the migration, never typed in.
        "countries_code_check": .internalRule("a country code of two capital letters"),
        "currencies_code_check": .internalRule("a currency code of three capital letters"),
        "currencies_minor_units_check": .internalRule("0 to 4 minor units"),
        // Authorities (0002).
        "authorities_code_check": InputRule(
            option: "CODE", column: "code",
            expected: "2 to 16 capital letters, digits, '-' or '_', starting with a letter, such as METI"),
        "authorities_name_check": InputRule(option: "--name", column: "name", expected: notBlank),
        // Applications and items (0002, 0020).
        "applications_applicant_check": InputRule(option: "--applicant", column: "applicant", expected: notBlank),
        "applications_authority_reference_check": InputRule(
            option: "--authority-ref", column: "authority_reference", expected: notBlank),
        // The licence_type domain (0019), on applications and sla_policies alike.
        "licence_type_check": InputRule(
            option: "--licence-type", column: "licence_type", expected: "single, general or other"),
        "application_items_description_check": InputRule(option: "--item", column: "description", expected: notBlank),
        "application_items_control_code_check": InputRule(
            option: "--control-code", column: "control_code",
            expected: "a control-list entry of 1 to 32 letters, digits, '.', '-' or '/', such as 1C902.a or EAR99"),
        "application_items_hs_code_check": InputRule(
            option: "--hs-code", column: "hs_code",
            expected: "an HS code of 4 to 12 digits, such as 8505.11.10; dots and spaces are removed"),
        "application_items_quantity_check": InputRule(
            option: "--quantity", column: "quantity", expected: "an exact decimal greater than 0, such as 2400"),
        "application_items_unit_check": InputRule(option: "--unit", column: "unit", expected: notBlank),
        "application_items_value_check": InputRule(
            option: "--value", column: "value", expected: "an exact decimal of 0 or more, such as 12345.67"),
        "item_quantity_needs_unit": InputRule(
            option: "--quantity", column: "quantity", expected: "a --unit with the quantity, such as kg or pcs"),
        "item_value_needs_currency": InputRule(
            option: "--value", column: "value",
            expected: "a value and a --currency together, or neither; an ISO 4217 code such as USD"),
        // Events (0002, 0004, 0020).
        "application_events_authority_reference_check": InputRule(
            option: "--authority-ref", column: "authority_reference", expected: notBlank),
        "application_events_licence_number_check": InputRule(
            option: "--licence-number", column: "licence_number", expected: notBlank),
        "application_events_reason_check": InputRule(
            option: "--reason", column: "reason", expected: "extension, referral, hold, backlog or other"),
        "extension_only_on_delay": InputRule(
            option: "--extend-by", column: "extend_by", expected: "a whole number greater than 0, on a delay only"),
        "application_events_note_check": InputRule(option: "--note", column: "note", expected: notBlank),
        "application_events_feeds_check": InputRule(option: "--feeds", column: "feeds", expected: notBlank),
        // Calendars (0003).
        "calendars_code_check": InputRule(
            option: "CODE", column: "code",
            expected: "2 to 16 capital letters, digits or '-', starting with a letter, such as GB-ENG"),
        "calendar_years_year_check": InputRule(option: "the dates", column: "year", expected: "years 1900 to 2999"),
        "calendar_days_working_day_index_check": .internalRule("a working-day index of 0 or more"),
        // SLA policies (0004).
        // Values lictrack computes itself (0019): a clock's state, and the statuses that end a cycle.
        "sla_clock_state_check": .internalRule(
            "a clock state: not_started, on_track, due_soon, paused, breached, met or missed"),
        "final_statuses_end_their_cycle": .internalRule("every final status to end its cycle"),
        "sla_policies_target_check": InputRule(
            option: "--target", column: "target", expected: "a whole number of units greater than 0, such as 45"),
        "sla_policies_unit_check": InputRule(
            option: "--unit", column: "unit", expected: "working_days or calendar_days"),
        "sla_policies_warn_before_check": InputRule(
            option: "--warn-before", column: "warn_before", expected: "a whole number of units, 0 or more"),
        "working_days_need_a_calendar": InputRule(
            option: "--calendar", column: "calendar",
            expected: "a calendar for a clock in working days, such as --calendar CN; see 'lictrack calendar list'"),
        // Alert channels (0005, 0011, 0015): AlertStore words these with the channel's kind.
        "alert_channels_kind_check": InputRule(
            option: "--kind", column: "kind", expected: "stdout, jsonl, webhook or email"),
        "alert_channels_levels_check": InputRule(
            option: "--level", column: "levels", expected: "due_soon, breached or supply_risk"),
        "alert_channels_name_check": InputRule(
            option: "NAME", column: "name",
            expected: "1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit"),
        "channel_headers_from_env_format": InputRule(
            option: "--header-from-env", column: nil, expected: "NAME=VARIABLE, such as Authorization=HOOK_TOKEN"),
        "channel_headers_from_env_webhook_only": InputRule(
            option: "--header-from-env", column: nil, expected: "a webhook channel"),
        "channel_target_matches_kind": InputRule(
            option: "--target", column: "target",
            expected: "a target that fits the kind: an absolute file path (jsonl), an http(s) URL (webhook), "
                + "e-mail addresses (email), none (stdout)"),
        "channel_target_required": InputRule(
            option: "--target", column: "target", expected: "a target for every kind but stdout"),
        // Alerts and deliveries (0005, 0011, 0015): written by the alert job alone.
        "sla_alerts_level_check": .internalRule("an alert level of due_soon, breached or supply_risk"),
        "sla_alerts_stock_matches_level": .internalRule("a stock date on supply_risk alerts only"),
        "alert_deliveries_status_check": .internalRule("a delivery status of pending, sending or delivered"),
        "alert_deliveries_lease_matches_status": .internalRule("a lease on sending deliveries only"),
    ]

    /// Every column whose type limits its length (`char(n)`), by `table.column`. PostgreSQL names
    /// neither the column nor the constraint when such a value is too long (SQLSTATE 22001), so the
    /// store says which column of its statement it was.
    public static let lengths: [String: InputRule] = [
        "applications.destination": InputRule(
            option: "--destination", column: "destination",
            expected: "an ISO 3166-1 alpha-2 country code of two letters, such as DE"),
        "application_items.currency": InputRule(
            option: "--currency", column: "currency",
            expected: "an ISO 4217 currency code of three letters, such as EUR"),
        "authorities.country": InputRule(
            option: "--country", column: "country",
            expected: "an ISO 3166-1 alpha-2 country code of two letters, such as JP"),
        "countries.code": .internalRule("a country code of two letters"),
        "currencies.code": .internalRule("a currency code of three letters"),
    ]
}
