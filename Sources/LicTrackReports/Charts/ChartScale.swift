/// The vertical scale of a chart: a range that starts at zero (or below, for negative values)
/// and ends at a round number, with ticks every 1, 2, 2.5 or 5 times a power of ten.
struct ChartScale: Equatable {
    var minimum: Double
    var maximum: Double
    var step: Double

    /// A scale that shows every value in `values` with about `ticks` intervals (whole steps for whole values).
    init(values: [Double], ticks: Int = 5) {
        let low = min(0, values.min() ?? 0)
        let high = max(0, values.max() ?? 0)
        let span = high - low
        guard span > 0 else {
            self.init(minimum: 0, maximum: 1, step: 1)
            return
        }
        var step = ChartScale.niceStep(span / Double(max(ticks, 1)))
        if values.allSatisfy({ $0 == $0.rounded() }) { step = max(step, 1) }
        self.init(
            minimum: (low / step).rounded(.down) * step, maximum: (high / step).rounded(.up) * step, step: step)
    }

    init(minimum: Double, maximum: Double, step: Double) {
        self.minimum = minimum
        self.maximum = maximum
        self.step = step
    }

    /// The tick values from minimum to maximum.
    var ticks: [Double] {
        let count = Int(((maximum - minimum) / step).rounded())
        return (0...count).map { minimum + Double($0) * step }
    }

    /// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw, magnitude > 1e-9 { magnitude /= 10 }
        for factor in [1.0, 2.0, 2.5, 5.0, 10.0] where factor * magnitude >= raw {
            return factor * magnitude
        }
        return 10 * magnitude
    }

    /// Where `value` falls between `bottom` (the minimum) and `top` (the maximum) in pixels.
    func position(_ value: Double, bottom: Double, top: Double) -> Double {
        bottom - (value - minimum) / (maximum - minimum) * (bottom - top)
    }
}
