import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

/// The options every event verb takes.
struct EventOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Application id or authority reference.", valueName: "app")) var app: String
    @Option(help: ArgumentHelp("When it happened (default: today in the authority's time zone).", valueName: "date"))
    var on: DateSpecifier?
    @Option(help: "A note for the record (what was said, which letter).") var note: String?
    @Option(name: .customLong("authority-ref"), help: "The authority's reference number, if it gave one.")
    var authorityReference: String?
    @Flag(
        name: .customLong("replace-ref"),
        help: "Let --authority-ref replace the reference the application already has.")
    var replaceReference = false
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
}

/// A verb that records one workflow event.
protocol EventVerb: ParsableCommand {
    static var event: WorkflowEvent { get }
    var options: EventOptions { get }
    /// Fills in the verb's own details.
    func details(_ input: inout EventInput)
}

extension EventVerb {
    func details(_ input: inout EventInput) {}

    func validate() throws {
        try validateReference()
    }

    /// `--replace-ref` says what to do with an `--authority-ref`, so it needs one.
    func validateReference() throws {
        if options.replaceReference && options.authorityReference == nil {
            throw ValidationError("--replace-ref needs --authority-ref REF: the reference that replaces the old one")
        }
    }

    func run() throws {
        var input = EventInput(
            event: Self.event, on: options.on, note: options.note, actor: options.actor.resolved,
            authorityReference: options.authorityReference)
        input.replaceReference = options.replaceReference
        details(&input)
        let database = try options.connection.connect()
        let store = ApplicationStore(database)
        let id = try store.resolve(options.app)
        let event = try store.record(input, for: id)
        let clock = try ClockStore(database).storedClock(of: id)
        switch options.output.format {
        case .json:
            print(
                JSONValue.object([
                    ("id", .int(id)), ("seq", .int(Int64(event.seq))), ("event", .string(event.event)),
                    ("from", JSONValue(event.from)), ("to", .string(event.to)), ("on", JSONValue(event.occurredOn)),
                    ("authority_reference", JSONValue(event.authorityReference)),
                    ("replaced_reference", JSONValue(event.replacedReference)),
                    ("sla", ApplicationOutput.json(clock)),
                ]).rendered())
        case .csv:
            print(
                CSVWriter(["id", "seq", "event", "from", "to", "on"]).appending([
                    "\(id)", "\(event.seq)", event.event, event.from ?? "", event.to, "\(event.occurredOn)",
                ]).rendered(), terminator: "")
        case .table:
            let change = event.from == event.to ? "still \(event.to)" : "\(event.from ?? "-") -> \(event.to)"
            print("Application \(id): \(change) (\(event.event) on \(event.occurredOn)).")
            if let old = event.replacedReference, let new = event.authorityReference {
                print("Reference: \(old) -> \(new)")
            }
            if clock.state != .notStarted { print("SLA: " + ApplicationOutput.line(clock)) }
        }
    }
}

struct Submit: EventVerb {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Record that the application was filed (or re-filed after a return).")
    static let event = WorkflowEvent.submit
    @OptionGroup var options: EventOptions
}

struct Accept: EventVerb {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Record that the authority accepted the application as complete.")
    static let event = WorkflowEvent.accept
    @OptionGroup var options: EventOptions
}

struct RequestInfo: EventVerb {
    static let configuration = CommandConfiguration(
        commandName: "request-info", abstract: "Record that the authority asked for more information.")
    static let event = WorkflowEvent.requestInfo
    @OptionGroup var options: EventOptions
}

struct ProvideInfo: EventVerb {
    static let configuration = CommandConfiguration(
        commandName: "provide-info",
        abstract: "Record that the requested information was sent; the status goes back to what it was.")
    static let event = WorkflowEvent.provideInfo
    @OptionGroup var options: EventOptions
}

struct Delay: EventVerb {
    static let configuration = CommandConfiguration(
        commandName: "delay",
        abstract: "Record that the authority delayed the case (its clock keeps running).")
    static let event = WorkflowEvent.delay
    @OptionGroup var options: EventOptions
    @Option(help: "Why: extension, referral, hold, backlog or other.") var reason: DelayReason
    @Option(
        name: .customLong("extend-by"), parsing: .unconditional,
        help: ArgumentHelp("Units by which the authority formally extended the deadline.", valueName: "n"))
    var extendBy: Int?

    func validate() throws {
        try validateReference()
        if let extendBy, extendBy <= 0 {
            throw ValidationError(
                "--extend-by: invalid value \(LicTrackError.quoted(String(extendBy))) (expected a whole number of units "
                    + "greater than 0)")
        }
    }

    func details(_ input: inout EventInput) {
        input.reason = reason
        input.extendBy = extendBy
    }
}

struct Resume: EventVerb {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Record that review resumed after a delay.")
    static let event = WorkflowEvent.resume
    @OptionGroup var options: EventOptions
}

struct Approve: EventVerb {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Record that the licence was granted.")
    static let event = WorkflowEvent.approve
    @OptionGroup var options: EventOptions
    @Option(name: .customLong("licence-number"), help: "The licence number.") var licenceNumber: String?
    @Option(name: .customLong("valid-until"), help: "Last day the licence is valid (YYYY-MM-DD).")
    var validUntil: CivilDate?

    func details(_ input: inout EventInput) {
        input.licenceNumber = licenceNumber
        input.validUntil = validUntil
    }
}

struct Deny: EventVerb {
    static let configuration = CommandConfiguration(
        commandName: "deny", abstract: "Record that the licence was refused.")
    static let event = WorkflowEvent.deny
    @OptionGroup var options: EventOptions
}

struct Return: EventVerb {
    static let configuration = CommandConfiguration(
        commandName: "return",
        abstract: "Record that the authority returned the application without action.")
    static let event = WorkflowEvent.return
    @OptionGroup var options: EventOptions
}

struct Withdraw: EventVerb {
    static let configuration = CommandConfiguration(
        commandName: "withdraw", abstract: "Record that the applicant withdrew the application.")
    static let event = WorkflowEvent.withdraw
    @OptionGroup var options: EventOptions
}

struct Note: EventVerb {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Record a contact with the authority or another fact, without changing the status.",
        discussion: "Needs --note TEXT.")
    static let event = WorkflowEvent.note
    @OptionGroup var options: EventOptions

    func validate() throws {
        try validateReference()
        if (options.note ?? "").isEmpty { throw ValidationError("a note needs --note TEXT") }
    }
}

struct Stock: EventVerb {
    static let configuration = CommandConfiguration(
        commandName: "stock",
        abstract: "Record when the material the application covers runs out, and what it feeds.",
        discussion: """
            Changes no status. The latest stock record counts: report delays shows the application at \
            supply risk when its p90 forecast (or its deadline, without a forecast) falls after --runs-out.
            """)
    static let event = WorkflowEvent.stock
    @OptionGroup var options: EventOptions
    @Option(
        name: .customLong("runs-out"),
        help: ArgumentHelp("The day the material runs out (YYYY-MM-DD).", valueName: "date"))
    var runsOut: CivilDate
    @Option(help: ArgumentHelp("What the material feeds: a plant, a line, an order.", valueName: "text"))
    var feeds: String

    func validate() throws {
        try validateReference()
        if feeds.trimmed.isEmpty { throw ValidationError("--feeds needs text: what the material feeds") }
    }

    func details(_ input: inout EventInput) {
        input.stockRunsOut = runsOut
        input.feeds = feeds
    }
}
