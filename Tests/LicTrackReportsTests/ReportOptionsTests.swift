import ArgumentParser
import Foundation
import LicTrackCore
import LicTrackReports
import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

@testable import LicTrackCLI

/// The shared report options, run in-process through a sample report against a real database.
@Suite("Report options", .serialized)
struct ReportOptionsTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lictrack-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The exit status lictrack's main gives `error` (ArgumentParser's validation failures are 64).
    static func status(_ error: any Error) -> Int32 {
        if let error = error as? LicTrackError { return ExitStatus(error.kind).rawValue }
        let code = SampleReportCommand.exitCode(for: error)
        return code == .validationFailure ? 64 : code.rawValue
    }

    static func parse(_ arguments: [String]) throws -> SampleReportCommand {
        try SampleReportCommand.parse(arguments)
    }

    @Test("filters repeat and split at commas; codes are upper-cased, prefixes and owners kept")
    func filters() throws {
        let command = try Self.parse([
            "--authority", "mofcom, BIS", "--authority", "ECJU", "--destination", "de,cn", "--control-code",
            "1c902,5A002", "--owner", "Chen Jing", "--owner", "priya",
        ])
        #expect(
            command.report.filter
                == ReportFilter(
                    authorities: ["MOFCOM", "BIS", "ECJU"], destinations: ["DE", "CN"],
                    controlCodes: ["1c902", "5A002"],
                    owners: ["Chen Jing", "priya"]))
    }

    @Test(
        "usage errors name the option, what was given and what is expected (exit 64)",
        arguments: [
            (["--format", "json", "--excel"], "--excel: only with --format csv (got --format json)"),
            (["--format", "xml"], "'xml'"),
            (["--as-of", "2025-13-01"], "--as-of"),
            (["--authority", "MOFCOM,"], "--authority: empty value in 'MOFCOM,'"),
            (["--control-code", ""], "--control-code: empty value in ''"),
            (["--from", "2025-12-31", "--to", "2025-01-01"], "--from 2025-12-31 is after --to 2025-01-01"),
            (["--output", ""], "--output"),
        ])
    func usage(_ arguments: [String], _ message: String) {
        do {
            _ = try Self.parse(arguments)
            Issue.record("\(arguments) parsed")
        } catch {
            #expect(Self.status(error) == 64)
            #expect(
                SampleReportCommand.message(for: error).contains(message), "\(SampleReportCommand.message(for: error))")
        }
    }

    @Test("--as-of takes the date forms of --on; the default is the database's today")
    func asOf() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            let today = try connection.query("select current_date as d")[0].decode(CivilDate.self, "d")
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let out = folder.appendingPathComponent("r.json").path
            for (arguments, expected) in [
                ([String](), today), (["--as-of", "yesterday"], today.adding(days: -1)),
                (["--as-of", "3-days-ago"], today.adding(days: -3)),
                (["--as-of", "2025-04-04"], CivilDate(iso8601: "2025-04-04")!),
            ] {
                try Self.parse(
                    arguments + ["--format", "json", "--output", out, "--database-url", db.connectionString]
                )
                .run()
                let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out)))
                #expect((json as? [String: Any])?["as_of"] as? String == expected.description)
                #expect(SampleReportCommand.seen?.asOf == expected)
            }
        }
    }

    @Test("the period defaults to the year that ends on the report day; relative forms resolve")
    func period() throws {
        try TestDatabase.with { db in
            for (arguments, from, to) in [
                (["--as-of", "2026-11-29"], "2025-11-30", "2026-11-29"),
                (["--as-of", "2024-02-29"], "2023-03-01", "2024-02-29"),
                (["--as-of", "2026-11-29", "--from", "2026-01-01"], "2026-01-01", "2026-11-29"),
                (["--from", "2026-01-01", "--to", "2026-03-31"], "2026-01-01", "2026-03-31"),
            ] {
                let folder = try Self.folder()
                defer { try? FileManager.default.removeItem(at: folder) }
                try Self.parse(
                    arguments + [
                        "--format", "csv", "--output", folder.appendingPathComponent("r.csv").path, "--database-url",
                        db.connectionString,
                    ]
                ).run()
                let period = SampleReportCommand.seen?.period
                #expect(period?.from.description == from)
                #expect(period?.to.description == to)
            }
            // A relative --from after an absolute --to is caught once resolved.
            do {
                try Self.parse(["--from", "today", "--to", "2000-01-01", "--database-url", db.connectionString]).run()
                Issue.record("a reversed period ran")
            } catch {
                #expect(Self.status(error) == 64)
                #expect("\(error)".contains("is after --to 2000-01-01"))
            }
        }
    }

    @Test("an unknown authority or destination is a usage error, not an empty report, and writes nothing")
    func unknownCodes() throws {
        try TestDatabase.with { db in
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let out = folder.appendingPathComponent("r.html")
            for arguments in [["--authority", "MOFCOM,NOPE"], ["--destination", "ZZ"]] {
                do {
                    try Self.parse(
                        arguments + ["--format", "html", "--output", out.path, "--database-url", db.connectionString]
                    )
                    .run()
                    Issue.record("\(arguments) ran")
                } catch {
                    #expect(Self.status(error) == 64)
                }
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
        }
    }

    @Test("--output appears complete or not at all; an existing file survives a failed run")
    func atomicOutput() throws {
        try TestDatabase.with { db in
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let out = folder.appendingPathComponent("report.html")
            let arguments = [
                "--format", "html", "--as-of", "2026-11-29", "--authority", "MOFCOM,ECJU", "--control-code", "1C9",
                "--output", out.path, "--database-url", db.connectionString,
            ]
            try Self.parse(arguments).run()
            var expected = SampleDocuments.full
            expected.header.parameters = [ReportParameter("Period", "2025-11-30 to 2026-11-29 (365 days)")]
            #expect(try String(contentsOf: out, encoding: .utf8) == ReportRenderers.string(expected, format: .html))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.html"])
            let permissions = try FileManager.default.attributesOfItem(atPath: out.path)[.posixPermissions] as? Int
            #expect(permissions.map { $0 & 0o044 } == 0o044, "readable like any new file, not 0600")

            try "previous report".write(to: out, atomically: true, encoding: .utf8)
            #expect(throws: SampleReportCommand.Interrupted.self) {
                try Self.parse(arguments).execute(failAfterWriting: true)
            }
            #expect(try String(contentsOf: out, encoding: .utf8) == "previous report")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.html"])
        }
    }

    @Test("an --output that cannot be created fails first (exit 73), before the database is asked")
    func cannotCreate() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("no/such/folder/report.csv").path
        // No server listens on port 1: reaching the database would fail with exit 69 instead.
        let arguments = ["--format", "csv", "--output", missing, "--database-url", "postgresql://127.0.0.1:1/none"]
        do {
            try Self.parse(arguments).run()
            Issue.record("ran")
        } catch {
            #expect(Self.status(error) == 73)
            #expect("\(error)".hasPrefix("--output: cannot create '\(missing)': No such file or directory"))
        }
        do {
            try Self.parse(["--output", folder.path + "/", "--database-url", "postgresql://127.0.0.1:1/none"]).run()
            Issue.record("ran")
        } catch {
            #expect(Self.status(error) == 64)
        }
    }

    @Test("colour never goes to a file, and --excel reaches the CSV")
    func renderOptions() throws {
        try TestDatabase.with { db in
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let table = folder.appendingPathComponent("r.txt")
            try Self.parse(["--output", table.path, "--database-url", db.connectionString]).run()
            #expect(SampleReportCommand.seen?.renderOptions.colour == false)
            #expect(try !String(contentsOf: table, encoding: .utf8).contains("\u{1B}"))
            let csv = folder.appendingPathComponent("r.csv")
            try Self.parse(["--format", "csv", "--excel", "--output", csv.path, "--database-url", db.connectionString])
                .run()
            #expect(try Array(Data(contentsOf: csv).prefix(3)) == [0xEF, 0xBB, 0xBF])
        }
    }
}
