import ClienteleImport
import FuzzSupport
import ImportFuzzing

/// Fuzzes the canonical order-lines reader: the input is one order file read with `--format canonical`.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzImport(fuzzBytes(data, size), options: ImportOptions(format: .canonical))
    return 0
}

@main
enum FuzzCanonical {
    static func main() { runFuzzer(testOneInput) }
}
