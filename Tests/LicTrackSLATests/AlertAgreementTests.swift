import LicTrackStore
import LicTrackTestSupport
import Postgres
import Testing

/// The Swift enums that name alert values list exactly what the database's checks allow.
@Suite("Alerts: Swift and SQL agree")
struct AlertAgreementTests {
    /// The quoted values of a check constraint, in order: `CHECK ((kind = ANY (ARRAY['stdout'::text, ...])))`.
    static func checkValues(_ connection: PostgresConnection, _ constraint: String) throws -> [String] {
        let definition = try connection.query(
            "select pg_get_constraintdef(oid) as d from pg_constraint where conname = $1", [constraint]
        )[0].decode(String.self, "d")
        return definition.split(separator: "'").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    @Test("AlertChannelKind, AlertLevel and the delivery statuses match the checks of migrations 0005, 0011 and 0015")
    func valuesAgree() throws {
        try TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            #expect(
                try Self.checkValues(connection, "alert_channels_kind_check")
                    == AlertChannelKind.allCases.map(\.rawValue))
            #expect(try Self.checkValues(connection, "sla_alerts_level_check") == AlertLevel.allCases.map(\.rawValue))
            // Channels can be limited to every level (migration 0015 added supply_risk to both).
            #expect(
                try Self.checkValues(connection, "alert_channels_levels_check") == AlertLevel.allCases.map(\.rawValue))
            // `alerts deliveries` documents these three statuses.
            #expect(
                try Self.checkValues(connection, "alert_deliveries_status_check") == [
                    "pending", "sending", "delivered",
                ])
        }
    }
}
