import LicTrackCore

/// One demo application and the history it went through, before anything is written.
public struct PlannedApplication: Sendable, Equatable {
    /// One event of the history, in the order it happened.
    public struct Event: Sendable, Equatable {
        public var event: WorkflowEvent
        public var on: CivilDate
        public var note: String?
        public var reason: DelayReason?
        public var authorityReference: String?
        public var actor: String?
    }

    /// When the material the application covers runs out, and what it feeds.
    public struct Stock: Sendable, Equatable {
        public var recordedOn: CivilDate
        public var runsOut: CivilDate
        public var feeds: String
    }

    public var draft: ApplicationDraft
    public var events: [Event]
    public var stock: Stock?

    /// Whether the history ends in a decision (approved, denied or withdrawn).
    public var isDecided: Bool {
        guard let last = events.last?.event else { return false }
        return [.approve, .deny, .withdraw].contains(last)
    }
}

/// The demo's history generator: a pure function of the seed, the first day and the last day.
///
/// The patterns follow what is reported of each regime (Docs/regimes.md):
/// - MOFCOM rare-earth and magnet applications from April 2025, decided 2.5 to 4 months after
///   submission, with more returns and requests for information from September 2025;
/// - BIS: mostly within its 90 calendar days, a few returned without action and resubmitted;
/// - ECJU: most within 20 working days, some queries, a tail past 60;
/// - BAFA: long reviews, often months, with requests for information.
///
/// Dates are calendar arithmetic only: the generator invents plausible raw history, and the
/// database's clocks then judge it by each authority's rules and calendar.
public struct DemoPlan: Sendable {
    public var seed: UInt64
    public var first: CivilDate
    public var last: CivilDate

    public init(seed: UInt64, first: CivilDate, last: CivilDate) {
        self.seed = seed
        self.first = first
        self.last = last
    }

    /// The day MOFCOM's practice tightened: more returns and requests for information after it.
    static let mofcomTightening = CivilDate(year: 2025, month: 9, day: 1)!

    /// `count` applications, spread over the authorities and over the period.
    public func applications(count: Int) -> [PlannedApplication] {
        var random = SeedRandom(seed: seed)
        return (0..<count).map { index in
            let authority: String
            switch random.int(1...100) {
            case 1...55: authority = "MOFCOM"
            case 56...72: authority = "BIS"
            case 73...88: authority = "ECJU"
            default: authority = "BAFA"
            }
            return application(index: index, authority: authority, random: &random)
        }
    }

    private func application(index: Int, authority: String, random: inout SeedRandom) -> PlannedApplication {
        let span = max(1, last.daysSinceEpoch - first.daysSinceEpoch - 7)
        // MOFCOM's licence requirement started in April 2025: no earlier MOFCOM applications.
        let earliest = authority == "MOFCOM" ? max(first, CivilDate(year: 2025, month: 4, day: 7)!) : first
        // More applications in recent months than at the start, as a team's use of licences grows.
        let offset = Int(Double(span) * Double.random(in: 0..<1, using: &random).squareRoot())
        let created = min(earliest.adding(days: offset), last)
        let owner = random.pick(DemoCatalogue.owners)
        var history = History(created: created, last: last, owner: owner)
        let draft = self.draft(index: index, authority: authority, created: created, owner: owner, random: &random)
        let reference = self.reference(index: index, authority: authority, year: created.year)

        switch authority {
        case "MOFCOM": mofcom(&history, reference: reference, random: &random)
        case "BIS": bis(&history, reference: reference, random: &random)
        case "ECJU": ecju(&history, reference: reference, random: &random)
        default: bafa(&history, reference: reference, random: &random)
        }

        var stock: PlannedApplication.Stock?
        if authority == "MOFCOM", random.chance(0.4), let submitted = history.events.first?.on {
            stock = .init(
                recordedOn: submitted, runsOut: submitted.adding(days: random.int(45...140)),
                feeds: random.pick(DemoCatalogue.feeds))
        }
        return PlannedApplication(draft: draft, events: history.events, stock: stock)
    }

    // MARK: Authorities

    private func mofcom(_ h: inout History, reference: String, random: inout SeedRandom) {
        guard h.add(.submit, after: random.int(1...6)) else { return }
        let tight = h.day >= Self.mofcomTightening
        if random.chance(tight ? 0.15 : 0.07) {
            guard h.add(.return, after: random.int(10...25), note: "Incomplete end-user documentation") else { return }
            guard h.add(.submit, after: random.int(7...20)) else { return }
        }
        guard h.add(.accept, after: random.int(4...12), reference: reference) else { return }
        let requests = random.chance(tight ? 0.6 : 0.3) ? (random.chance(tight ? 0.3 : 0.1) ? 2 : 1) : 0
        for n in 0..<requests {
            let note = n == 0 ? "End-user certificate and technical specifications" : "Updated end-use statement"
            guard h.add(.requestInfo, after: random.int(10...35), note: note) else { return }
            guard h.add(.provideInfo, after: random.int(5...25)) else { return }
        }
        if random.chance(tight ? 0.2 : 0.1) {
            guard h.add(.delay, after: random.int(10...30), reason: random.pick([.backlog, .hold, .referral])) else {
                return
            }
            guard h.add(.resume, after: random.int(10...30)) else { return }
        }
        // Decided 2.5 to 4 months after submission overall.
        let decisionDay = h.submitted.adding(days: random.int(75...125))
        decide(&h, on: max(decisionDay, h.day.adding(days: 3)), approve: 0.88, deny: 0.07, random: &random)
    }

    private func bis(_ h: inout History, reference: String, random: inout SeedRandom) {
        guard h.add(.submit, after: random.int(1...5), reference: reference) else { return }
        if random.chance(0.08) {
            guard h.add(.return, after: random.int(5...20), note: "Returned without action: missing BIS-711") else {
                return
            }
            guard h.add(.submit, after: random.int(10...30)) else { return }
        }
        if random.chance(0.15) {
            guard h.add(.requestInfo, after: random.int(10...30), note: "Clarify end use") else { return }
            guard h.add(.provideInfo, after: random.int(3...15)) else { return }
        }
        let days = random.chance(0.12) ? random.int(91...150) : random.int(20...88)
        decide(
            &h, on: max(h.submitted.adding(days: days), h.day.adding(days: 1)), approve: 0.85, deny: 0.08,
            random: &random)
    }

    private func ecju(_ h: inout History, reference: String, random: inout SeedRandom) {
        guard h.add(.submit, after: random.int(1...5), reference: reference) else { return }
        if random.chance(0.3) {
            guard h.add(.requestInfo, after: random.int(5...15), note: "ECJU query: end-user undertaking") else {
                return
            }
            guard h.add(.provideInfo, after: random.int(3...20)) else { return }
        }
        let days =
            random.chance(0.06) ? random.int(85...130) : random.chance(0.3) ? random.int(29...80) : random.int(10...28)
        decide(
            &h, on: max(h.submitted.adding(days: days), h.day.adding(days: 1)), approve: 0.9, deny: 0.05,
            random: &random)
    }

    private func bafa(_ h: inout History, reference: String, random: inout SeedRandom) {
        guard h.add(.submit, after: random.int(1...5), reference: reference) else { return }
        if random.chance(0.4) {
            guard h.add(.requestInfo, after: random.int(20...60), note: "Technical description of the item") else {
                return
            }
            guard h.add(.provideInfo, after: random.int(10...40)) else { return }
        }
        let days = random.int(60...420)
        decide(
            &h, on: max(h.submitted.adding(days: days), h.day.adding(days: 1)), approve: 0.92, deny: 0.04,
            random: &random)
    }

    /// Approves, denies or withdraws on `day`, if that day has come.
    private func decide(_ h: inout History, on day: CivilDate, approve: Double, deny: Double, random: inout SeedRandom)
    {
        let roll = Double.random(in: 0..<1, using: &random)
        let event: WorkflowEvent = roll < approve ? .approve : roll < approve + deny ? .deny : .withdraw
        let note: String? =
            switch event {
            case .deny: "Refused: end-use concerns"
            case .withdraw: "Order cancelled by the customer"
            default: nil
            }
        _ = h.add(event, on: day, note: note)
    }

    // MARK: Details

    private func draft(
        index: Int, authority: String, created: CivilDate, owner: String, random: inout SeedRandom
    )
        -> ApplicationDraft
    {
        let applicants: [String]
        let items: [DemoCatalogue.Item]
        let destinations: [String]
        switch authority {
        case "MOFCOM":
            (applicants, items, destinations) = (
                DemoCatalogue.chineseApplicants, DemoCatalogue.rareEarthItems, DemoCatalogue.chineseDestinations
            )
        case "BIS":
            (applicants, items, destinations) = (
                DemoCatalogue.usApplicants, DemoCatalogue.westernItems, DemoCatalogue.westernDestinations
            )
        case "ECJU":
            (applicants, items, destinations) = (
                DemoCatalogue.ukApplicants, DemoCatalogue.westernItems, DemoCatalogue.westernDestinations
            )
        default:
            (applicants, items, destinations) = (
                DemoCatalogue.deApplicants, DemoCatalogue.westernItems, DemoCatalogue.westernDestinations
            )
        }
        let item = random.pick(items)
        let quantity = random.int(item.quantities)
        let value = quantity * item.unitValue
        return ApplicationDraft(
            authority: authority, applicant: random.pick(applicants), endUser: random.pick(DemoCatalogue.endUsers),
            endUse: random.pick(DemoCatalogue.endUses), destination: random.pick(destinations), owner: owner,
            createdOn: created,
            items: [
                ItemDraft(
                    description: item.description, controlCode: item.controlCode, hsCode: item.hsCode,
                    quantity: ExactAmount(String(quantity)), unit: item.unit, value: ExactAmount("\(value).00"),
                    currency: "USD")
            ])
    }

    /// The authority's case number: distinct within one seed (a bijection of the index), and
    /// shaped like the authority's own.
    private func reference(index: Int, authority: String, year: Int) -> String {
        let number = (Int(seed % 1_000) * 7_919 + index) % 900_000 + 100_000
        switch authority {
        case "MOFCOM": return "MOFCOM-DU-\(number)"
        case "BIS": return "Z\(number)"
        case "ECJU": return "GBSIEL/\(year)/\(number)/T"
        default: return "BAFA-\(year)-\(number)"
        }
    }
}

/// The history of one application as it is generated: events after the last day are not added.
struct History {
    var events: [PlannedApplication.Event] = []
    /// The day of the latest event (the creation day at first).
    var day: CivilDate
    /// The day of the latest submission.
    var submitted: CivilDate
    let last: CivilDate
    let owner: String

    init(created: CivilDate, last: CivilDate, owner: String) {
        self.day = created
        self.submitted = created
        self.last = last
        self.owner = owner
    }

    /// Adds `event` `days` after the previous one; false (and nothing added) when that is after the last day.
    mutating func add(
        _ event: WorkflowEvent, after days: Int, note: String? = nil, reason: DelayReason? = nil,
        reference: String? = nil
    ) -> Bool {
        add(event, on: day.adding(days: days), note: note, reason: reason, reference: reference)
    }

    /// Adds `event` on `date`; false (and nothing added) when that is after the last day.
    mutating func add(
        _ event: WorkflowEvent, on date: CivilDate, note: String? = nil, reason: DelayReason? = nil,
        reference: String? = nil
    ) -> Bool {
        guard date <= last else { return false }
        day = date
        if event == .submit { submitted = date }
        let actor: String? = [.submit, .provideInfo].contains(event) ? owner : nil
        events.append(
            .init(event: event, on: date, note: note, reason: reason, authorityReference: reference, actor: actor))
        return true
    }
}
