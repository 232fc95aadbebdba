/// HTML escaping for the table rows, exactly as the Mustache templates escape every `{{value}}`.
///
/// Mustache costs about 9 µs per table cell (13.7 s for 100,000 rows of 15 cells in a release
/// build), so the rows of a section are written by ``HTMLRenderer`` directly, with this function:
/// the same five replacements as swift-mustache (`&lt;`, `&gt;`, `&amp;`, `&quot;`, `&#39;`), on the
/// UTF-8 bytes, with no way to pass markup through. `HTMLRendererTests` checks that the rows it
/// writes are byte for byte what the `rows` template renders.
enum HTMLEscape {
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: needsEscape) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "<"): bytes += Array("&lt;".utf8)
            case UInt8(ascii: ">"): bytes += Array("&gt;".utf8)
            case UInt8(ascii: "&"): bytes += Array("&amp;".utf8)
            case UInt8(ascii: "\""): bytes += Array("&quot;".utf8)
            case UInt8(ascii: "'"): bytes += Array("&#39;".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
