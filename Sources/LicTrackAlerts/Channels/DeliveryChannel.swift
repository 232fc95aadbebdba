import LicTrackStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends one channel's deliveries, a batch at a time. Never throws: a failure is a result,
/// recorded and retried later.
protocol DeliveryChannel: Sendable {
    /// Sends `deliveries`, giving up by `deadline` (``Subprocess/monotonicNow()`` seconds).
    ///
    /// - Returns: One result per delivery, in the same order: ``DeliveryResult/notSent`` for any
    ///   the channel did not try (its time ran out first).
    func send(_ deliveries: [PendingDelivery], until deadline: Double) -> [DeliveryResult]
}

/// Builds the sender for each kind of channel.
enum DeliveryChannels {
    /// The sender for `channel`, configured from the environment (LICTRACK_CURL, LICTRACK_SENDMAIL).
    ///
    /// - Parameter hostConcurrency: How many requests a webhook may have in flight at once.
    static func sender(for channel: AlertChannel, hostConcurrency: Int) -> any DeliveryChannel {
        if channel.kind == .stdout { return StandardOutputChannel() }
        guard let target = channel.target, !target.isEmpty else {
            return MisconfiguredChannel(reason: "the \(channel.kind.rawValue) channel has no target")
        }
        switch channel.kind {
        case .stdout:
            return StandardOutputChannel()
        case .jsonl:
            return JSONLinesChannel(path: target)
        case .webhook:
            return WebhookChannel(
                url: target, headersFromEnvironment: channel.headersFromEnvironment,
                curl: environment("LICTRACK_CURL") ?? "curl", concurrency: hostConcurrency)
        case .email:
            return EmailChannel(
                recipients: target, sendmail: environment("LICTRACK_SENDMAIL") ?? "/usr/sbin/sendmail")
        }
    }

    /// A non-empty environment variable.
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }
}

/// A channel that cannot send at all (a row added by hand without a target): every delivery fails.
struct MisconfiguredChannel: DeliveryChannel {
    var reason: String

    func send(_ deliveries: [PendingDelivery], until deadline: Double) -> [DeliveryResult] {
        deliveries.map { _ in .failed(reason) }
    }
}

/// Helpers shared by the channels.
public enum DeliveryText {
    /// `text` on one line without control characters, at most `limit` characters: for error messages.
    public static func oneLine(_ text: String, limit: Int = 480) -> String {
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

    /// The payloads of `deliveries`, one line each.
    static func lines(_ deliveries: [PendingDelivery]) -> [UInt8] {
        var bytes: [UInt8] = []
        for delivery in deliveries {
            bytes += delivery.payload.utf8
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}
