/// Reads an import file's bytes once, as they stream to PostgreSQL, for what COPY cannot say:
/// the physical line each CSV record starts on (a quoted field may hold line breaks), and bytes
/// that a text field cannot hold.
///
/// It never parses fields: PostgreSQL's CSV parser does. It only follows the quotes, as RFC 4180
/// and COPY do (`"` opens and closes a quoted field; a doubled `""` inside one closes and reopens it).
struct ImportScanner {
    /// A byte that no text field can hold.
    struct ForbiddenByte: Error {
        var line: Int
        var byte: UInt8
    }

    let tracksQuotes: Bool
    let forbidden: Set<UInt8>
    /// The line each record starts on, from the first (in CSV the header) on.
    private(set) var recordLines: [Int32] = []
    private var line = 1
    private var inQuotes = false
    private var atRecordStart = true

    init(format: ImportFormat) {
        self.tracksQuotes = format == .csv
        // JSON lines go through COPY with 0x01 and 0x02 as delimiter and quote: raw, they are not JSON.
        self.forbidden = format == .csv ? [0] : [0, 1, 2]
    }

    /// Follows `bytes`, the next part of the file.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) throws {
        for byte in bytes {
            if forbidden.contains(byte) { throw ForbiddenByte(line: line, byte: byte) }
            if atRecordStart {
                recordLines.append(Int32(clamping: line))
                atRecordStart = false
            }
            if byte == UInt8(ascii: "\"") && tracksQuotes {
                inQuotes.toggle()
            } else if byte == UInt8(ascii: "\n") {
                line += 1
                if !inQuotes { atRecordStart = true }
            }
        }
    }
}
