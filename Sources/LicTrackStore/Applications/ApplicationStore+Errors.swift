import LicTrackCore
import Postgres

/// Turning the database's refusals of an application's input into messages that name the option.
extension ApplicationStore {
    /// The statement of `create` that was running when the database refused something.
    enum CreateStatement {
        case application, items, stock
    }

    /// The index that keeps an authority reference to one application per authority (0020).
    static let referenceIndex = "applications_authority_reference_key"

    /// The error for a refused `create`, echoing the value that broke the rule.
    func createError(_ error: PostgresError, draft: ApplicationDraft, statement: CreateStatement) -> LicTrackError {
        if error.constraintName == Self.referenceIndex, let reference = draft.authorityReference {
            return referenceTaken(reference, authority: draft.authority, excluding: nil, error: error)
        }
        switch statement {
        case .application:
            return LicTrackError(
                error,
                given: GivenInput(
                    [
                        "applicant": draft.applicant, "authority_reference": draft.authorityReference,
                        "licence_type": draft.licenceType.rawValue, "destination": draft.destination,
                    ], lengthLimited: "applications.destination"))
        case .items:
            return LicTrackError(error, given: Self.givenItem(draft.items, error: error))
        case .stock:
            return LicTrackError(error, given: GivenInput(["feeds": draft.feeds]))
        }
    }

    /// The error for a refused event, echoing the value that broke the rule.
    func recordError(_ error: PostgresError, input: EventInput, id: Int64) -> LicTrackError {
        if error.constraintName == Self.referenceIndex, let reference = input.authorityReference {
            return referenceTaken(reference, authority: nil, excluding: id, error: error)
        }
        return LicTrackError(
            error,
            given: GivenInput([
                "note": input.note, "authority_reference": input.authorityReference,
                "licence_number": input.licenceNumber, "reason": input.reason?.rawValue,
                "extend_by": input.extendBy.map(String.init), "feeds": input.feeds,
            ]))
    }

    /// What the user gave for one item; `line` when it is one of several.
    static func given(_ item: ItemDraft, line: Int?) -> GivenInput {
        GivenInput(
            [
                "description": item.description, "control_code": item.controlCode, "hs_code": item.hsCode,
                "quantity": item.quantity?.text, "unit": item.unit, "value": item.value?.text,
                "currency": item.currency,
            ], lengthLimited: "application_items.currency", item: line)
    }

    /// The item a refusal of the items statement was about.
    ///
    /// A check names the row it failed on ("Failing row contains (application_id, line_no, ...)"), and
    /// items created with their application are numbered from 1 in order. A currency too long for its
    /// `char(3)` column is reported without a row, so it is the first currency longer than that.
    static func givenItem(_ items: [ItemDraft], error: PostgresError) -> GivenInput {
        let line: Int?
        if error.sqlState == "22001" {
            line = items.firstIndex { ($0.currency?.count ?? 0) > 3 }.map { $0 + 1 }
        } else {
            line = failingLine(error.detail)
        }
        guard let line, items.indices.contains(line - 1) else { return GivenInput() }
        return given(items[line - 1], line: items.count > 1 ? line : nil)
    }

    /// The second field of "Failing row contains (1, 2, ...)": an item's line number.
    static func failingLine(_ detail: String?) -> Int? {
        guard let detail, let open = detail.firstIndex(of: "(") else { return nil }
        let fields = detail[detail.index(after: open)...].split(separator: ",", maxSplits: 2)
        guard fields.count >= 2 else { return nil }
        return Int(String(fields[1]).trimmed)
    }

    /// The error for a reference another application took first (two transactions passed the
    /// trigger's check at once and the unique index stopped the second): it names that application.
    func referenceTaken(
        _ reference: String, authority: String?, excluding id: Int64?, error: PostgresError
    )
        -> LicTrackError
    {
        let owner = try? connection.query(
            """
            select a.id, a.authority from applications a
            where a.authority = coalesce($2, (select authority from applications where id = $3::bigint))
              and lower(a.authority_reference) = lower($1) and a.id is distinct from $3::bigint
            order by a.id limit 1
            """, [reference, authority, id]
        ).first
        guard let owner, let other = try? owner.decode(Int64.self, "id") else {
            return LicTrackError(
                .conflict, "the reference \(LicTrackError.quoted(reference)) was just taken by another application",
                hint: "try again", sqlState: error.sqlState)
        }
        let code = (try? owner.decode(String.self, "authority")) ?? ""
        return LicTrackError(
            .invalidInput,
            "the reference \(LicTrackError.quoted(reference)) already belongs to application \(other) (\(code))",
            hint: "an authority reference names one application of its authority; check the number",
            sqlState: error.sqlState)
    }
}
