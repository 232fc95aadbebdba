import ArgumentParser
import LicTrackCLI
import Testing

/// The command tree as a whole: every command names itself.
///
/// A command without an explicit `commandName` makes swift-argument-parser derive the name by
/// reflection on every invocation, which scans every protocol conformance record of the binary:
/// about 2.5 ms of start-up for each such command on the path (issue 10). An explicit name is
/// also what the documentation and the man page promise.
@Suite("Command tree")
struct CommandTreeTests {
    /// Every command type under `root`, with its path from the root.
    static func walk(
        _ root: any ParsableCommand.Type, path: [String] = []
    ) -> [(path: String, type: any ParsableCommand.Type)] {
        let name = root.configuration.commandName ?? "<\(root)>"
        let here = path + [name]
        return [(here.joined(separator: " "), root)]
            + root.configuration.subcommands.flatMap { walk($0, path: here) }
    }

    @Test("every command has an explicit commandName")
    func explicitNames() {
        let commands = Self.walk(LicTrackCommand.self)
        #expect(commands.count > 40, "the tree should hold every command: \(commands.map(\.path))")
        let unnamed = commands.filter { $0.type.configuration.commandName == nil }.map(\.path)
        #expect(unnamed.isEmpty, "commands without commandName: \(unnamed)")
    }

    @Test("names are unique among siblings and written in kebab case")
    func wellFormedNames() {
        for (path, type) in Self.walk(LicTrackCommand.self) {
            let names = type.configuration.subcommands.compactMap { $0.configuration.commandName }
            #expect(Set(names).count == names.count, "duplicate subcommand names under \(path): \(names)")
            for name in names {
                #expect(name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(path) \(name)")
            }
        }
    }
}
