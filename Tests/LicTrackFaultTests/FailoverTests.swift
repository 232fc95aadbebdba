import Foundation
import LicTrackTestSupport
import Postgres
import Testing

/// Fail-over to a promoted streaming standby, found by libpq through a multi-host URL, and a
/// report read from a standby (`target_session_attrs=prefer-standby`).
///
/// The test builds the pair itself: a throwaway primary, a standby copied from it with
/// `pg_basebackup -R`, then the primary stopped and the standby promoted with `pg_ctl promote`.
@Suite("Faults: fail-over to a promoted standby, reports on a standby")
struct FailoverTests {
    /// Waits until `standby` has replayed everything `primary` has written so far.
    static func waitForReplay(_ primary: PostgresConnection, _ standby: PostgresConnection) throws -> Bool {
        let lsn = try primary.query("select pg_current_wal_lsn()::text as l")[0].decode(String.self, "l")
        return try Fault.waitUntil(seconds: 60) {
            try standby.query("select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok", [lsn])[0].decode(Bool.self, "ok")
        }
    }

    /// The ids `report delays --format json` lists through `url`.
    static func reportedIDs(_ url: String) throws -> [Int] {
        let report = try Fault.object(try Fault.ok(["report", "delays", "--format", "json"], url: url))
        let applications = try #require(report["applications"] as? [[String: Any]], "\(report)")
        return applications.compactMap { $0["id"] as? Int }.sorted()
    }

    /// Creates a submitted BIS application through `url`; returns its id.
    static func submittedApplication(_ url: String, applicant: String) throws -> Int {
        let created = try Fault.object(
            try Fault.ok(
                [
                    "app", "create", "--authority", "BIS", "--applicant", applicant, "--destination", "DE", "--on",
                    "2025-04-01", "--format", "json",
                ], url: url))
        let id = try #require(created["id"] as? Int)
        try Fault.ok(["app", "submit", String(id), "--on", "2025-04-02"], url: url)
        return id
    }

    @Test(
        "a report reads a standby with prefer-standby; after fail-over a multi-host URL records on the new primary",
        .timeLimit(.minutes(5)))
    func failover() throws {
        let primary = try ThrowawayCluster.create()
        defer { primary.remove() }
        let admin = try primary.connect()
        try admin.execute("create database lictrack")
        admin.close()
        try Fault.ok(["db", "migrate"], url: primary.url(database: "lictrack"))

        let standby = try primary.makeStandby()
        defer { standby.remove() }
        let p1 = "127.0.0.1:\(primary.port)"
        let p2 = "127.0.0.1:\(standby.port)"
        // The standby listed first: read-write must skip it.
        let writable = "postgresql://postgres@\(p2),\(p1)/lictrack?target_session_attrs=read-write"
        let readable = "postgresql://postgres@\(p1),\(p2)/lictrack?target_session_attrs=prefer-standby"
        let failover = "postgresql://postgres@\(p1),\(p2)/lictrack?target_session_attrs=read-write"

        let first = try Self.submittedApplication(writable, applicant: "Alpha Magnets")
        let primaryConnection = try primary.connect(database: "lictrack")
        defer { primaryConnection.close() }
        let standbyConnection = try standby.connect(database: "lictrack")
        defer { standbyConnection.close() }
        try #require(try Self.waitForReplay(primaryConnection, standbyConnection), "the standby never caught up")
        #expect(
            try standbyConnection.query("select pg_is_in_recovery() as r")[0].decode(Bool.self, "r"),
            "the copy is not a standby")

        // A write sent to the standby alone is refused as documented: 77, one line, nothing written.
        let refused = try Fault.run(
            ["app", "note", String(first), "--note", "on the standby"], url: standby.url(database: "lictrack"))
        #expect(refused.status == 77, "\(refused)")
        #expect(Fault.isOneErrorLine(refused.stderr), "\(refused.stderr.debugDescription)")

        // Freeze the standby's replay, then write on the primary: a report that shows only the
        // first application was read on the standby.
        try standbyConnection.execute("select pg_wal_replay_pause()")
        let paused = try Fault.waitUntil(seconds: 30) {
            try standbyConnection.query("select pg_get_wal_replay_pause_state() as s")[0].decode(String.self, "s")
                == "paused"
        }
        try #require(paused, "the standby's replay did not pause")
        let second = try Self.submittedApplication(writable, applicant: "Beta Alloys")
        #expect(try Self.reportedIDs(readable) == [first], "the report did not read the standby")
        #expect(try Self.reportedIDs(failover) == [first, second].sorted())
        try standbyConnection.execute("select pg_wal_replay_resume()")
        try #require(try Self.waitForReplay(primaryConnection, standbyConnection), "the standby never caught up")

        // The primary goes away. Until the standby is promoted no host accepts writes: 69, nothing written.
        primaryConnection.close()
        try primary.stop(.fast)
        let noPrimary = try Fault.run(["app", "accept", String(first), "--on", "2025-04-03"], url: failover)
        #expect(noPrimary.status == 69, "\(noPrimary)")
        #expect(Fault.isOneErrorLine(noPrimary.stderr), "\(noPrimary.stderr.debugDescription)")

        try standby.promote()
        let accepted = try Fault.object(
            try Fault.ok(["app", "accept", String(first), "--on", "2025-04-03", "--format", "json"], url: failover))
        #expect(accepted["seq"] as? Int == 3)
        #expect(accepted["to"] as? String == "under_review")

        // The new primary holds the whole history, its chains intact.
        #expect(!(try standbyConnection.query("select pg_is_in_recovery() as r")[0].decode(Bool.self, "r")))
        for id in [first, second] {
            #expect(try Fault.chainDefect(standbyConnection, Int64(id)) == nil)
        }
        #expect(try Fault.history(standbyConnection, Int64(first)).map(\.event) == ["create", "submit", "accept"])
        #expect(try Fault.history(standbyConnection, Int64(second)).map(\.event) == ["create", "submit"])
        #expect(try Self.reportedIDs(readable) == [first, second].sorted())
    }
}
