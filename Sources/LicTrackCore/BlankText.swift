/// Whether a text says nothing: the CLI's copy of the database's `is_blank(text)` (migration 0020).
///
/// Blank is empty, or only white space (Unicode White_Space: spaces, tabs, line breaks, the
/// no-break spaces), control characters, and the zero-width characters U+180E, U+200B to U+200D,
/// U+2060 and U+FEFF. The CLI asks it to name the option in its message before anything is sent;
/// the database's checks stay the rule. `BlankTextAgreementTests` proves the two agree.
public enum BlankText {
    /// The characters besides white space and control characters that count as nothing.
    public static let invisible: Set<Unicode.Scalar> = [
        "\u{180E}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}",
    ]

    /// True when `text` is empty or made only of blank characters.
    public static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(isBlank(_:))
    }

    /// True for one blank character.
    public static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
            || invisible.contains(scalar)
    }

    /// True when `text` holds a NUL character, which PostgreSQL text cannot store.
    public static func containsNul(_ text: String) -> Bool {
        text.utf8.contains(0)
    }
}
