/// A length of time on the command line: a number and a unit, repeated, such as `90s`, `30m`,
/// `1h`, `2d` or `1h30m` (s seconds, m minutes, h hours, d days).
struct DurationArgument: Sendable, Equatable {
    /// The length in seconds.
    var seconds: Int

    init(seconds: Int) {
        self.seconds = seconds
    }

    init?(argument: String) {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        var total = 0
        var number = ""
        var sawUnit = false
        for character in argument.lowercased() {
            if character.isASCII && character.isNumber {
                number.append(character)
            } else if let unit = units[character], let value = Int(number), number.count <= 9 {
                total += value * unit
                number = ""
                sawUnit = true
            } else {
                return nil
            }
        }
        guard number.isEmpty, sawUnit, total > 0 else { return nil }
        seconds = total
    }

    /// The shortest way to write it: `1h`, `90m`, `2d`, `45s`.
    var text: String {
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] where seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}
