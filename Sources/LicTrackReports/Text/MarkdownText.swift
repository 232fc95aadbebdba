/// Text escaped for GitHub-flavoured Markdown, so that data reads as data.
///
/// A pipe would end a table cell, a line break would end the row, and `*`, `_`, backticks,
/// brackets, `<` or an entity-like `&` would turn a name into emphasis, code, a link or HTML. Each
/// is backslash-escaped, line breaks become `<br>` (which GitHub renders inside a table cell), and
/// other control characters become U+FFFD. Underscores inside a word (`under_review`) stay as
/// they are, because GitHub never reads them as emphasis.
public enum MarkdownText {
    /// `text` for a table cell or running text.
    public static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: mayNeedEscape) else { return text }
        var output = ""
        let characters = Array(text.replacing("\r\n", with: "\n"))
        for (index, character) in characters.enumerated() {
            switch character {
            case "\\", "|", "`", "*", "[", "]", "<", ">", "~":
                output += "\\" + String(character)
            case "_":
                let before = index > 0 ? characters[index - 1] : " "
                let after = index + 1 < characters.count ? characters[index + 1] : " "
                output += before.isLetter || before.isNumber ? (after.isLetter || after.isNumber ? "_" : "\\_") : "\\_"
            case "&":
                let after = index + 1 < characters.count ? characters[index + 1] : " "
                output += after.isLetter || after == "#" ? "\\&" : "&"
            case "\n", "\r":
                output += "<br>"
            case "\t":
                output += " "
            default:
                if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                    TerminalText.isUnsafe(scalar)
                {
                    output += "\u{FFFD}"
                } else {
                    output.append(character)
                }
            }
        }
        return output
    }

    /// Whether a UTF-8 byte may start something to escape (C1 controls start with 0xC2, bidi overrides with 0xE2).
    static func mayNeedEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case 0..<0x20, 0x7F, 0xC2, 0xE2: return true
        case UInt8(ascii: "\\"), UInt8(ascii: "|"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "~"), UInt8(ascii: "_"),
            UInt8(ascii: "&"):
            return true
        default: return false
        }
    }

    /// `text` for the start of a line (a heading or paragraph): also escapes a leading `#`, `-`, `+` or `=`.
    public static func escapedLine(_ text: String) -> String {
        let escaped = escaped(text).replacing("<br>", with: " ")
        guard let first = escaped.first, "#-+=".contains(first) else { return escaped }
        return "\\" + escaped
    }
}
