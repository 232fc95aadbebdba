import LicTrackCore
import Postgres

extension CivilDate: PostgresEncodable, PostgresDecodable {
    public var postgresText: String { description }

    public init(postgresText: String) throws {
        guard let date = CivilDate(iso8601: postgresText) else {
            throw PostgresError(kind: .decoding, message: "not a date in ISO form")
        }
        self = date
    }
}
