import ArgumentParser

/// `lictrack app`: applications and everything that happens to them.
struct AppCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app",
        abstract: "Create, inspect and move applications through their workflow.",
        discussion: """
            APP is an application's numeric id (42) or its authority reference number. \
            Event verbs take --on DATE: YYYY-MM-DD, today, yesterday, N-days-ago, or a weekday name \
            (the most recent one before today), reckoned in the authority's time zone; the default is today.
            """,
        subcommands: [
            AppCreate.self, AppShow.self, AppList.self, AppAddItem.self, AppImport.self, AppExport.self,
            Submit.self, Accept.self, RequestInfo.self, ProvideInfo.self, Delay.self, Resume.self,
            Approve.self, Deny.self, Return.self, Withdraw.self, Note.self, Stock.self,
        ]
    )
}
