import LicTrackStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends one alert delivery somewhere. Never throws: a failure is a result, recorded and retried later.
protocol DeliveryChannel {
    func send(_ delivery: PendingDelivery) -> DeliveryResult
}

/// Builds the sender for each kind of channel.
enum DeliveryChannels {
    /// The sender for `channel`, configured from the environment (LICTRACK_CURL, LICTRACK_SENDMAIL).
    static func sender(for channel: AlertChannel) -> any DeliveryChannel {
        switch channel.kind {
        case .stdout:
            return StandardOutputChannel()
        case .jsonl:
            return JSONLinesChannel(path: channel.target ?? "")
        case .webhook:
            return WebhookChannel(url: channel.target ?? "", curl: environment("LICTRACK_CURL") ?? "curl")
        case .email:
            return EmailChannel(
                recipients: channel.target ?? "", sendmail: environment("LICTRACK_SENDMAIL") ?? "/usr/sbin/sendmail")
        }
    }

    /// A non-empty environment variable.
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }
}

/// Helpers shared by the channels.
enum DeliveryText {
    /// `text` on one line without control characters, at most `limit` characters: for error messages.
    static func oneLine(_ text: String, limit: Int = 480) -> String {
        var result = ""
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let isControl = scalar.value < 0x20 || scalar.value == 0x7f
            if isControl || scalar == " " {
                if !lastWasSpace && !result.isEmpty { result.unicodeScalars.append(" ") }
                lastWasSpace = true
            } else {
                result.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
        }
        while result.last == " " { result.removeLast() }
        return result.count > limit ? String(result.prefix(limit)) + "…" : result
    }

    /// Writes all of `bytes` to `fd`, retrying after interruptions and short writes.
    ///
    /// - Returns: nil on success, else the error text.
    static func writeAll(_ bytes: [UInt8], to fd: Int32) -> String? {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            offset += count
        }
        return nil
    }
}
