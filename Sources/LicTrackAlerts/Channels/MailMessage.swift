import LicTrackCore
import LicTrackStore

/// The e-mail for one alert: a plain-text account followed by the JSON payload.
///
/// The Message-ID is derived from the idempotency key, so a re-sent alert carries the same one.
/// Header values are on one line (CR and LF removed, so no value can add a header) and RFC 2047
/// encoded when they are not plain ASCII.
struct MailMessage {
    /// Comma-separated addresses.
    var recipients: String
    var delivery: PendingDelivery

    /// The subject line, such as `[lictrack] BREACHED: application 42 (MOFCOM ref X), deadline 2025-06-12`.
    static func subject(for delivery: PendingDelivery) -> String {
        var authority = delivery.authority
        if let reference = delivery.authorityReference, !reference.isEmpty { authority += " ref \(reference)" }
        if delivery.level == .supplyRisk {
            return "[lictrack] \(delivery.level.shouting): application \(delivery.applicationID) (\(authority)), "
                + "likely to be decided after its material runs out"
        }
        return "[lictrack] \(delivery.level.shouting): application \(delivery.applicationID) (\(authority)), "
            + "deadline \(delivery.deadline)"
    }

    /// The whole message, headers and body, with LF line ends (sendmail's local convention).
    var text: String {
        let to = recipients.split(separator: ",").map { $0.trimmed }.filter { !$0.isEmpty }.joined(separator: ", ")
        let key = DeliveryText.oneLine(delivery.idempotencyKey)
        var headers: [(String, String)] = [
            ("To", to),
            ("Subject", Self.subject(for: delivery)),
            ("Message-ID", "<\(key)@lictrack>"),
            ("X-Lictrack-Alert-Id", String(delivery.alertID)),
            ("X-Lictrack-Idempotency-Key", key),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "8bit"),
        ]
        headers = headers.map { ($0.0, Self.headerValue($0.1)) }

        let what: String
        switch delivery.level {
        case .breached: what = "has passed its deadline of \(delivery.deadline)"
        case .dueSoon: what = "is due by \(delivery.deadline)"
        case .supplyRisk:
            what =
                "is likely to be decided after the material it covers runs out "
                + "(stock_runs_out, feeds and days_short in the JSON below; deadline \(delivery.deadline))"
        }
        var body = "Application \(delivery.applicationID) with \(delivery.authority)"
        if let reference = delivery.authorityReference { body += " (reference \(reference))" }
        body += " \(what).\n\n"
        body += "Applicant:    \(delivery.applicant)\n"
        body += "Destination:  \(delivery.destination)\n"
        body += "Owner:        \(delivery.owner ?? "-")\n"
        body += "Status:       \(delivery.status)\n"
        body += "Cycle:        \(delivery.cycle)\n"
        body += "Alert:        \(delivery.alertID) (\(delivery.level.rawValue)), raised on \(delivery.raisedOn)\n\n"
        body += "Acknowledge it with: lictrack alerts ack \(delivery.alertID) --note TEXT\n\n"
        body += "-- \nThe alert as JSON:\n\(delivery.payload)\n"

        return headers.map { "\($0.0): \($0.1)\n" }.joined() + "\n" + body
    }

    /// A header value on one line (CR and LF removed, so nothing can add a header), RFC 2047
    /// encoded if it is not plain ASCII.
    static func headerValue(_ value: String) -> String {
        var flat = ""
        for scalar in value.unicodeScalars {
            if scalar == "\r" || scalar == "\n" {
                continue
            } else if scalar.value < 0x20 || scalar.value == 0x7f {
                flat.unicodeScalars.append(" ")
            } else {
                flat.unicodeScalars.append(scalar)
            }
        }
        if flat.unicodeScalars.allSatisfy({ $0.isASCII }) { return flat }
        // Encoded words of at most 75 characters, split on character boundaries.
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in flat {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(base64(chunk))?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(base64(chunk))?=") }
        return words.joined(separator: " ")
    }

    /// Standard base64 with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            output.append(alphabet[Int(b0 >> 2)])
            output.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            output.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0x0f) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            output.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3f)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
