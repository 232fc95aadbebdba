/// The kind of licence applied for.
public enum LicenceType: String, CaseIterable, Codable, Sendable {
    /// A licence for one contract or consignment series (China's 单项许可, a US licence, a UK SIEL).
    case single
    /// A general or global licence covering many consignments (China's 通用许可, an OIEL).
    case general
    case other
}
