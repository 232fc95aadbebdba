import LicTrackCore
import LicTrackStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The alert job (`lictrack alerts run`): raise the alerts that have fallen due, then deliver
/// what is due on every channel (Docs/alerts-delivery.md).
///
/// 1. Raise: one transaction (`alerts_raise()`), before anything is sent, so no channel can
///    delay new alerts.
/// 2. Deliver: each channel with due deliveries gets a share of the run (``Options/channelSeconds``)
///    and, when there are several, a thread and a database connection of its own, so a slow or
///    failing channel delays no other. Within its share a channel claims a batch with a lease
///    (one statement), sends it outside any transaction, and records the outcome (one
///    statement), until nothing is due, its share is spent, or its receiver is failing.
public enum AlertJob {
    /// How a run goes.
    public struct Options: Sendable {
        /// Each channel's share of a run, in seconds, by default.
        public static let defaultChannelSeconds: Double = 90
        /// Deliveries claimed at once, by default.
        public static let defaultBatchSize = 500

        /// Judge the clocks as of this day (default: today in each authority's time zone).
        public var asOf: CivilDate?
        /// Each channel's share of the run, in seconds: it claims nothing new after it, and a
        /// program still sending at its end is stopped.
        public var channelSeconds: Double
        /// Deliveries claimed (and written, posted, marked) at once per channel.
        public var batchSize: Int

        public init(
            asOf: CivilDate? = nil, channelSeconds: Double = defaultChannelSeconds, batchSize: Int = defaultBatchSize
        ) {
            self.asOf = asOf
            self.channelSeconds = channelSeconds
            self.batchSize = batchSize
        }
    }

    /// How much longer than what is left of its channel's share a lease lasts: time for the
    /// senders to be stopped and the outcome recorded. A killed run's leases expire this long
    /// after its share would have ended.
    public static let leaseGrace: Double = 60
    /// At most this many channels send at once (each on a thread with its own connection).
    public static let maximumThreads = 16
    /// At most this many requests in flight to one webhook host, shared by its channels.
    public static let requestsPerHost = 8

    /// Runs the job once.
    ///
    /// - Parameter connect: Opens the database; called once for the run, and once per
    ///   channel when several channels send at the same time.
    /// - Throws: ``LicTrackError`` when the database fails (after every channel has stopped).
    ///   A delivery that fails is not an error: it is counted, reported and retried later.
    public static func run(
        _ options: Options, connect: @escaping @Sendable () throws -> Database
    ) throws -> AlertRunResult {
        let database = try connect()
        defer { database.close() }
        let store = AlertStore(database)
        let raised = try store.raise(asOf: options.asOf)
        let start = try store.deliveryRunStart()
        guard !start.channels.isEmpty else {
            return AlertRunResult(raised: raised, pending: start.pending, channels: [])
        }

        let leaseToken = UUID().uuidString.lowercased()
        let leasedBy = identity()
        let concurrency = hostConcurrency(start.channels)
        let runs = start.channels.map { channel in
            ChannelRun(
                channel: channel,
                sender: DeliveryChannels.sender(for: channel, hostConcurrency: concurrency[channel.id] ?? 1),
                options: options, dueBy: start.dueBy, leaseToken: leaseToken, leasedBy: leasedBy)
        }

        var results: [Result<ChannelOutcome, any Error>]
        if runs.count == 1 {
            results = [Result { try runs[0].run(store) }]
        } else {
            let collected = Locked([Int: Result<ChannelOutcome, any Error>]())
            WorkerThreads.run(count: runs.count, width: maximumThreads) { index in
                let result = Result { () throws -> ChannelOutcome in
                    let own = try connect()
                    defer { own.close() }
                    return try runs[index].run(AlertStore(own))
                }
                collected.withLock { $0[index] = result }
            }
            results = collected.withLock { all in runs.indices.map { all[$0] ?? .failure(CancellationError()) } }
        }
        let outcomes = try results.map { try $0.get() }
        return AlertRunResult(raised: raised, pending: try store.pendingDeliveryCount(), channels: outcomes)
    }

    /// How many requests each webhook channel may have in flight: ``requestsPerHost``, shared
    /// among the channels that post to the same host.
    static func hostConcurrency(_ channels: [AlertChannel]) -> [Int64: Int] {
        var hosts: [Int64: String] = [:]
        for channel in channels where channel.kind == .webhook {
            hosts[channel.id] = host(of: channel.target ?? "")
        }
        var sharing: [String: Int] = [:]
        for host in hosts.values { sharing[host, default: 0] += 1 }
        return hosts.mapValues { max(1, requestsPerHost / (sharing[$0] ?? 1)) }
    }

    /// The host and port of a URL, lower case, without user information: `hooks.example.com:443`.
    static func host(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        let authority = rest.prefix { !"/?#".contains($0) }
        let hostPart = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        return hostPart.lowercased()
    }

    /// Who holds the leases of this run, for people reading `alerts deliveries`: host and pid.
    static func identity() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host =
            gethostname(&buffer, buffer.count - 1) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        return "\(host) pid \(getpid())"
    }
}

/// What one run of the alert job did.
public struct AlertRunResult: Sendable {
    /// The alerts raised by this run.
    public var raised: [SLAAlert]
    /// Deliveries this run made.
    public var delivered: Int
    /// Deliveries this run tried and failed (they stay pending and are retried later).
    public var failed: Int
    /// Deliveries not done after this run (waiting for a back-off, a disabled channel, a lease
    /// of another run, or the next run), whenever they are due.
    public var pending: Int
    /// What each channel that had work did, by channel name.
    public var channels: [ChannelOutcome]

    public init(raised: [SLAAlert], pending: Int, channels: [ChannelOutcome]) {
        self.raised = raised
        self.pending = pending
        self.channels = channels
        delivered = channels.reduce(0) { $0 + $1.delivered }
        failed = channels.reduce(0) { $0 + $1.failed }
    }

    /// Every failed delivery, channel by channel.
    public var failures: [DeliveryFailure] { channels.flatMap(\.failures) }
}
