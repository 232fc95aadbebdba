import LicTrackCore
import Postgres

extension LicTrackError {
    /// `error` as a ``LicTrackError``: itself if it is one, translated if it is a database error.
    ///
    /// `nil` for any other error, such as argument parsing's. Lets the CLI turn a database error
    /// that escaped a store into one line and an exit status without knowing the libpq layer.
    public init?(translating error: any Error) {
        switch error {
        case let error as LicTrackError: self = error
        case let error as PostgresError: self.init(error)
        default: return nil
        }
    }
}
