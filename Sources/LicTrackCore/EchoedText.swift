/// User input as a message may echo it: quoted, control characters escaped, and cut short.
public enum EchoedText {
    /// `input` in single quotes, control, format and white-space characters other than the space
    /// escaped (`\u{1B}` for an escape, `\u{A0}` for a no-break space),
    /// and cut to `limit` characters with an ellipsis, so that a hostile or huge value can neither
    /// drive the terminal nor flood the line.
    public static func quoted(_ input: String, limit: Int = 60) -> String {
        "'" + escaped(input, limit: limit) + "'"
    }

    /// `input` with control and format characters escaped, cut to `limit` characters (nil: no limit).
    public static func escaped(_ input: some StringProtocol, limit: Int? = nil) -> String {
        var shown = ""
        var count = 0
        for scalar in input.unicodeScalars {
            if let limit, count == limit {
                shown += "…"
                break
            }
            shown += isUnsafe(scalar) ? "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" : String(scalar)
            count += 1
        }
        return shown
    }

    /// Whether a character is not shown as it is: a control or format character, or white space
    /// other than the plain space (a no-break space or a tab would look like a space, or like nothing).
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let category = scalar.properties.generalCategory
        return category == .control || category == .format || (scalar.properties.isWhitespace && scalar != " ")
    }
}
