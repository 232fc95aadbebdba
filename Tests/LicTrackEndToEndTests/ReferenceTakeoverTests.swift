import Foundation
import LicTrackTestSupport
import Testing

/// A reference cannot be taken over silently: not from another application, not from the application itself.
@Suite("Reference takeover")
struct ReferenceTakeoverTests {
    @Test("a reference another application has is refused (65), naming it, and nothing changes")
    func takeoverRefused() throws {
        try TestDatabase.with { db in
            let nine = try createApplication(
                db, authority: "MOFCOM", extra: ["--authority-ref", "MOFCOM-DU-030001"])
            let ten = try createApplication(db, authority: "MOFCOM", extra: ["--authority-ref", "MOFCOM-DU-030002"])
            let before = try rowCounts(db)
            for extra in [[], ["--replace-ref"]] {
                let outcome = try lictrack(
                    [
                        "app", "note", String(ten), "--on", "2025-04-02", "--note", "x", "--authority-ref",
                        "mofcom-du-030001",
                    ] + extra, database: db)
                expectFailure(outcome, status: 65, "note with another application's reference \(extra)")
                #expect(outcome.stderr.contains("application \(nine)"), "\(outcome.stderr)")
                #expect(outcome.stderr.contains("'mofcom-du-030001'"))
            }
            let create = try lictrack(
                [
                    "app", "create", "--authority", "MOFCOM", "--applicant", "A", "--destination", "DE",
                    "--authority-ref", "MOFCOM-du-030001",
                ], database: db)
            expectFailure(create, status: 65, "create with a taken reference")
            #expect(create.stderr.contains("application \(nine)"))
            #expect(try rowCounts(db) == before)
            // Each still answers to its own reference.
            #expect(int(try show("MOFCOM-DU-030001", db)["id"]) == nine)
            #expect(int(try show("MOFCOM-DU-030002", db)["id"]) == ten)
        }
    }

    @Test("the same reference at another authority is another case")
    func otherAuthority() throws {
        try TestDatabase.with { db in
            _ = try createApplication(db, authority: "MOFCOM", extra: ["--authority-ref", "REF-1"])
            _ = try createApplication(db, authority: "BIS", extra: ["--authority-ref", "ref-1"])
        }
    }

    @Test(
        "replacing the application's own reference needs --replace-ref on every verb",
        arguments: [
            ["note", "--note", "New number by phone"], ["submit"], ["withdraw"],
            ["stock", "--runs-out", "2025-09-01", "--feeds", "Line 2"],
        ])
    func replaceNeedsTheFlag(verb: [String]) throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, authority: "MOFCOM", extra: ["--authority-ref", "OLD-REF-7"])
            let base = ["app", verb[0], String(id)] + verb.dropFirst() + ["--on", "2025-04-02"]
            let refused = try lictrack(base + ["--authority-ref", "NEW-REF-8"], database: db)
            expectFailure(refused, status: 65, "replace without --replace-ref")
            #expect(refused.stderr.contains("'OLD-REF-7'") && refused.stderr.contains("'NEW-REF-8'"), "\(refused)")
            #expect(refused.stderr.contains("--replace-ref"))
            #expect(try queryText(db, "select count(*)::text from application_events") == "1")

            let replaced = try lictrackOK(base + ["--authority-ref", "NEW-REF-8", "--replace-ref"], database: db)
            #expect(replaced.stdout.contains("OLD-REF-7 -> NEW-REF-8"), "\(replaced.stdout)")
            #expect(try show("NEW-REF-8", db)["authority_reference"] as? String == "NEW-REF-8")
            expectFailure(try lictrack(["app", "show", "OLD-REF-7"], database: db), status: 66)
        }
    }

    @Test("JSON names the reference brought and the one replaced; a first reference replaces nothing")
    func json() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, authority: "MOFCOM")
            let first = try lictrackOK(
                ["app", "submit", String(id), "--on", "2025-04-02", "--authority-ref", "A-1", "--format", "json"],
                database: db)
            let firstObject = try #require(try first.json() as? [String: Any])
            #expect(firstObject["authority_reference"] as? String == "A-1")
            #expect(firstObject["replaced_reference"] is NSNull)
            let second = try lictrackOK(
                [
                    "app", "accept", String(id), "--on", "2025-04-03", "--authority-ref", "A-2", "--replace-ref",
                    "--format", "json",
                ], database: db)
            let secondObject = try #require(try second.json() as? [String: Any])
            #expect(secondObject["authority_reference"] as? String == "A-2")
            #expect(secondObject["replaced_reference"] as? String == "A-1")
        }
    }

    @Test("--replace-ref without --authority-ref is a usage error")
    func flagAlone() throws {
        try TestDatabase.with { db in
            let id = try createApplication(db, authority: "MOFCOM")
            let outcome = try lictrack(["app", "submit", String(id), "--replace-ref"], database: db)
            expectFailure(outcome, status: 64, "--replace-ref alone")
            #expect(outcome.stderr.contains("--authority-ref"))
        }
    }
}
