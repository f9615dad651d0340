import ClienteleImport
import FuzzSupport
import ImportFuzzing

/// Fuzzes the readings of files saved by Excel (docs/import.md, "Excel in Denmark, Sweden and Norway"): the
/// input is read with the format detected from the header, once as UTF-8 (a byte order mark, `;` or tab
/// separators, decimal commas, CRLF) and once as `--encoding windows-1252`.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    fuzzImport(bytes, options: ImportOptions(format: .auto))
    fuzzImport(bytes, options: ImportOptions(format: .auto, encoding: .windows1252))
    return 0
}

@main
enum FuzzExcel {
    static func main() { runFuzzer(testOneInput) }
}
