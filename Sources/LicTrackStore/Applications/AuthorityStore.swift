import Postgres

/// An export-licensing authority.
public struct Authority: Sendable {
    public var code: String
    public var name: String
    public var country: String
    public var timeZone: String

    public init(code: String, name: String, country: String, timeZone: String) {
        self.code = code
        self.name = name
        self.country = country
        self.timeZone = timeZone
    }
}

/// Reads and adds authorities.
public struct AuthorityStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// A store on an open database.
    public init(_ database: Database) {
        self.init(connection: database.connection)
    }

    /// Every authority, by code.
    public func list() throws -> [Authority] {
        try LicTrackError.translating {
            try connection.query("select code, name, country, time_zone from authorities order by code").map {
                Authority(
                    code: try $0.decode(String.self, "code"), name: try $0.decode(String.self, "name"),
                    country: try $0.decode(String.self, "country"), timeZone: try $0.decode(String.self, "time_zone"))
            }
        }
    }

    /// Adds an authority.
    public func add(_ authority: Authority) throws {
        try InputText.check(authority.name, "--name")
        let given = GivenInput(
            ["code": authority.code, "name": authority.name, "country": authority.country],
            lengthLimited: "authorities.country")
        try LicTrackError.translating(given: given) {
            try connection.transaction { tx in
                _ = try tx.execute(
                    "insert into authorities (code, name, country, time_zone) values ($1, $2, $3, $4)",
                    [authority.code, authority.name, authority.country, authority.timeZone])
            }
        }
    }
}
