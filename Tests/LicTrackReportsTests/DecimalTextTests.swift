import LicTrackCore
import LicTrackReports
import Testing

@Suite("Decimal formatting")
struct DecimalTextTests {
    @Test(
        "percentages are exact and round half away from zero",
        arguments: [
            ("0.755", "75.5%"), ("0.7555", "75.6%"), ("0.75549", "75.5%"), ("1", "100.0%"), ("0", "0.0%"),
            ("0.9995", "100.0%"), ("0.0004", "0.0%"), ("-0.0005", "-0.1%"), ("-0.0004", "0.0%"), ("12.3456", "1234.6%"),
            ("0.5", "50.0%"), ("0.00049", "0.0%"), ("0.00050", "0.1%"),
        ])
    func percent(_ ratio: String, _ shown: String) {
        #expect(DecimalText.percent(ExactAmount(ratio)!, fractionDigits: 1) == shown)
    }

    @Test("rounding to a number of places")
    func rounding() {
        #expect(DecimalText.rounded(ExactAmount("2.345")!, fractionDigits: 2) == "2.35")
        #expect(DecimalText.rounded(ExactAmount("9.995")!, fractionDigits: 2) == "10.00")
        #expect(DecimalText.rounded(ExactAmount("12")!, fractionDigits: 0) == "12")
        #expect(DecimalText.rounded(ExactAmount("0.5")!, fractionDigits: 0) == "1")
        #expect(DecimalText.rounded(ExactAmount("-1.25")!, fractionDigits: 1) == "-1.3")
    }
}
