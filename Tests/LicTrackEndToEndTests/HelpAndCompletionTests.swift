import Foundation
import LicTrackTestSupport
import Testing

/// `--help`, `--version` and shell completion scripts: no database needed, exit 0.
@Suite("Help and completion scripts")
struct HelpAndCompletionTests {
    @Test("lictrack --help exits 0 and describes the commands")
    func help() throws {
        let outcome = try lictrack(["--help"], database: nil)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stdout.contains("USAGE"))
        for command in ["app", "db", "authority"] {
            #expect(outcome.stdout.contains(command), "no \(command) in --help")
        }
        #expect(outcome.stderr.isEmpty)
    }

    @Test(
        "subcommand help exits 0",
        arguments: [
            ["app", "--help"], ["app", "create", "--help"], ["help", "app", "list"], ["db", "migrate", "--help"],
        ])
    func subcommandHelp(arguments: [String]) throws {
        let outcome = try lictrack(arguments, database: nil)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stdout.contains("USAGE"))
    }

    @Test("lictrack --version exits 0 and prints a version")
    func version() throws {
        let outcome = try lictrack(["--version"], database: nil)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(
            outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines).first?.isNumber == true, "\(outcome.stdout)")
    }

    @Test("--generate-completion-script prints a completion script", arguments: ["bash", "zsh", "fish"])
    func completion(shell: String) throws {
        let outcome = try lictrack(["--generate-completion-script", shell], database: nil)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stdout.contains("lictrack"))
        #expect(outcome.stdout.count > 200)
        switch shell {
        case "bash": #expect(outcome.stdout.contains("-F _lictrack lictrack"), "not a bash completion script")
        case "zsh": #expect(outcome.stdout.contains("#compdef lictrack"))
        default: #expect(outcome.stdout.contains("complete -c") && outcome.stdout.contains("function __lictrack"))
        }
    }

    @Test("no arguments at all prints help, not a crash")
    func noArguments() throws {
        let outcome = try lictrack([], database: nil)
        #expect(outcome.stdout.contains("USAGE") || outcome.stderr.contains("USAGE"), "\(outcome)")
        #expect(!outcome.stderr.contains("Fatal error"))
    }
}
