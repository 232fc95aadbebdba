import ArgumentParser
import LicTrackCore
import LicTrackReports
import LicTrackStore

extension ReportFormat: ExpressibleByArgument {}

/// The options every `lictrack report` takes: the day, the filters, the format and where to write.
///
/// The filters are repeatable and also take comma-separated lists (`--authority MOFCOM,BIS`);
/// authority and destination codes are compared upper case, control-code prefixes and owners
/// ignoring case. Which applications they select is decided in SQL (`report_scope()`).
struct ReportOptions: ParsableArguments {
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "Judge the figures on this day: YYYY-MM-DD, today, yesterday, N-days-ago or a weekday (default: today).",
            valueName: "date"))
    var asOf: DateSpecifier?

    @Option(
        parsing: .singleValue,
        help: ArgumentHelp("Only these authorities (repeat, or separate with commas).", valueName: "code"))
    var authority: [String] = []

    @Option(
        parsing: .singleValue,
        help: ArgumentHelp(
            "Only these destination countries, ISO 3166-1 alpha-2 (repeat, or separate with commas).",
            valueName: "code"))
    var destination: [String] = []

    @Option(
        name: .customLong("control-code"), parsing: .singleValue,
        help: ArgumentHelp(
            "Only applications with an item whose control code starts with this prefix, ignoring case "
                + "(repeat, or separate with commas).", valueName: "prefix"))
    var controlCode: [String] = []

    @Option(
        parsing: .singleValue,
        help: ArgumentHelp(
            "Only these internal owners, ignoring case (repeat, or separate with commas).", valueName: "name"))
    var owner: [String] = []

    @Option(help: "Output format: table, csv, json, md or html.")
    var format: ReportFormat = .table

    @Option(
        help: ArgumentHelp(
            "Write to this file (- for standard output); it appears complete or not at all.", valueName: "file"))
    var output: String?

    @Flag(help: "With --format csv: start with a UTF-8 byte order mark, so that Excel reads accents correctly.")
    var excel = false

    func validate() throws {
        if excel && format != .csv {
            throw ValidationError("--excel: only with --format csv (got --format \(format.rawValue))")
        }
        if let output, output.isEmpty {
            throw ValidationError("--output: expected a file name (got '')")
        }
        for (option, values, expected) in [
            ("--authority", authority, "an authority code such as MOFCOM"),
            ("--destination", destination, "an ISO 3166-1 alpha-2 code such as DE"),
            ("--control-code", controlCode, "a control-code prefix such as 1C902"),
            ("--owner", owner, "an owner's name"),
        ] {
            for value in values where Self.split(value).contains(where: \.isEmpty) {
                throw ValidationError("\(option): empty value in \(LicTrackError.quoted(value)) (expected \(expected))")
            }
        }
    }

    /// The filters as given, split at commas and trimmed.
    var filter: ReportFilter {
        ReportFilter(
            authorities: authority.flatMap(Self.split), destinations: destination.flatMap(Self.split),
            controlCodes: controlCode.flatMap(Self.split), owners: owner.flatMap(Self.split))
    }

    /// The filters, after checking that every authority and destination exists (else exit 64).
    func validatedFilter(in database: Database) throws -> ReportFilter {
        let filter = self.filter
        try filter.validate(in: database)
        return filter
    }

    /// The report day: `--as-of` resolved against `today`, or `today`.
    func resolvedAsOf(today: () throws -> CivilDate) rethrows -> CivilDate {
        guard let asOf else { return try today() }
        return try asOf.resolve(todayIfNeeded: today)
    }

    static func split(_ value: String) -> [String] {
        value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmed }
    }
}
