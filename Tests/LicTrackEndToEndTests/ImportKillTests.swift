import Foundation
import LicTrackTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// An import killed halfway (SIGKILL, no chance to clean up) leaves nothing: it is one transaction.
@Suite("Import killed halfway")
struct ImportKillTests {
    @Test("kill -9 during the import: no application, item or event, and no backend left")
    func killed() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanUp() }
        var text = "application,authority,applicant,destination,created_on,item_description,event,event_on\n"
        for index in 1...4000 {
            text += "A\(index),BIS,Applicant \(index),DE,2025-04-01,Item \(index),,\n"
            text += "A\(index),,,,,,submit,2025-04-02\n"
        }
        let file = try folder.write("big.csv", text)
        try TestDatabase.with { db in
            let monitor = try db.connect()
            defer { monitor.close() }
            let activeSQL = """
                select count(*) as n from pg_stat_activity
                where datname = current_database() and pid <> pg_backend_pid() and application_name = 'lictrack'
                  and state = 'active' and query like '%import%'
                """
            let running = LicTrackBinary.start(["app", "import", file], database: db)
            // Wait until the server is working on the import, then kill the client outright.
            var seen = false
            for _ in 0..<600 where !seen {
                seen = try monitor.query(activeSQL)[0].decode(Int.self, "n") > 0
                if !seen { usleep(20_000) }
            }
            #expect(seen, "the import was never seen running")
            kill(running.processIdentifier, SIGKILL)
            let outcome = try running.wait()
            #expect(outcome.status == SIGKILL || outcome.status == 128 + SIGKILL, "\(outcome)")
            // The server ends the orphaned backend when it next talks to the client; wait for it.
            var left = 1
            for _ in 0..<1500 where left > 0 {
                left = try monitor.query(
                    "select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"
                )[0].decode(Int.self, "n")
                if left > 0 { usleep(20_000) }
            }
            #expect(left == 0, "the killed import's backend is still there")
            #expect(try rowCounts(db) == RowCounts(applications: 0, events: 0, items: 0))
            #expect(try queryText(db, "select count(*) from application_clocks") == "0")
        }
    }
}
