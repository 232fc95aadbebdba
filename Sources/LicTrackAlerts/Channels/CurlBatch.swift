import LicTrackCore
import LicTrackStore

/// One curl process that POSTs a batch of payloads to one URL, in parallel over kept-alive
/// connections, and reports each request's own outcome.
///
/// The command line is fixed (`--parallel --parallel-immediate --parallel-max N --config -`:
/// up to N connections at once, each kept alive for the next request); the requests come on
/// standard input as a curl config file, one block per request, so that neither the URL (which
/// may embed a secret) nor a header read from the environment ever appears on a command line
/// that other users can see with `ps`. Each request has its own `Idempotency-Key` header, its
/// own time limit, and its own `--write-out` line on standard error (unbuffered, so a curl killed
/// at its time limit has already reported every request it finished):
/// `lictrack-result INDEX HTTP_CODE EXIT_CODE ERROR_MESSAGE`.
struct CurlBatch {
    /// The first word of each result line.
    static let marker = "lictrack-result"

    var url: String
    /// Extra headers (from the environment), name and value.
    var headers: [(String, String)]
    var requests: [PendingDelivery]
    /// curl's `--max-time` for each request, in seconds.
    var requestTimeLimit: Int
    /// curl's `--parallel-max`: requests in flight at once.
    var concurrency: Int

    /// curl's command line, after the program name.
    var arguments: [String] {
        [
            "--silent", "--show-error", "--no-progress-meter", "--parallel", "--parallel-immediate",
            "--parallel-max", String(max(1, concurrency)), "--config", "-",
        ]
    }

    /// The config file: one block per request, separated by `next`.
    var config: String {
        var text = ""
        for (index, delivery) in requests.enumerated() {
            if index > 0 { text += "next\n" }
            text += "url = \(Self.quoted(Self.oneLine(url)))\n"
            text += "output = \"/dev/null\"\n"
            text += "max-time = \(requestTimeLimit)\n"
            text += "globoff\n"
            text += "proto = \"=http,https\"\n"
            let standard = [
                ("Content-Type", "application/json"), ("Idempotency-Key", delivery.idempotencyKey),
                ("User-Agent", "lictrack"),
            ]
            for (name, value) in standard + headers {
                text += "header = \(Self.quoted(Self.oneLine("\(name): \(value)")))\n"
            }
            text += "data-binary = \(Self.quoted(delivery.payload))\n"
            text +=
                "write-out = \(Self.quoted("%{stderr}\n\(Self.marker) \(index) %{http_code} %{exitcode} %{errormsg}\n"))\n"
        }
        return text
    }

    /// Runs curl on the batch; ends it (and whatever it started) after `timeout` seconds.
    ///
    /// - Returns: For each request, in order: nil if it was answered 2xx, else what went wrong.
    func run(curl: String, timeout: Double) -> [String?] {
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess(curl, arguments).run(input: Array(config.utf8), timeout: timeout)
        } catch {
            return requests.map { _ in "\(error)" }
        }
        var answers = [String??](repeating: nil, count: requests.count)
        var otherLines: [Substring] = []
        for line in outcome.standardErrorText.split(whereSeparator: \.isNewline) {
            guard line.hasPrefix(Self.marker + " ") else {
                otherLines.append(line)
                continue
            }
            let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
            guard fields.count >= 4, let index = Int(fields[1]), answers.indices.contains(index) else { continue }
            let status = Int(fields[2]) ?? 0
            let exitCode = Int(fields[3]) ?? -1
            let message = fields.count > 4 ? fields[4].trimmed : ""
            if exitCode == 0 && (200...299).contains(status) {
                answers[index] = .some(nil)
            } else if exitCode == 0 {
                answers[index] = .some("HTTP \(status)")
            } else {
                answers[index] = .some(DeliveryText.oneLine("curl (\(exitCode)): \(message)"))
            }
        }
        // Requests curl never reported on: it was killed at the time limit, or failed as a whole.
        let unanswered: String
        if outcome.timedOut {
            unanswered = "curl timed out after \(Int(timeout.rounded(.up))) s (the channel's share of the run)"
        } else {
            let first = otherLines.map { $0.trimmed }.first { !$0.isEmpty } ?? ""
            let how = outcome.signal.map { "killed by signal \($0)" } ?? "exit \(outcome.status)"
            unanswered = DeliveryText.oneLine("curl \(how)" + (first.isEmpty ? "" : ": \(first)"))
        }
        return answers.map { $0 ?? unanswered }
    }

    /// A config-file string: in double quotes, with `\` and `"` escaped and line ends as `\n`/`\r`.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text.unicodeScalars {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result.unicodeScalars.append(character)
            }
        }
        return result + "\""
    }

    /// `text` without CR and LF, so that a value cannot add a header or a config line.
    static func oneLine(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 != "\r" && $0 != "\n" })
    }
}
