import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LicTrackCore

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

/// An exact decimal amount typed on the command line, such as `12345.67`.
struct Amount: ExpressibleByArgument, Sendable {
    var value: Decimal

    init?(argument: String) {
        guard let value = ExactDecimal.parse(argument) else { return nil }
        self.value = value
    }
}
