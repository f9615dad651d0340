// swift-tools-version: 6.1
// Fuzz targets for the order-file readers and the audience filter language (libFuzzer). Not part of the main
// build or CI: build and run them with `scripts/fuzz` (see docs/reliability.md, "Fuzzing").
import PackageDescription

/// The root package's identity: the name of the directory that holds it (a clone may be named anything).
let root = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "main")

/// A fuzz target: one executable whose `@main` hands libFuzzer its `LLVMFuzzerTestOneInput`.
func fuzzTarget(_ name: String, _ products: [String], support: String = "FuzzSupport") -> Target {
    let supports = support == "FuzzSupport" ? [support] : ["FuzzSupport", support]
    return .executableTarget(name: name, dependencies: supports.map { .target(name: $0) }
                                + products.map { .product(name: $0, package: root) })
}

let package = Package(
    name: "ClienteleFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver (linked by -sanitize=fuzzer).
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"]),
        // What every import target checks: the parse, the store's rules and the engine over the result.
        .target(name: "ImportFuzzing", dependencies: [
            "FuzzSupport",
            .product(name: "ClienteleImport", package: root), .product(name: "ClienteleCore", package: root),
            .product(name: "ClienteleStore", package: root),
        ]),
        fuzzTarget("FuzzCanonical", ["ClienteleImport"], support: "ImportFuzzing"),
        fuzzTarget("FuzzShopify", ["ClienteleImport"], support: "ImportFuzzing"),
        fuzzTarget("FuzzExcel", ["ClienteleImport"], support: "ImportFuzzing"),
        fuzzTarget("FuzzRates", ["ClienteleImport", "ClienteleCore"]),
        fuzzTarget("FuzzScanner", ["ClienteleImport"]),
        fuzzTarget("FuzzFilter", ["ClienteleCore"]),
    ],
    swiftLanguageModes: [.v6]
)
