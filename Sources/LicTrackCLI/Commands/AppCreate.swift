import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The options that describe one item on the command line.
struct ItemOptions: ParsableArguments {
    @Option(name: .customLong("item"), help: ArgumentHelp("Item description.", valueName: "description"))
    var description: String?
    @Option(name: .customLong("control-code"), help: "Control-list entry, e.g. 1C902.a, 5A002, EAR99.")
    var controlCode: String?
    @Option(name: .customLong("hs-code"), help: "HS (customs tariff) code, e.g. 8505.11.00.")
    var hsCode: String?
    // Numbers take the next argument unconditionally, so that `--value -5` reaches the database's
    // check (and its message) instead of reading as an unknown option -5.
    @Option(parsing: .unconditional, help: "Quantity, an exact decimal.") var quantity: ExactAmount?
    @Option(help: "Unit of the quantity, e.g. kg or pcs.") var unit: String?
    @Option(parsing: .unconditional, help: "Value, an exact decimal such as 12345.67.") var value: ExactAmount?
    @Option(help: "Currency of the value, ISO 4217 (e.g. USD).") var currency: String?

    /// The item, or nil when no --item was given (and then no other item option may be).
    func item() throws -> ItemDraft? {
        guard let description else {
            if controlCode != nil || hsCode != nil || quantity != nil || unit != nil || value != nil || currency != nil
            {
                throw ValidationError("item options need --item DESCRIPTION")
            }
            return nil
        }
        if value != nil && currency == nil { throw ValidationError("--value needs --currency") }
        if quantity != nil && unit == nil { throw ValidationError("--quantity needs --unit") }
        return ItemDraft(
            description: description, controlCode: controlCode, hsCode: hsCode, quantity: quantity, unit: unit,
            value: value, currency: currency?.uppercased())
    }
}

/// `lictrack app create`.
struct AppCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an application (a draft) with one item, or from a JSON file with many.",
        discussion: """
            The JSON for --from-file has the keys authority, applicant, destination (required), licence_type, \
            exporter, consignee, end_user, end_use, authority_reference, owner, created_on, stock_runs_out, feeds \
            and items; each item \
            has description (required), control_code, hs_code, quantity, unit, value and currency. Amounts are \
            strings ("12345.67") so that no digit is lost. Use - to read standard input.
            """
    )

    @Option(help: "Authority code: MOFCOM, BIS, ECJU, BAFA or one you added.") var authority: String?
    @Option(help: "The applicant (usually your company).") var applicant: String?
    @Option(help: "Destination country, ISO 3166-1 alpha-2 (e.g. DE).") var destination: String?
    @Option(name: .customLong("licence-type"), help: "single, general or other.") var licenceType: LicenceType?
    @Option(help: "Exporter or supplier, if not the applicant.") var exporter: String?
    @Option(help: "Consignee.") var consignee: String?
    @Option(name: .customLong("end-user"), help: "End user.") var endUser: String?
    @Option(name: .customLong("end-use"), help: "Stated end use.") var endUse: String?
    @Option(name: .customLong("authority-ref"), help: "The authority's reference number, if already known.")
    var authorityReference: String?
    @Option(help: "Internal owner (person or team).") var owner: String?
    @Option(
        help: ArgumentHelp(
            "The date the application was started: YYYY-MM-DD, today, yesterday, N-days-ago or a weekday "
                + "(default: today in the authority's time zone).", valueName: "date"))
    var on: DateSpecifier?
    @OptionGroup var item: ItemOptions
    @Option(
        name: .customLong("stock-runs-out"),
        help: ArgumentHelp(
            "The day the material the application covers runs out (YYYY-MM-DD): a stock record on the creation day.",
            valueName: "date"))
    var stockRunsOut: CivilDate?
    @Option(help: ArgumentHelp("What that material feeds (with --stock-runs-out).", valueName: "text"))
    var feeds: String?
    @Option(
        name: .customLong("from-file"), help: ArgumentHelp("Read the application from a JSON file.", valueName: "path"))
    var fromFile: String?
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if fromFile == nil {
            if authority == nil { throw ValidationError("missing --authority (or give --from-file)") }
            if applicant == nil { throw ValidationError("missing --applicant (or give --from-file)") }
            if destination == nil { throw ValidationError("missing --destination (or give --from-file)") }
        }
        if stockRunsOut != nil && feeds == nil {
            throw ValidationError("--stock-runs-out needs --feeds TEXT: what the material feeds")
        }
        if feeds != nil && stockRunsOut == nil {
            throw ValidationError("--feeds needs --stock-runs-out DATE: the day the material runs out")
        }
        if let feeds, feeds.trimmed.isEmpty { throw ValidationError("--feeds needs text: what the material feeds") }
    }

    func run() throws {
        var draft = try fromFile.map(Self.readDraft) ?? ApplicationDraft(authority: "", applicant: "", destination: "")
        if let authority { draft.authority = authority }
        if let applicant { draft.applicant = applicant }
        if let destination { draft.destination = destination }
        if let licenceType { draft.licenceType = licenceType }
        if let exporter { draft.exporter = exporter }
        if let consignee { draft.consignee = consignee }
        if let endUser { draft.endUser = endUser }
        if let endUse { draft.endUse = endUse }
        if let authorityReference { draft.authorityReference = authorityReference }
        if let owner { draft.owner = owner }
        if let stockRunsOut { draft.stockRunsOut = stockRunsOut }
        if let feeds { draft.feeds = feeds }
        let database = try connection.connect()
        let store = ApplicationStore(database)
        if let on {
            let authority = draft.authority.uppercased()
            draft.createdOn = try on.resolve(todayIfNeeded: { try store.today(forAuthority: authority) })
        }
        if let item = try item.item() { draft.items.append(item) }
        draft.authority = draft.authority.uppercased()
        draft.destination = draft.destination.uppercased()
        for index in draft.items.indices { draft.items[index].currency = draft.items[index].currency?.uppercased() }

        let id = try store.create(draft, actor: actor.resolved)
        switch output.format {
        case .json:
            print(
                JSONValue.object([
                    ("id", .int(id)), ("status", .string("draft")), ("authority", .string(draft.authority)),
                ]).rendered())
        case .csv:
            print(
                CSVWriter(["id", "status", "authority"]).appending(["\(id)", "draft", draft.authority]).rendered(),
                terminator: "")
        case .table:
            print("Created application \(id) (\(draft.authority), draft).")
        }
    }

    static func readDraft(_ path: String) throws -> ApplicationDraft {
        let data: Data
        do {
            data = path == "-" ? FileInput.standardInput() : try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw LicTrackError(
                .usage, "--from-file: cannot read \(LicTrackError.quoted(path))", hint: "check the path")
        }
        let draft: ApplicationDraft
        do {
            draft = try JSONDecoder().decode(ApplicationDraft.self, from: data)
        } catch let error as DecodingError {
            throw LicTrackError(.invalidInput, "\(LicTrackError.quoted(path)): \(FileInput.describe(error))")
        } catch {
            throw LicTrackError(.invalidInput, "\(LicTrackError.quoted(path)) is not valid JSON")
        }
        // The file's own values, named by their keys: a NUL character or blank required text.
        try InputText.check(draft, from: .file(path))
        return draft
    }
}

extension CSVWriter {
    func appending(_ row: [String]) -> CSVWriter {
        var copy = self
        copy.append(row)
        return copy
    }
}
