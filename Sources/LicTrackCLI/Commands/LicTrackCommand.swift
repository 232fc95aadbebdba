import ArgumentParser

/// The `lictrack` command: export-licence applications tracked in PostgreSQL.
public struct LicTrackCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lictrack",
        abstract: "Track export-licence applications and their deadlines in PostgreSQL.",
        discussion: """
            Connects with libpq: --database-url or LICTRACK_DATABASE_URL when given, otherwise libpq's own \
            defaults (PGHOST, PGDATABASE and the other PG* variables, ~/.pg_service.conf, ~/.pgpass). \
            Exit statuses: 0 ok, 1 migrations pending (db status) or history broken (audit verify), 64 usage, 65 invalid data or illegal \
            transition, 66 not found, 69 database unavailable, 70 internal, 73 cannot create the output file, \
            75 conflict, 77 login refused or permission denied, 78 not migrated.
            """,
        version: "0.2.0",
        subcommands: [
            AppCommand.self, AlertsCommand.self, AuditCommand.self, AuthorityCommand.self, CalendarCommand.self,
            DBCommand.self,
            DemoCommand.self, PolicyCommand.self, ReportCommand.self,
        ]
    )

    public init() {}
}
