/// Numbers in charts, written the same on every machine: no locale, no exponent.
///
/// Values show at most two decimals (`12.5`, `0.33`), integers none; coordinates are rounded to
/// hundredths of a pixel. Both go through integer arithmetic, so a chart's text is deterministic.
enum ChartNumber {
    /// A value for people: `1234`, `12.5`, `-0.25`.
    static func label(_ value: Double) -> String {
        fixed(value, maxFractionDigits: 2)
    }

    /// A coordinate for SVG: `12.35`.
    static func coordinate(_ value: Double) -> String {
        fixed(value, maxFractionDigits: 2)
    }

    /// `value` rounded half away from zero to at most `maxFractionDigits`, trailing zeros dropped.
    static func fixed(_ value: Double, maxFractionDigits: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<maxFractionDigits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return String(Int64(value.rounded())) }
        let units = Int64(scaled)
        let divisor = Int64(scale)
        var text = String(units / divisor)
        var fraction = String(units % divisor)
        if maxFractionDigits > 0 {
            fraction = String(repeating: "0", count: maxFractionDigits - fraction.count) + fraction
            while fraction.last == "0" { fraction.removeLast() }
            if !fraction.isEmpty { text += "." + fraction }
        }
        return (value < 0 && units != 0 ? "-" : "") + text
    }
}
