import LicTrackStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes each alert's JSON payload as one line to lictrack's standard output: a batch in one write.
struct StandardOutputChannel: DeliveryChannel {
    func send(_ deliveries: [PendingDelivery], until deadline: Double) -> [DeliveryResult] {
        // Whatever print() buffered goes first, so lines keep their order.
        fflush(nil)
        if let error = DeliveryText.writeAll(DeliveryText.lines(deliveries), to: 1) {
            return deliveries.map { _ in .failed("cannot write to standard output: \(error)") }
        }
        return deliveries.map { _ in .delivered }
    }
}
