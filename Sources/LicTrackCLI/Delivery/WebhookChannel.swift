import LicTrackStore

/// POSTs each alert's JSON payload to a URL through curl, with an `Idempotency-Key` header that is
/// the same on every attempt and every re-send of that alert.
///
/// A 2xx answer is success. Anything else (another status, no answer within 10 seconds, curl
/// failing) is tried again within the run, up to three attempts with 0.2 s and 0.4 s pauses,
/// before the failure is recorded; later runs retry it after the database's back-off.
struct WebhookChannel: DeliveryChannel {
    var url: String
    /// The curl program: `$LICTRACK_CURL`, else `curl` from `PATH`.
    var curl: String
    var attempts = 3
    var pauses: [Double] = [0.2, 0.4]

    func send(_ delivery: PendingDelivery) -> DeliveryResult {
        var lastError = ""
        for attempt in 0..<attempts {
            if attempt > 0 {
                Subprocess.sleep(seconds: pauses[min(attempt - 1, pauses.count - 1)])
            }
            guard let error = post(delivery) else { return .delivered }
            lastError = error
        }
        return .failed(attempts > 1 ? "\(lastError) (after \(attempts) attempts)" : lastError)
    }

    /// The curl command line (after the program name).
    func arguments(idempotencyKey: String) -> [String] {
        [
            "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", "-X", "POST",
            "-H", "Content-Type: application/json", "-H", "Idempotency-Key: \(idempotencyKey)",
            "-H", "User-Agent: lictrack", "--data-binary", "@-", "--globoff", "--url", url,
        ]
    }

    /// One attempt: nil on a 2xx answer, else what went wrong.
    private func post(_ delivery: PendingDelivery) -> String? {
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess(curl, arguments(idempotencyKey: DeliveryText.oneLine(delivery.idempotencyKey)))
                .run(input: Array(delivery.payload.utf8), timeout: 20)
        } catch {
            return "\(error)"
        }
        guard outcome.succeeded else {
            return DeliveryText.oneLine("curl " + outcome.failureSummary)
        }
        let code = outcome.standardOutputText.trimmed
        guard let status = Int(code) else {
            return DeliveryText.oneLine("curl printed no HTTP status (\(code))")
        }
        if (200...299).contains(status) { return nil }
        return "HTTP \(status)"
    }
}
