import LicTrackCore
import LicTrackStore

/// Mails each alert through `sendmail -t`, one program run per alert (``MailMessage`` writes it).
///
/// The program is `$LICTRACK_SENDMAIL`, else `/usr/sbin/sendmail`; exit status 0 is success.
/// Each run has ``timeLimit`` seconds, or what is left of the channel's share of the run if that
/// is less. After ``failuresInARow`` failures in a row the rest of the batch is not tried: the
/// mail system is down, and later runs will find it again.
struct EmailChannel: DeliveryChannel {
    /// sendmail's time limit, in seconds.
    static let timeLimit: Double = 60
    /// Failures in a row after which a batch gives up.
    static let failuresInARow = 3
    /// Comma-separated addresses.
    var recipients: String
    var sendmail: String

    func send(_ deliveries: [PendingDelivery], until deadline: Double) -> [DeliveryResult] {
        var results: [DeliveryResult] = []
        var failures = 0
        for delivery in deliveries {
            let remaining = deadline - Subprocess.monotonicNow()
            guard remaining >= 1, failures < Self.failuresInARow else {
                results.append(.notSent)
                continue
            }
            let result = send(delivery, timeout: min(Self.timeLimit, remaining))
            failures = result == .delivered ? 0 : failures + 1
            results.append(result)
        }
        return results
    }

    private func send(_ delivery: PendingDelivery, timeout: Double) -> DeliveryResult {
        let message = MailMessage(recipients: recipients, delivery: delivery).text
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess(sendmail, ["-t", "-i"]).run(input: Array(message.utf8), timeout: timeout)
        } catch {
            return .failed("\(error)")
        }
        guard outcome.succeeded else {
            return .failed(DeliveryText.oneLine("sendmail " + outcome.failureSummary))
        }
        return .delivered
    }
}
