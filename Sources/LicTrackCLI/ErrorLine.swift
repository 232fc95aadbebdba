import LicTrackCore
import LicTrackStore

/// The last guard on what an error line echoes: no control character reaches the terminal, and no
/// echoed value floods it.
///
/// lictrack's own messages quote what they echo (``LicTrackError/quoted(_:limit:)``); the argument
/// parser's messages and the database's do not, so the line is checked once more before it is written.
enum ErrorLine {
    /// The longest line written, in characters; anything longer is cut with an ellipsis.
    static let limit = 1_000

    /// `line` with control and format characters escaped (`\u{1B}`), cut to ``limit``.
    static func safe(_ line: String) -> String {
        EchoedText.escaped(line, limit: limit)
    }

    /// An argument parser message with each echoed command-line argument quoted and shortened the
    /// way lictrack's own messages quote input (`The value '<100 KB>' is invalid` becomes
    /// `The value '<60 characters>…' is invalid`).
    static func echoingArgumentsSafely(_ message: String, arguments: [String]) -> String {
        var message = message
        for argument in Set(arguments) where !argument.isEmpty && needsQuoting(argument) {
            let quoted = LicTrackError.quoted(argument)
            message = message.replacing("'\(argument)'", with: quoted)
            message = message.replacing(argument, with: String(quoted.dropFirst().dropLast()))
        }
        return message
    }

    /// Whether an argument cannot be echoed as it is: long, or holding a character a terminal acts on.
    static func needsQuoting(_ argument: String) -> Bool {
        argument.unicodeScalars.count > 60 || argument.unicodeScalars.contains(where: EchoedText.isUnsafe)
    }
}
