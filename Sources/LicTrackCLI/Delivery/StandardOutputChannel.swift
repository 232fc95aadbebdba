import LicTrackStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes each alert's JSON payload as one line to lictrack's standard output.
struct StandardOutputChannel: DeliveryChannel {
    func send(_ delivery: PendingDelivery) -> DeliveryResult {
        // Whatever print() buffered goes first, so lines keep their order.
        fflush(nil)
        if let error = DeliveryText.writeAll(Array((delivery.payload + "\n").utf8), to: 1) {
            return .failed("cannot write to standard output: \(error)")
        }
        return .delivered
    }
}
