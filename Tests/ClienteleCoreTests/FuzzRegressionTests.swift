import Testing
@testable import ClienteleCore

/// Inputs the fuzzer (scripts/fuzz, target `filter`) found to crash or break a rule, kept as they were found.
/// docs/reliability.md, "Fuzzing", lists each with what was wrong.
@Suite("Fuzz regressions: audience filters")
struct FilterFuzzRegressionTests {
    /// Found by `filter` in its first run: an amount with 35 zeros after the point made `DecimalValue.compare`
    /// scale the customer's revenue by 10^34 in 128 bits, which overflowed and stopped the process (an
    /// arithmetic-overflow trap; a dashboard request could have ended the server). Every customer has revenue
    /// above that tiny amount; none has less.
    @Test("revenue > 0.000000000000000000000000000000000001 selects everyone with revenue, without trapping")
    func tinyAmount() throws {
        #expect(try AudienceFixture.select("revenue > 0.000000000000000000000000000000000001") == ["alice", "bob", "carol", "dave"])
        #expect(try AudienceFixture.select("revenue < 0.000000000000000000000000000000000001") == [])
        #expect(try AudienceFixture.select("revenue between 0.000000000000000000000000000000000001 and 1200") == ["bob", "carol", "dave"])
    }

    /// The comparison itself, against a naive one over exact decimal strings: the sign of units × 10^−digits
    /// minus mantissa × 10^−scale, for scales far beyond what 128 bits can scale.
    @Test("DecimalValue.compare agrees with an exact comparison for any scale", arguments: [0, 1, 2, 3])
    func compareAnyScale(digits: Int) {
        let units: [Int64] = [0, 1, 150_000, Int64.max, -1, Int64.min + 1]
        let values: [AudienceFilter.DecimalValue] = [
            .init(mantissa: 0, scale: 0), .init(mantissa: 1, scale: 0), .init(mantissa: 1, scale: 36),
            .init(mantissa: Int64.max, scale: 0), .init(mantissa: Int64.max, scale: 40), .init(mantissa: 15, scale: 1),
            .init(mantissa: 150_000, scale: 2), .init(mantissa: 9, scale: 400),
        ]
        for u in units {
            for v in values {
                #expect(v.compare(u, digits: digits) == naiveCompare(u, digits, v.mantissa, v.scale), "\(u) at \(digits) vs \(v)")
            }
        }
    }

    /// Compares a × 10^−da with b × 10^−db by writing both as digit strings with the same number of decimals.
    private func naiveCompare(_ a: Int64, _ da: Int, _ b: Int64, _ db: Int) -> Int {
        if (a < 0) != (b < 0) { return a < 0 ? -1 : 1 }
        let decimals = max(da, db)
        func digits(_ x: Int64, _ d: Int) -> String {
            let s = String(String(x).drop { $0 == "-" }) + String(repeating: "0", count: decimals - d)
            let trimmed = s.drop { $0 == "0" }
            return trimmed.isEmpty ? "0" : String(trimmed)
        }
        let x = digits(a, da), y = digits(b, db)
        let magnitude = x.count != y.count ? (x.count < y.count ? -1 : 1) : (x == y ? 0 : (x < y ? -1 : 1))
        return a < 0 ? -magnitude : magnitude
    }
}
