import LicTrackCore
import LicTrackStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What one channel did in one run of the alert job.
public struct ChannelOutcome: Sendable {
    /// Why a channel stopped before it had sent everything that was due.
    public enum Stop: Sendable, Equatable {
        /// Its share of the run's time ran out.
        case timeShareSpent
        /// A whole batch failed (or, for e-mail, several alerts in a row): the receiver is down,
        /// and trying the rest now would only spend the run's time.
        case failing
    }

    public var channel: String
    public var delivered = 0
    public var failed = 0
    /// Why it stopped early, if it did.
    public var stop: Stop?
    /// Deliveries still due when it stopped (they wait for the next run).
    public var leftDue = 0
    /// Each failed delivery.
    public var failures: [DeliveryFailure] = []
}

/// One failed delivery attempt, for the run's warnings.
public struct DeliveryFailure: Sendable {
    public var alertID: Int64
    public var channel: String
    /// Which attempt this was (1 for the first).
    public var attempt: Int
    /// What went wrong, with any secret masked.
    public var message: String
}

/// One channel's share of an alert run: claim a batch, send it outside any transaction, record
/// the outcome; again, until nothing is due, the time share is spent, or the receiver is failing.
struct ChannelRun {
    var channel: AlertChannel
    var sender: any DeliveryChannel
    var options: AlertJob.Options
    /// The run's start on the database's clock: deliveries due by then are this run's.
    var dueBy: Date
    var leaseToken: String
    var leasedBy: String

    /// Less time than this left in the share, and no new batch is claimed.
    static let smallestSlice: Double = 1

    func run(_ store: AlertStore) throws -> ChannelOutcome {
        var outcome = ChannelOutcome(channel: channel.name)
        let deadline = Subprocess.monotonicNow() + options.channelSeconds
        while true {
            let remaining = deadline - Subprocess.monotonicNow()
            guard remaining >= Self.smallestSlice else {
                outcome.stop = .timeShareSpent
                break
            }
            // The lease outlasts the share: the senders never run past its end.
            let batch = try store.claim(
                channel, limit: options.batchSize, dueBy: dueBy, leaseSeconds: remaining + AlertJob.leaseGrace,
                leaseToken: leaseToken, leasedBy: leasedBy)
            if batch.deliveries.isEmpty { break }

            let results = sender.send(batch.deliveries, until: deadline).map { result -> DeliveryResult in
                if case .failed(let message) = result { return .failed(SecretMask.masking(message)) }
                return result
            }
            try store.record(batch, zip(batch.deliveries.map(\.alertID), results).map { ($0, $1) })

            var notSent = 0
            for (delivery, result) in zip(batch.deliveries, results) {
                switch result {
                case .delivered:
                    outcome.delivered += 1
                case .failed(let message):
                    outcome.failed += 1
                    outcome.failures.append(
                        DeliveryFailure(
                            alertID: delivery.alertID, channel: channel.name, attempt: delivery.attempts + 1,
                            message: message))
                case .notSent:
                    notSent += 1
                }
            }
            if notSent > 0 || !results.contains(.delivered) {
                let timeLeft = deadline - Subprocess.monotonicNow() >= Self.smallestSlice
                outcome.stop = timeLeft ? .failing : .timeShareSpent
                break
            }
            // Fewer than asked for: nothing more is due (or another run holds the rest).
            if batch.deliveries.count < options.batchSize { break }
        }
        if outcome.stop != nil {
            outcome.leftDue = try store.dueCount(channel, dueBy: dueBy)
        }
        return outcome
    }
}
