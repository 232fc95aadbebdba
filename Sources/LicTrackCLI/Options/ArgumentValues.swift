import ArgumentParser
import LicTrackCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension CivilDate: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(iso8601: argument)
    }
}

extension DateSpecifier: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}

extension DelayReason: ExpressibleByArgument {}
extension LicenceType: ExpressibleByArgument {}
extension ApplicationStatus: ExpressibleByArgument {}

extension ExactAmount: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}
