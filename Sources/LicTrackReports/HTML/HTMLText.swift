/// Text made fit for an HTML (and XML) document before the template escapes it.
///
/// Escaping handles `<`, `&` and quotes; it cannot make a NUL or an escape character legal, and
/// XML forbids them. Control characters other than tab and line breaks, C1 controls and the
/// non-characters U+FFFE and U+FFFF become U+FFFD, so the page always parses.
enum HTMLText {
    static func clean(_ text: String) -> String {
        // Fast path: only bytes below 0x20, DEL, C1 (0xC2 0x80-0x9F) and U+FFFE/U+FFFF (0xEF …) can be forbidden.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xEF }),
            text.unicodeScalars.contains(where: isForbidden)
        else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            result.append(isForbidden(scalar) ? "\u{FFFD}" : scalar)
        }
        return String(result)
    }

    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 { return value != 0x09 && value != 0x0A && value != 0x0D }
        return (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF
    }
}

extension ReportChart {
    /// The chart with every label cleaned for HTML.
    var cleanedForHTML: ReportChart {
        ReportChart(
            kind, title: HTMLText.clean(title), xLabel: HTMLText.clean(xLabel), yLabel: HTMLText.clean(yLabel),
            series: series.map { series in
                ReportChartSeries(
                    HTMLText.clean(series.name),
                    points: series.points.map { ReportChartPoint(HTMLText.clean($0.label), $0.value) })
            }, categories: categories.map(HTMLText.clean))
    }
}
