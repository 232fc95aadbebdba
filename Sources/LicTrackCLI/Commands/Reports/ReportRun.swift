import LicTrackCore
import LicTrackReports
import LicTrackStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run of a report, with its options resolved: what a report command's body works with.
///
/// ``ReportOptions/run(_:period:_:)`` builds it: it opens the destination (before connecting, so
/// an unwritable `--output` fails first), connects, resolves `--as-of` and the period, checks the
/// filter, runs the body, and only then puts the file in place. A report command is then only:
///
/// ```swift
/// try report.run(connection) { run in
///     let header = ReportHeader(name: "aging", title: "Aging", asOf: run.asOf, filter: run.filter)
///     let buckets = try ReportStore(run.database).aging(asOf: run.asOf, filter: run.filter)
///     try run.write(ReportDocument(header, sections: [...]), json: [("buckets", .array(...))])
/// }
/// ```
///
/// A streaming report asks for ``renderer()`` or ``jsonWriter(_:)`` and feeds rows as the store
/// yields them.
struct ReportRun {
    let database: Database
    /// The report day.
    let asOf: CivilDate
    /// The filters, checked against the database.
    let filter: ReportFilter
    /// The period, for a period report.
    let period: ReportPeriod?
    let format: ReportFormat
    let renderOptions: ReportRenderOptions
    let destination: ReportDestination

    /// The report's header: its name and title, with the day, the filters and the period of this run.
    func header(
        name: String, title: String, parameters: [ReportParameter] = [], notes: [String] = []
    ) -> ReportHeader {
        ReportHeader(
            name: name, title: title, asOf: asOf, filter: filter,
            parameters: (period.map { [$0.parameter] } ?? []) + parameters, notes: notes)
    }

    /// The renderer for the chosen format, writing to the destination; JSON has none (use ``jsonWriter(_:)``).
    func renderer() -> any ReportRenderer {
        guard let renderer = ReportRenderers.make(format, options: renderOptions, sink: destination) else {
            preconditionFailure("JSON is written with jsonWriter(_:)")
        }
        return renderer
    }

    /// A JSON writer that has written `report`, `as_of` and `filters`.
    func jsonWriter(_ header: ReportHeader) throws -> ReportJSONWriter {
        try ReportJSONWriter(header, sink: destination)
    }

    /// Writes a whole report: `document` in the chosen format, or for JSON the common keys then `json`.
    func write(_ document: ReportDocument, json: @autoclosure () -> [(String, JSONValue)]) throws {
        if format == .json {
            var writer = try jsonWriter(document.header)
            for (key, value) in json() { try writer.member(key, value) }
            try writer.finish()
        } else {
            var renderer = renderer()
            try renderer.render(document)
        }
    }
}

extension ReportOptions {
    /// Runs a report: resolves the options, runs `body`, and commits the output only if it succeeded.
    func run(
        _ connectionOptions: ConnectionOptions, period: ReportPeriodOptions? = nil, _ body: (ReportRun) throws -> Void
    ) throws {
        let destination = try output.flatMap { $0 == "-" ? nil : $0 }.map(ReportDestination.file) ?? .standardOutput()
        do {
            let database = try connectionOptions.connect()
            defer { database.close() }
            var today: CivilDate?
            let resolveToday = {
                if let today { return today }
                let value = try database.today()
                today = value
                return value
            }
            let asOf = try resolvedAsOf(today: resolveToday)
            let resolvedPeriod = try period?.resolve(asOf: asOf, today: resolveToday)
            let filter = try validatedFilter(in: database)
            try body(
                ReportRun(
                    database: database, asOf: asOf, filter: filter, period: resolvedPeriod, format: format,
                    renderOptions: ReportRenderOptions(
                        colour: format == .table && destination.isTerminal && !Self.noColour, excel: excel),
                    destination: destination))
            try destination.commit()
        } catch {
            destination.discard()
            throw error
        }
    }

    /// Whether `NO_COLOR` is set to a non-empty value (https://no-color.org).
    static var noColour: Bool {
        guard let value = getenv("NO_COLOR") else { return false }
        return value.pointee != 0
    }
}
