import Foundation
import LicTrackTestSupport
import Testing

/// `lictrack demo seed`: a reproducible, realistic history written through the normal triggers.
@Suite("Demo seed")
struct DemoSeedTests {
    /// Everything the seed wrote that does not depend on when it was written, in a stable order.
    static let digestSQL = """
        select md5(string_agg(
                   concat_ws('|', a.authority, a.applicant, a.destination, a.owner, a.authority_reference,
                             e.seq, e.event, e.occurred_on, e.note, e.reason, e.actor),
                   ';' order by a.id, e.seq))
        from applications a join application_events e on e.application_id = a.id
        """

    @Test("the same seed gives the same history; another seed another")
    func reproducible() throws {
        var digests: [String] = []
        for seed in ["11", "11", "12"] {
            try TestDatabase.with { db in
                let outcome = try lictrackOK(["demo", "seed", "--applications", "40", "--seed", seed], database: db)
                #expect(outcome.stdout.hasPrefix("Seeded 40 applications ("), "\(outcome)")
                #expect(outcome.stderr.isEmpty, "no progress bar when stderr is not a terminal: \(outcome.stderr)")
                #expect(try queryText(db, "select count(*) from applications") == "40")
                digests.append(try #require(try queryText(db, Self.digestSQL)))
            }
        }
        #expect(digests[0] == digests[1])
        #expect(digests[0] != digests[2])
    }

    @Test("the history obeys the database's rules and every clock matches the log")
    func consistent() throws {
        try TestDatabase.with { db in
            try lictrackOK(["demo", "seed", "--applications", "120", "--seed", "5"], database: db)
            // Every authority is represented, and there are both open and decided applications.
            #expect(try queryText(db, "select count(distinct authority) from applications") == "4")
            let open = try queryText(
                db,
                "select count(*) from applications a join application_statuses s using (status) where not s.is_final")
            #expect(Int(open ?? "0")! > 0)
            #expect(Int(try queryText(db, "select count(*) from applications where status = 'approved'") ?? "0")! > 0)
            // Some MOFCOM applications record when their material runs out, after their submission.
            #expect(Int(try queryText(db, "select count(*) from application_events where event = 'stock'") ?? "0")! > 0)
            #expect(
                try queryText(
                    db,
                    """
                    select count(*) from application_events s
                    where s.event = 'stock'
                      and (s.stock_runs_out is null or s.feeds is null
                           or not exists (select 1 from application_events b
                                          where b.application_id = s.application_id and b.event = 'submit'
                                            and b.seq < s.seq))
                    """) == "0")
            // No MOFCOM application before its licence requirement (April 2025).
            #expect(
                try queryText(
                    db, "select count(*) from applications where authority = 'MOFCOM' and created_on < '2025-04-04'")
                    == "0")
            // Stored clocks equal what the log and the rules give.
            let stale = try queryText(
                db,
                """
                select count(*) from application_clocks k
                join sla_compute(array(select id from applications)) s using (application_id, cycle)
                where (k.deadline, k.paused_units, k.pause_open_since, k.ended_on)
                      is distinct from (s.deadline, s.paused_units, s.pause_open_since, s.ended_on)
                """)
            #expect(stale == "0")
        }
    }

    @Test("MOFCOM asks for more information from September 2025 than before")
    func mofcomTightens() throws {
        try TestDatabase.with { db in
            try lictrackOK(
                ["demo", "seed", "--applications", "400", "--seed", "3", "--from", "2025-04-01"], database: db)
            func rate(_ condition: String) throws -> Double {
                let sql = """
                    select coalesce(avg((exists (select 1 from application_events r
                                                 where r.application_id = a.id and r.event = 'request-info'))::int), 0)
                    from applications a
                    join application_events s on s.application_id = a.id and s.event = 'accept'
                    where a.authority = 'MOFCOM' and s.occurred_on
                    """
                return Double(try queryText(db, sql + condition) ?? "0") ?? 0
            }
            let before = try rate(" < date '2025-09-01'")
            let after = try rate(" >= date '2025-09-01'")
            #expect(after > before + 0.1, "request-info rate before \(before), after \(after)")
        }
    }

    @Test("a database that holds applications is refused unless --force")
    func refusesNonEmpty() throws {
        try TestDatabase.with { db in
            _ = try createApplication(db, on: "2025-05-01")
            let refused = try lictrack(["demo", "seed", "--applications", "5"], database: db)
            expectFailure(refused, status: 65, "demo seed on a non-empty database")
            #expect(refused.stderr.contains("--force"))
            #expect(try queryText(db, "select count(*) from applications") == "1")
            try lictrackOK(["demo", "seed", "--applications", "5", "--force"], database: db)
            #expect(try queryText(db, "select count(*) from applications") == "6")
        }
    }

    @Test(
        "bad options are usage errors",
        arguments: [["--applications", "0"], ["--from", "2999-01-01"], ["--seed", "-1"]])
    func badOptions(arguments: [String]) throws {
        try TestDatabase.with { db in
            let outcome = try lictrack(["demo", "seed"] + arguments, database: db)
            expectFailure(outcome, status: 64, "demo seed \(arguments)")
            #expect(try queryText(db, "select count(*) from applications") == "0")
        }
    }
}
