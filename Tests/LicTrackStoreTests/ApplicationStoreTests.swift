import LicTrackCore
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// ApplicationStore: creating applications with items, reading them back, recording every verb.
@Suite("ApplicationStore create, details and record")
struct ApplicationStoreTests {
    static func date(_ text: String) -> CivilDate { CivilDate(iso8601: text)! }

    static let draft = ApplicationDraft(
        authority: "MOFCOM", licenceType: .general, applicant: "Acme Magnetics Co., Ltd.", exporter: "Acme Trading",
        consignee: "Müller Antriebe GmbH", endUser: "Müller Antriebe GmbH", endUse: "Servo motors",
        destination: "DE", authorityReference: "MOFCOM-2025-0042", owner: "export-desk",
        createdOn: date("2025-01-02"),
        items: [
            ItemDraft(
                description: "NdFeB permanent magnets", controlCode: "1C902.a", hsCode: "8505.11.00",
                quantity: ExactAmount("1200"), unit: "kg", value: ExactAmount("182500.00"), currency: "EUR"),
            ItemDraft(description: "Technical documentation"),
        ])

    @Test func createWithItemsThenDetails() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let store = ApplicationStore(connection: connection)
            let id = try store.create(Self.draft, actor: "li.wei")
            let details = try store.details(of: id)

            #expect(details.id == id)
            #expect(details.authority == "MOFCOM")
            #expect(details.licenceType == "general")
            #expect(details.applicant == "Acme Magnetics Co., Ltd.")
            #expect(details.consignee == "Müller Antriebe GmbH")
            #expect(details.destination == "DE")
            #expect(details.authorityReference == "MOFCOM-2025-0042")
            #expect(details.owner == "export-desk")
            #expect(details.status == "draft")
            #expect(details.statusSince == Self.date("2025-01-02"))
            #expect(details.createdOn == Self.date("2025-01-02"))
            #expect(details.nextEvents == ["submit", "withdraw"])

            #expect(details.items.map(\.lineNo) == [1, 2])
            #expect(details.items.map(\.description) == ["NdFeB permanent magnets", "Technical documentation"])
            let magnet = try #require(details.items.first)
            #expect(magnet.controlCode == "1C902.a")
            #expect(magnet.hsCode == "85051100")
            #expect(magnet.quantity?.text == "1200")
            #expect(magnet.unit == "kg")
            #expect(magnet.value?.text == "182500.00")
            #expect(magnet.currency == "EUR")
            #expect(details.items[1].value == nil)

            #expect(details.events.map(\.event) == ["create"])
            #expect(details.events.first?.actor == "li.wei")
        }
    }

    /// A refused item rolls back the whole creation.
    @Test func createIsAllOrNothing() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let store = ApplicationStore(connection: connection)
            var draft = Self.draft
            draft.items.append(ItemDraft(description: "Priced in nothing", value: ExactAmount("1.00"), currency: "XXY"))
            let error = #expect(throws: LicTrackError.self) { try store.create(draft) }
            #expect(error?.kind == .invalidInput)
            #expect(error?.sqlState == "23503")
            #expect(try connection.value("select count(*) from applications") == "0")
        }
    }

    /// For each verb: a status it is allowed from, and what it is recorded with.
    static let verbs: [(WorkflowEvent, String)] = [
        (.submit, "draft"), (.accept, "submitted"), (.requestInfo, "under_review"), (.provideInfo, "info_requested"),
        (.delay, "submitted"), (.resume, "delayed"), (.approve, "under_review"), (.deny, "delayed"),
        (.return, "info_requested"), (.withdraw, "returned"), (.note, "approved"), (.stock, "under_review"),
    ]

    /// Each verb on its own application, all in one database.
    @Test func recordEachVerb() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let store = ApplicationStore(connection: connection)
            for (verb, from) in Self.verbs {
                try Self.record(verb, from: from, store: store, connection: connection)
            }
            #expect(Set(Self.verbs.map(\.0)) == Set(WorkflowEvent.allCases).subtracting([.create, .addItem]))
        }
    }

    static func record(
        _ verb: WorkflowEvent, from: String, store: ApplicationStore, connection: PostgresConnection
    ) throws {
        // A reference belongs to one application of its authority (0020): each gets its own.
        var draft = Self.draft
        draft.authorityReference = "MOFCOM-2025-0042-\(verb.rawValue)"
        let id = try store.create(draft)
        try connection.reach(from, application: id)
        let expected =
            verb == .note || verb == .stock
            ? from : try #require(Spec.target(of: verb.rawValue, from: from, origin: "submitted"))
        var input = EventInput(
            event: verb, on: .date(Self.date("2025-02-01")), note: verb == .note ? "licence collected" : nil,
            actor: "li.wei", authorityReference: verb == .accept ? "MOFCOM-2025-0099" : nil,
            licenceNumber: verb == .approve ? "DE-GEN-2025-7" : nil,
            validUntil: verb == .approve ? Self.date("2026-01-31") : nil,
            reason: verb == .delay ? .extension : nil)
        // The accept's reference replaces the one given at creation, which needs saying so.
        input.replaceReference = verb == .accept
        if verb == .stock {
            input.stockRunsOut = Self.date("2025-06-30")
            input.feeds = "Line 3"
        }

        let record = try store.record(input, for: id)
        let verbName = verb.rawValue
        #expect(record.applicationID == id, "\(verbName)")
        #expect(record.event == verb.rawValue, "\(verbName)")
        #expect(record.from == from, "\(verbName)")
        #expect(record.to == expected, "\(verbName)")
        #expect(record.seq == Spec.path[from]!.count + 2, "\(verbName)")
        #expect(record.occurredOn == Self.date("2025-02-01"), "\(verbName)")
        #expect(record.actor == "li.wei", "\(verbName)")
        #expect(record.reason == (verb == .delay ? "extension" : nil), "\(verbName)")
        #expect(record.licenceNumber == (verb == .approve ? "DE-GEN-2025-7" : nil), "\(verbName)")
        #expect(record.note == (verb == .note ? "licence collected" : nil), "\(verbName)")

        let details = try store.details(of: id)
        #expect(details.status == expected, "\(verbName)")
        #expect(details.events.last?.seq == record.seq, "\(verbName)")
        if verb == .approve {
            #expect(details.licenceNumber == "DE-GEN-2025-7")
            #expect(details.licenceValidUntil == Self.date("2026-01-31"))
            #expect(details.nextEvents.isEmpty)
        }
        if verb == .accept { #expect(details.authorityReference == "MOFCOM-2025-0099") }
    }

    /// Relative dates are resolved against today in the authority's time zone.
    @Test func relativeDateIsTheAuthoritysYesterday() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let store = ApplicationStore(connection: connection)
            let id = try store.create(Self.draft)
            let record = try store.record(EventInput(event: .submit, on: .daysAgo(1)), for: id)
            let yesterday = try #require(try connection.value("select (authority_today('MOFCOM') - 1)::text"))
            #expect(record.occurredOn.description == yesterday)
            let today = try store.record(EventInput(event: .accept), for: id)
            #expect(today.occurredOn.description == (try connection.value("select authority_today('MOFCOM')::text")))
        }
    }

    @Test func refusedEventsBecomeLicTrackErrors() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let store = ApplicationStore(connection: connection)
            let id = try store.create(Self.draft)

            let illegal = #expect(throws: LicTrackError.self) {
                try store.record(EventInput(event: .approve, on: .date(Self.date("2025-02-01"))), for: id)
            }
            #expect(illegal?.kind == .invalidInput)
            #expect(illegal?.sqlState == "LT001")

            let early = #expect(throws: LicTrackError.self) {
                try store.record(EventInput(event: .submit, on: .date(Self.date("2024-12-31"))), for: id)
            }
            #expect(early?.sqlState == "LT002")

            let missing = #expect(throws: LicTrackError.self) {
                try store.record(EventInput(event: .submit, on: .date(Self.date("2025-02-01"))), for: id + 1000)
            }
            #expect(missing?.kind == .notFound)
            let missingRelative = #expect(throws: LicTrackError.self) {
                try store.record(EventInput(event: .submit, on: .daysAgo(1)), for: id + 1000)
            }
            #expect(missingRelative?.kind == .notFound)
            let missingDetails = #expect(throws: LicTrackError.self) { try store.details(of: id + 1000) }
            #expect(missingDetails?.kind == .notFound)
            #expect(try store.details(of: id).events.count == 1)
        }
    }

    @Test func addItemsLaterLogsEvents() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let store = ApplicationStore(connection: connection)
            let id = try store.create(Self.draft)
            try store.addItems(
                [ItemDraft(description: "Spare coils", value: ExactAmount("10.50"), currency: "USD")], to: id,
                actor: "li.wei")
            let details = try store.details(of: id)
            #expect(details.items.map(\.lineNo) == [1, 2, 3])
            #expect(details.items.last?.value?.text == "10.50")
            #expect(details.events.map(\.event) == ["create", "add-item"])
            #expect(details.events.last?.actor == "li.wei")

            try connection.insertEvent(id, "withdraw", on: nil)
            let error = #expect(throws: LicTrackError.self) {
                try store.addItems([ItemDraft(description: "Too late")], to: id)
            }
            #expect(error?.sqlState == "LT001")
        }
    }
}
