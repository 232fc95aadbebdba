import ArgumentParser
import LicTrackCore
import LicTrackStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process entry point: parses, runs, and turns every failure into one line and an exit status.
public enum LicTrackMain {
    /// Runs lictrack with the process's arguments and exits.
    public static func main() -> Never {
        do {
            var command = try LicTrackCommand.parseAsRoot()
            try command.run()
            exit(ExitStatus.success.rawValue)
        } catch let error as LicTrackError {
            fail(error)
        } catch let error as CommandFailure {
            exit(error.status)
        } catch {
            if let databaseError = LicTrackError(translating: error) {
                fail(databaseError)
            }
            let code = LicTrackCommand.exitCode(for: error)
            if code == .success {
                LicTrackCommand.exit(withError: error)  // --help, --version, completion scripts
            }
            let message = ErrorLine.echoingArgumentsSafely(
                LicTrackCommand.message(for: error).split(whereSeparator: \.isNewline).joined(separator: "; "),
                arguments: Array(CommandLine.arguments.dropFirst()))
            StandardError.writeLine("lictrack: error: \(message) (see --help)")
            exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }

    static func fail(_ error: LicTrackError) -> Never {
        StandardError.writeLine("lictrack: error: \(error.description)")
        exit(ExitStatus(error.kind).rawValue)
    }
}

/// Ends a command with a given exit status after it has printed what it had to say.
struct CommandFailure: Error {
    var status: Int32
}

/// Writes to standard error, unbuffered.
enum StandardError {
    /// Writes one line, made safe for a terminal by ``ErrorLine/safe(_:)``.
    static func writeLine(_ line: String) {
        let text = ErrorLine.safe(line.replacing("\n", with: " ")) + "\n"
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
