/// What the user gave for the columns of one statement, so that an error can echo the refused value.
public struct GivenInput: Sendable {
    /// The values by column name (`hs_code`), as the user wrote them.
    public var values: [String: String]
    /// The `table.column` of the statement's one length-limited column (`char(n)`), if it has one:
    /// PostgreSQL names no column when such a value is too long.
    public var lengthLimited: String?
    /// The item's line number, when the values are one of several items.
    public var item: Int?

    public init(_ values: [String: String?] = [:], lengthLimited: String? = nil, item: Int? = nil) {
        self.values = values.compactMapValues { $0 }
        self.lengthLimited = lengthLimited
        self.item = item
    }
}
