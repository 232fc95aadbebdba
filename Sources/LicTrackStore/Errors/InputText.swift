import LicTrackCore

/// The checks text input goes through before it is sent: no NUL character (PostgreSQL text cannot
/// hold one), and no blank value where the database requires text.
///
/// The database checks blank text itself (`is_blank`, migration 0020); checking here first names
/// the option or the file's key, as the database cannot.
public enum InputText {
    /// Where the values of an application came from: the command line, or a `--from-file` file.
    public enum Source: Sendable {
        case options
        case file(String)
    }

    /// Refuses `value` if it holds a NUL character or, unless `blankAllowed`, is blank.
    ///
    /// - Parameter name: the option (`--applicant`) or file key (`application.json: .applicant`).
    public static func check(_ value: String?, _ name: String, blankAllowed: Bool = false) throws {
        guard let value else { return }
        if BlankText.containsNul(value) {
            throw LicTrackError(
                .invalidInput, "\(name): invalid value \(LicTrackError.quoted(value))",
                hint: "expected text without NUL characters, which the database cannot store")
        }
        if !blankAllowed && BlankText.isBlank(value) {
            throw LicTrackError(
                .invalidInput, "\(name): blank value \(LicTrackError.quoted(value))",
                hint: "expected \(InputRules.notBlank)")
        }
    }

    /// Checks every text of an application and its items.
    public static func check(_ draft: ApplicationDraft, from source: Source) throws {
        func name(_ option: String, _ key: String) -> String {
            switch source {
            case .options: option
            case .file(let path): "\(path): .\(key)"
            }
        }
        try check(draft.authority, name("--authority", "authority"))
        try check(draft.applicant, name("--applicant", "applicant"))
        try check(draft.destination, name("--destination", "destination"))
        try check(draft.authorityReference, name("--authority-ref", "authority_reference"))
        try check(draft.feeds, name("--feeds", "feeds"))
        for (option, key, value) in [
            ("--exporter", "exporter", draft.exporter), ("--consignee", "consignee", draft.consignee),
            ("--end-user", "end_user", draft.endUser), ("--end-use", "end_use", draft.endUse),
            ("--owner", "owner", draft.owner),
        ] {
            try check(value, name(option, key), blankAllowed: true)
        }
        for (index, item) in draft.items.enumerated() {
            switch source {
            case .options: try check(item, from: source)
            case .file(let path): try check(item, from: .file("\(path): .items[\(index)]"))
            }
        }
    }

    /// Checks every text of one item.
    public static func check(_ item: ItemDraft, from source: Source) throws {
        func name(_ option: String, _ key: String) -> String {
            switch source {
            case .options: option
            case .file(let prefix): "\(prefix).\(key)"
            }
        }
        try check(item.description, name("--item", "description"))
        try check(item.unit, name("--unit", "unit"))
        try check(item.controlCode, name("--control-code", "control_code"), blankAllowed: true)
        try check(item.hsCode, name("--hs-code", "hs_code"), blankAllowed: true)
        try check(item.currency, name("--currency", "currency"), blankAllowed: true)
    }

    /// Checks every text of an event: a note, a reference, a licence number or what stock feeds is
    /// never blank when given.
    public static func check(_ input: EventInput) throws {
        try check(input.note, "--note")
        try check(input.authorityReference, "--authority-ref")
        try check(input.licenceNumber, "--licence-number")
        try check(input.feeds, "--feeds")
        try check(input.actor, "--actor", blankAllowed: true)
    }
}
