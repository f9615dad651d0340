// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Clientele",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "clientele", targets: ["clientele"]),
        .executable(name: "clientele-bench", targets: ["clientele-bench"]),
        .library(name: "ClienteleCore", targets: ["ClienteleCore"]),
        .library(name: "ClienteleStore", targets: ["ClienteleStore"]),
        .library(name: "ClienteleSQLite", targets: ["ClienteleSQLite"]),
        .library(name: "ClienteleImport", targets: ["ClienteleImport"]),
        .library(name: "ClienteleDemo", targets: ["ClienteleDemo"]),
        .library(name: "ClientelePrediction", targets: ["ClientelePrediction"]),
        .library(name: "ClientelePostgres", targets: ["ClientelePostgres"]),
        .library(name: "ClienteleSheets", targets: ["ClienteleSheets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // Pure: model, shop calendar, the columnar engine and every METRICS.md figure. No I/O, no clock.
        .target(name: "ClienteleCore"),
        // The storage protocol, the in-memory reference store and the store contract.
        .target(name: "ClienteleStore", dependencies: ["ClienteleCore"]),
        // The embedded default: SQLite through GRDB.
        .target(name: "ClienteleSQLite", dependencies: [
            "ClienteleCore", "ClienteleStore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // The shared deployment: PostgreSQL through postgres-nio, same contract as SQLite.
        .target(name: "ClientelePostgres", dependencies: [
            "ClienteleCore", "ClienteleStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        // Spreadsheet downloads: .xlsx workbooks (Office Open XML in a ZIP) of report tables.
        .target(name: "ClienteleSheets", dependencies: [
            "ClienteleCore",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // Order exports: canonical CSV, Shopify; validation with file/line/column errors.
        .target(name: "ClienteleImport", dependencies: ["ClienteleCore", "ClienteleStore", "CPrefetch"]),
        // A cache prefetch hint for the importer's hash tables (C: Swift has none).
        .target(name: "CPrefetch"),
        // Predictive CLV: BG/NBD, MBG/NBD and Gamma-Gamma, fitted by maximum likelihood. Pure, like the core.
        .target(name: "ClientelePrediction", dependencies: [
            "ClienteleCore",
            .product(name: "RealModule", package: "swift-numerics"),
        ]),
        // The demo shop generator (deterministic from a seed, streaming).
        .target(name: "ClienteleDemo", dependencies: ["ClienteleCore"]),
        // The web dashboard and the JSON API (Hummingbird 2): pages rendered on the server, charts as inline SVG.
        .target(name: "ClienteleServer", dependencies: [
            "ClienteleCore", "ClienteleStore", "ClienteleSQLite", "ClientelePostgres", "ClienteleImport", "ClientelePrediction",
            "ClienteleSheets",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CryptoExtras", package: "swift-crypto"),
        ]),
        .executableTarget(name: "clientele", dependencies: [
            "ClienteleServer", "ClientelePostgres", "ClienteleSheets",
            "ClienteleCore", "ClienteleStore", "ClienteleSQLite", "ClienteleImport", "ClienteleDemo", "ClientelePrediction",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "clientele-bench", dependencies: [
            "ClienteleCore", "ClienteleStore", "ClienteleSQLite", "ClientelePostgres", "ClienteleImport", "ClienteleDemo",
            "ClientelePrediction",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "ClienteleCoreTests", dependencies: ["ClienteleCore"]),
        .testTarget(name: "ClienteleImportTests", dependencies: ["ClienteleImport", "ClienteleCore", "ClienteleStore", "ClienteleSQLite"]),
        .testTarget(name: "ClienteleStoreTests", dependencies: ["ClienteleStore", "ClienteleSQLite", "ClientelePostgres", "ClienteleCore",
                                                                .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ClienteleSheetsTests", dependencies: ["ClienteleSheets", "ClienteleCore",
                                                                 .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "ClienteleDemoTests", dependencies: ["ClienteleDemo", "ClienteleCore", "ClienteleImport"]),
        .testTarget(name: "ClienteleCLITests", dependencies: ["ClienteleCore"]),
        .testTarget(name: "ClienteleServerTests", dependencies: [
            "ClienteleServer", "ClienteleCore", "ClienteleStore", "ClienteleSQLite", "ClienteleImport", "ClienteleDemo",
            "ClientelePrediction",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "ClientelePredictionTests", dependencies: ["ClientelePrediction", "ClienteleCore"],
                    exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
