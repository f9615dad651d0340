import ClienteleImport
import FuzzSupport
import ImportFuzzing

/// Fuzzes the Shopify orders-export reader: the input is one order file read with `--format shopify`.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzImport(fuzzBytes(data, size), options: ImportOptions(format: .shopify))
    return 0
}

@main
enum FuzzShopify {
    static func main() { runFuzzer(testOneInput) }
}
