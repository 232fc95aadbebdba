import LicTrackCore

extension ApplicationStore {
    /// Everything `lictrack app show` prints, read in one snapshot.
    ///
    /// Resolves `key` as ``resolve(_:)`` does and loads ``details(of:asOf:)``, all in one
    /// `REPEATABLE READ, READ ONLY` transaction: the application, its items, its history, its clock,
    /// its outlook and the events allowed next describe the same moment, even while other sessions
    /// record events on it.
    ///
    /// - Throws: ``LicTrackError`` `.notFound` when no application answers to `key`.
    public func show(_ key: String, asOf: CivilDate? = nil) throws -> ApplicationDetails {
        try LicTrackError.translating {
            try connection.snapshot { _ in try details(of: try resolve(key), asOf: asOf) }
        }
    }
}
