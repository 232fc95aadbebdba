import LicTrackCore
import Postgres

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads and writes applications. Every rule is enforced by the database; this only asks.
///
/// Each public method is one short transaction.
public struct ApplicationStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// A store on an open database.
    public init(_ database: Database) {
        self.init(connection: database.connection)
    }

    /// Creates an application with its items and returns its id.
    ///
    /// Text the database could not store, or required text that is blank, is refused first, naming
    /// its option; every other rule is the database's.
    public func create(_ draft: ApplicationDraft, actor: String? = nil) throws -> Int64 {
        try InputText.check(draft, from: .options)
        let items = try Self.itemsJSON(draft.items)
        var statement = CreateStatement.application
        do {
            return try connection.transaction { tx in
                try Self.setActor(actor, on: tx)
                let row = try tx.query(
                    """
                    insert into applications (authority, licence_type, applicant, exporter, consignee, end_user,
                                              end_use, destination, authority_reference, owner, created_on)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::date)
                    returning id
                    """,
                    [
                        draft.authority, draft.licenceType.rawValue, draft.applicant, draft.exporter, draft.consignee,
                        draft.endUser, draft.endUse, draft.destination, draft.authorityReference, draft.owner,
                        draft.createdOn,
                    ])[0]
                let id = try row.decode(Int64.self, "id")
                statement = .items
                if !draft.items.isEmpty {
                    try Self.insertItems(items, into: id, on: tx)
                }
                statement = .stock
                if draft.stockRunsOut != nil || draft.feeds != nil {
                    // A stock record dated on the creation day: the database checks both are given.
                    try tx.execute(
                        """
                        insert into application_events (application_id, event, occurred_on, stock_runs_out, feeds)
                        select a.id, 'stock', a.created_on, $2::date, $3 from applications a where a.id = $1::bigint
                        """, [id, draft.stockRunsOut, draft.feeds])
                }
                return id
            }
        } catch let error as PostgresError {
            throw createError(error, draft: draft, statement: statement)
        }
    }

    /// Adds items to an existing application; each is logged as an add-item event on that day.
    public func addItems(_ items: [ItemDraft], to id: Int64, on: DateSpecifier? = nil, actor: String? = nil) throws {
        for item in items { try InputText.check(item, from: .options) }
        var index = 0
        do {
            try connection.transaction { tx in
                try Self.setActor(actor, on: tx)
                if let on {
                    let day = try on.resolve(todayIfNeeded: { try Self.authorityToday(of: id, on: tx) })
                    try tx.execute("select set_config('lictrack.item_added_on', $1, true)", [day.description])
                }
                // One statement per item, so that a refused value is known to be this item's.
                for (offset, item) in items.enumerated() {
                    index = offset
                    try Self.insertItems(try Self.itemsJSON([item]), into: id, on: tx)
                }
            }
        } catch let error as PostgresError {
            throw LicTrackError(error, given: Self.given(items[index], line: items.count > 1 ? index + 1 : nil))
        }
    }

    /// Records an event; the database checks it and moves the application's status.
    ///
    /// With ``EventInput/replaceReference`` the event may replace the application's authority
    /// reference (the database refuses that otherwise); the record's
    /// ``ApplicationEventRecord/replacedReference`` then holds the old one.
    public func record(_ input: EventInput, for id: Int64) throws -> ApplicationEventRecord {
        try InputText.check(input)
        do {
            return try connection.transaction { tx in
                // The actor travels in the INSERT (the trigger falls back to lictrack.actor only
                // when it is missing), so no set_config round trip is needed for it.
                if input.replaceReference {
                    try tx.execute("select set_config('lictrack.replace_reference', 'on', true)")
                }
                let occurredOn = try input.on?.resolve(todayIfNeeded: { try Self.authorityToday(of: id, on: tx) })
                let rows = try tx.query(
                    """
                    with recorded as (
                        insert into application_events (application_id, event, occurred_on, note, actor,
                                                        authority_reference, licence_number, valid_until, reason,
                                                        extend_by, stock_runs_out, feeds)
                        values ($1::bigint, $2, $3::date, $4, $5, $6, $7, $8::date, $9, $10::integer, $11::date, $12)
                        returning *
                    )
                    select r.*, application_reference_before(r.application_id, r.seq) as reference_before
                    from recorded r
                    """,
                    [
                        id, input.event.rawValue, occurredOn, input.note, input.actor, input.authorityReference,
                        input.licenceNumber, input.validUntil, input.reason?.rawValue, input.extendBy,
                        input.stockRunsOut, input.feeds,
                    ])
                var event = try Self.event(from: rows[0])
                let before: String? = try rows[0].decodeIfPresent("reference_before")
                if event.authorityReference != nil && before != nil && before != event.authorityReference {
                    event.replacedReference = before
                }
                return event
            }
        } catch let error as PostgresError {
            throw recordError(error, input: input, id: id)
        }
    }

    /// Finds an application by its id or by the authority's reference number.
    ///
    /// `42` and `#42` name application 42 when it exists; otherwise, and for anything that is not a
    /// number, the text is looked up as an authority reference (case-insensitively).
    public func resolve(_ key: String) throws -> Int64 {
        let trimmed = key.trimmed
        let number = Int64(trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : trimmed)
        return try LicTrackError.translating {
            if let number, number > 0,
                try connection.query("select 1 from applications where id = $1::bigint", [number]).count > 0
            {
                return number
            }
            if trimmed.hasPrefix("#") {
                if let number { throw LicTrackError.applicationNotFound(number) }
                throw LicTrackError(
                    .notFound, "no application has the id \(LicTrackError.quoted(trimmed))",
                    hint: "see 'lictrack app list'")
            }
            let rows = try connection.query(
                "select id from applications where lower(authority_reference) = lower($1) order by id", [trimmed])
            switch rows.count {
            case 0:
                if let number { throw LicTrackError.applicationNotFound(number) }
                throw LicTrackError(
                    .notFound, "no application has the id or authority reference \(LicTrackError.quoted(trimmed))",
                    hint: "see 'lictrack app list'")
            case 1:
                return try rows[0].decode(Int64.self, "id")
            default:
                let ids = try rows.map { "\(try $0.decode(Int64.self, "id"))" }.joined(separator: ", ")
                throw LicTrackError(
                    .invalidInput, "several applications have the reference \(LicTrackError.quoted(trimmed)): \(ids)",
                    hint: "use the numeric id")
            }
        }
    }

    /// Loads one application with its items, history, allowed next events and its clock as of a day.
    ///
    /// All in one snapshot (`REPEATABLE READ, READ ONLY`), or in the transaction already open.
    public func details(of id: Int64, asOf: CivilDate? = nil) throws -> ApplicationDetails {
        try LicTrackError.translating {
            try connection.snapshot { tx in
                let rows = try tx.query("select * from applications where id = $1::bigint", [id])
                guard let row = rows.first else {
                    throw LicTrackError.applicationNotFound(id)
                }
                let items = try tx.query(
                    "select * from application_items where application_id = $1::bigint order by line_no", [id]
                ).map(Self.item(from:))
                let events = try tx.query(
                    "select * from application_events where application_id = $1::bigint order by seq", [id]
                ).map(Self.event(from:))
                let status = try row.decodeKnownText(ApplicationStatus.self, "status")
                let next = try tx.query(
                    """
                    select t.event
                    from workflow_transitions t join workflow_events e using (event)
                    where t.from_status = $1 and e.changes_status
                    order by e.sort_order
                    """, [status]
                ).map { try $0.decodeKnownText(WorkflowEvent.self, "event") }
                let clock = try ClockStore.clock(of: id, asOf: asOf, on: tx)
                let outlook = try ReportStore.outlook(of: id, asOf: clock.asOf, on: tx)
                return ApplicationDetails(
                    id: id, authority: try row.decode(String.self, "authority"),
                    licenceType: try row.decodeKnownText(LicenceType.self, "licence_type"),
                    applicant: try row.decode(String.self, "applicant"), exporter: try row.decodeIfPresent("exporter"),
                    consignee: try row.decodeIfPresent("consignee"), endUser: try row.decodeIfPresent("end_user"),
                    endUse: try row.decodeIfPresent("end_use"), destination: try row.decode(String.self, "destination"),
                    authorityReference: try row.decodeIfPresent("authority_reference"),
                    owner: try row.decodeIfPresent("owner"),
                    status: status, statusSince: try row.decodeIfPresent("status_since"),
                    createdOn: try row.decode(CivilDate.self, "created_on"),
                    licenceNumber: try row.decodeIfPresent("licence_number"),
                    licenceValidUntil: try row.decodeIfPresent("licence_valid_until"),
                    createdAt: try row.decode(Date.self, "created_at"),
                    createdBy: try row.decode(String.self, "created_by"), items: items, events: events,
                    nextEvents: next, clock: clock, forecast: outlook?.forecast, stock: outlook?.supply)
            }
        }
    }

    /// Lists applications matching a filter.
    public func list(_ filter: ApplicationFilter) throws -> [ApplicationSummary] {
        let sql =
            """
            with listed as (
                select a.*, s.sort_order as status_order
                from applications a
                join application_statuses s on s.status = a.status
                where (cardinality($1::text[]) = 0 or a.status = any($1::text[]))
                  and ($2::text is null or a.authority = $2)
                  and ($3::text is null or a.destination = $3)
                  and ($4::text is null or lower(a.owner) = lower($4))
                  and (not $5::boolean or not s.is_final)
            ),
            clocks as materialized (
                select k.*
                from listed l
                cross join lateral (select * from application_clocks k where k.application_id = l.id
                                    order by k.cycle desc limit 1) k
            ),
            projected as (
                select * from sla_clocks_project(
                    array(select row(k.application_id, k.cycle, k.authority, k.unit, k.calendar, k.target, k.extension,
                                     k.started_on, k.ended_on, k.end_event, k.paused_units, k.pause_open_since,
                                     k.deadline, k.warn_on, k.provisional)::sla_cycle_clock
                          from clocks k),
                    $7::date)
            )
            select a.id, a.authority, a.licence_type, a.status, a.status_since, a.applicant, a.destination,
                   a.authority_reference, a.owner, a.created_on, a.last_event_on,
                   (select count(*) from application_items i where i.application_id = a.id) as item_count,
                   -- The projected clock, as app show gives it: while a pause is open the deadline
                   -- moves one unit with each paused unit (the stored one stops where the pause began).
                   p.deadline, coalesce(p.provisional, false) as provisional,
                   coalesce(p.state, 'not_started') as sla_state,
                   coalesce($7::date, authority_today(a.authority)) - a.status_since as days_in_status,
                   case when k.started_on is not null then p.remaining end as remaining,
                   coalesce(p.overdue, 0) as overdue
            from listed a
            left join clocks k on k.application_id = a.id
            left join projected p on p.application_id = a.id
            where ($8::text is null or coalesce(p.state, 'not_started') = $8)
            order by
            """ + " " + filter.sort.orderBy(descending: filter.descending) + " limit $6::bigint"
        return try LicTrackError.translating {
            try connection.query(
                sql,
                [
                    filter.statuses, filter.authority, filter.destination, filter.owner,
                    filter.openOnly, filter.limit.map { Int64($0) }, filter.asOf, filter.slaState,
                ]
            ).map { row in
                ApplicationSummary(
                    id: try row.decode(Int64.self, "id"), authority: try row.decode(String.self, "authority"),
                    licenceType: try row.decodeKnownText(LicenceType.self, "licence_type"),
                    status: try row.decodeKnownText(ApplicationStatus.self, "status"),
                    statusSince: try row.decodeIfPresent("status_since"),
                    applicant: try row.decode(String.self, "applicant"),
                    destination: try row.decode(String.self, "destination"),
                    authorityReference: try row.decodeIfPresent("authority_reference"),
                    owner: try row.decodeIfPresent("owner"),
                    createdOn: try row.decode(CivilDate.self, "created_on"),
                    lastEventOn: try row.decodeIfPresent("last_event_on"),
                    itemCount: try row.decode(Int.self, "item_count"),
                    deadline: try row.decodeIfPresent("deadline"),
                    slaState: try row.decodeKnown(SLAClock.State.self, "sla_state").rawValue,
                    provisional: try row.decode(Bool.self, "provisional"),
                    daysInStatus: try row.decodeIfPresent("days_in_status"),
                    remaining: try row.decodeIfPresent("remaining"), overdue: try row.decode(Int.self, "overdue"))
            }
        }
    }

    /// Today's date in an authority's time zone, the latest date an event may carry.
    public func today(forAuthority authority: String) throws -> CivilDate {
        try LicTrackError.translating {
            let rows = try connection.query("select authority_today($1) as today", [authority])
            guard let today = try rows.first?.decodeIfPresent(CivilDate.self, "today") else {
                throw LicTrackError(
                    .invalidInput, "--authority: unknown authority \(LicTrackError.quoted(authority))",
                    hint: "expected an authority code; see 'lictrack authority list'")
            }
            return today
        }
    }

    // MARK: - Helpers

    static func setActor(_ actor: String?, on connection: PostgresConnection) throws {
        guard let actor, !actor.isEmpty else { return }
        try connection.execute("select set_config('lictrack.actor', $1, true)", [actor])
    }

    static func authorityToday(of id: Int64, on connection: PostgresConnection) throws -> CivilDate {
        let rows = try connection.query(
            "select authority_today(authority) as today from applications where id = $1::bigint", [id])
        guard let row = rows.first else {
            throw LicTrackError.applicationNotFound(id)
        }
        return try row.decode(CivilDate.self, "today")
    }

    static func itemsJSON(_ items: [ItemDraft]) throws -> String {
        String(decoding: try JSONEncoder().encode(items), as: UTF8.self)
    }

    static func insertItems(_ json: String, into id: Int64, on connection: PostgresConnection) throws {
        try connection.execute(
            """
            insert into application_items (application_id, description, control_code, hs_code, quantity, unit,
                                           value, currency)
            select $1::bigint, x.description, x.control_code, x.hs_code, x.quantity, x.unit, x.value, x.currency
            from rows from (jsonb_to_recordset($2::jsonb)
                            as (description text, control_code text, hs_code text, quantity numeric, unit text,
                                value numeric, currency text)) with ordinality
                 as x(description, control_code, hs_code, quantity, unit, value, currency, ord)
            order by x.ord
            """, [id, json])
    }

    static func item(from row: PostgresRow) throws -> ApplicationItem {
        ApplicationItem(
            lineNo: try row.decode(Int.self, "line_no"), description: try row.decode(String.self, "description"),
            controlCode: try row.decodeIfPresent("control_code"), hsCode: try row.decodeIfPresent("hs_code"),
            quantity: try row.decodeIfPresent("quantity"), unit: try row.decodeIfPresent("unit"),
            value: try row.decodeIfPresent("value"),
            currency: try row.decodeIfPresent("currency"), addedAt: try row.decode(Date.self, "added_at"),
            addedBy: try row.decode(String.self, "added_by"))
    }

    static func event(from row: PostgresRow) throws -> ApplicationEventRecord {
        ApplicationEventRecord(
            applicationID: try row.decode(Int64.self, "application_id"), seq: try row.decode(Int.self, "seq"),
            event: try row.decodeKnownText(WorkflowEvent.self, "event"),
            from: try row.decodeKnownTextIfPresent(ApplicationStatus.self, "from_status"),
            to: try row.decodeKnownText(ApplicationStatus.self, "to_status"),
            occurredOn: try row.decode(CivilDate.self, "occurred_on"),
            recordedAt: try row.decode(Date.self, "recorded_at"),
            recordedBy: try row.decode(String.self, "recorded_by"), actor: try row.decodeIfPresent("actor"),
            note: try row.decodeIfPresent("note"), authorityReference: try row.decodeIfPresent("authority_reference"),
            licenceNumber: try row.decodeIfPresent("licence_number"),
            validUntil: try row.decodeIfPresent("valid_until"),
            reason: try row.decodeKnownTextIfPresent(DelayReason.self, "reason"),
            extendBy: try row.decodeIfPresent("extend_by"),
            stockRunsOut: try row.decodeIfPresent("stock_runs_out"), feeds: try row.decodeIfPresent("feeds"))
    }
}
