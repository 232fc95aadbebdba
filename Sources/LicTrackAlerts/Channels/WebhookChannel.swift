import LicTrackStore

/// POSTs each alert's JSON payload to a URL, a batch at a time through one curl process
/// (``CurlBatch``), with an `Idempotency-Key` header that is the same on every attempt and every
/// re-send of that alert.
///
/// A 2xx answer is success. Anything else (another status, no answer within ``requestTimeLimit``
/// seconds, curl failing) is tried again within the run, up to ``tries`` tries with 0.2 s and
/// 0.4 s pauses, as long as the channel's share of the run lasts; then the failure is recorded,
/// and later runs retry it after the database's back-off.
struct WebhookChannel: DeliveryChannel {
    /// The longest one request may take.
    static let requestTimeLimit = 10
    /// Tries per delivery within one run.
    static let tries = 3
    /// The pauses before the second and third tries.
    static let pauses: [Double] = [0.2, 0.4]

    var url: String
    var headersFromEnvironment: [HeaderFromEnvironment]
    /// The curl program: `$LICTRACK_CURL`, else `curl` from `PATH`.
    var curl: String
    /// Requests in flight at once (curl's `--parallel-max`): the bound on this host's load.
    var concurrency: Int

    func send(_ deliveries: [PendingDelivery], until deadline: Double) -> [DeliveryResult] {
        // Secrets for the headers, read now and never stored.
        var headers: [(String, String)] = []
        for header in headersFromEnvironment {
            guard let value = DeliveryChannels.environment(header.variable) else {
                let reason =
                    "the environment variable \(header.variable) (for the header \(header.header)) is not set"
                return deliveries.map { _ in .failed(reason) }
            }
            headers.append((header.header, value))
        }

        var delivered = [Bool](repeating: false, count: deliveries.count)
        var tried = [Int](repeating: 0, count: deliveries.count)
        var lastError = [String](repeating: "", count: deliveries.count)
        var waiting = Array(deliveries.indices)
        for attempt in 0..<Self.tries where !waiting.isEmpty {
            if attempt > 0 {
                let pause = Self.pauses[min(attempt - 1, Self.pauses.count - 1)]
                guard deadline - Subprocess.monotonicNow() > pause + 1 else { break }
                Subprocess.sleep(seconds: pause)
            }
            let remaining = deadline - Subprocess.monotonicNow()
            guard remaining >= 1 else { break }
            let batch = CurlBatch(
                url: url, headers: headers, requests: waiting.map { deliveries[$0] },
                requestTimeLimit: Self.requestTimeLimit, concurrency: concurrency)
            let errors = batch.run(curl: curl, timeout: remaining)
            var stillWaiting: [Int] = []
            for (index, error) in zip(waiting, errors) {
                tried[index] += 1
                if let error {
                    lastError[index] = error
                    stillWaiting.append(index)
                } else {
                    delivered[index] = true
                }
            }
            waiting = stillWaiting
        }
        return deliveries.indices.map { index in
            if delivered[index] { return .delivered }
            if tried[index] == 0 { return .notSent }
            return .failed(tried[index] > 1 ? "\(lastError[index]) (after \(tried[index]) attempts)" : lastError[index])
        }
    }
}
