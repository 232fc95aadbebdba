import LicTrackCore
import Postgres

extension ExactAmount: PostgresEncodable, PostgresDecodable {
    public var postgresText: String { text }

    /// Reads a `numeric` exactly as PostgreSQL printed it, scale included.
    public init(postgresText: String) throws {
        guard let amount = ExactAmount(postgresText) else {
            throw PostgresError(kind: .decoding, message: "not an exact decimal")
        }
        self = amount
    }
}
