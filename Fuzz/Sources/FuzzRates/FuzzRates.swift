import ClienteleCore
import ClienteleImport
import FuzzSupport

/// Fuzzes the rate table reader (`--rates FILE`): every rate read is positive and converts an amount
/// without trapping; every error names a line within the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    var physicalLines = 1
    for b in bytes where b == 0x0A || b == 0x0D { physicalLines += 1 }
    let dkk = Currency(code: "DKK")!
    do {
        let rates = try parseRateTable(name: "rates.csv", bytes: bytes)
        for (code, rate) in rates {
            require(rate.currency.code == code, "rate filed under \(code) is for \(rate.currency.code)")
            for amount: Int64 in [0, 1, 12_345, Int64.max, Int64.min + 1] {
                if let converted = rate.convert(amount, to: dkk) {
                    require(amount < 0 || converted >= 0, "\(rate) turns \(amount) into \(converted)")
                    require(amount > 0 || converted <= 0, "\(rate) turns \(amount) into \(converted)")
                }
            }
            _ = rate.description
        }
    } catch {
        require(!error.errors.isEmpty, "a failure without errors")
        for e in error.errors {
            if let line = e.line { require(line >= 1 && line <= physicalLines, "error line \(line) of \(physicalLines)") }
        }
        _ = error.description
    }
    return 0
}

@main
enum FuzzRates {
    static func main() { runFuzzer(testOneInput) }
}
