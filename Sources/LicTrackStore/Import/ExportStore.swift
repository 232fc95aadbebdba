import LicTrackCore
import Postgres

/// Reads applications in the shape `lictrack app import` takes (`import_export_rows()`, migration 0022).
public struct ExportStore {
    let connection: PostgresConnection

    /// The store on `database`.
    public init(_ database: Database) {
        self.init(connection: database.connection)
    }

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The CSV columns, in order: `import_csv_columns()`.
    public func columns() throws -> [String] {
        try LicTrackError.translating {
            try connection.query("select unnest(import_csv_columns()) as name").map {
                try $0.decode(String.self, "name")
            }
        }
    }

    /// Streams the rows of the applications `ids`, by application: each row's values in
    /// ``columns()`` order, `nil` for an empty field. One row is held at a time.
    ///
    /// - Returns: the number of rows.
    @discardableResult
    public func rows(of ids: [Int64], _ body: ([String?]) throws -> Void) throws -> Int {
        let columns = try columns()
        return try LicTrackError.translating {
            try connection.transaction(readOnly: true) { tx in
                try tx.stream(
                    "select * from import_export_rows($1::bigint[])",
                    ["{" + ids.map(String.init).joined(separator: ",") + "}"]
                ) { row in
                    try body(columns.map { row[$0] })
                }
            }
        }
    }
}
