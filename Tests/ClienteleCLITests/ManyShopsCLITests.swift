import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// A second small shop for the many-shops tests: a New York bike shop reporting in EUR. Order 1002 has the id of
/// one of `SmallShop`'s orders: in another shop it is another order.
enum BikeShop {
    static let rows = [
        "1002,2025-01-07T10:00:00-05:00,R1,rider.one@velo.example,placed,EUR,900.00,0.00,F1,Frame,1,900.00,0,US",
        "B2,2025-02-10T10:00:00-05:00,R1,rider.one@velo.example,placed,EUR,40.00,0.00,B1,Bell,2,20.00,0,US",
        "B3,2025-03-01T10:00:00-05:00,R2,rider.two@velo.example,placed,EUR,1200.00,0.00,F1,Frame,1,1200.00,0,US",
    ]

    static var csv: String { ([SmallShop.header] + rows).joined(separator: "\n") + "\n" }

    /// `clientele shop` options giving a database the bike shop's settings.
    static let settings = ["--name", "Velo", "--timezone", "America/New_York", "--currency", "EUR", "--locale", "en_US"]
    /// The tea shop's (`SmallShop`'s) settings.
    static let teaSettings = ["--name", "Tea", "--timezone", "Europe/Copenhagen", "--currency", "DKK", "--locale", "da_DK"]

    /// Writes the two files and the rate table, and makes `both.sqlite` holding the shops "tea" and "bikes".
    static func setUpBoth(_ ws: Workspace) async throws {
        try ws.write("tea.csv", SmallShop.csv)
        try ws.write("bikes.csv", csv)
        try ws.write("rates.csv", SmallShop.rates)
        try await ws.succeed(["shop", "create", "tea", "--db", "both.sqlite"] + teaSettings)
        try await ws.succeed(["shop", "create", "bikes", "--db", "both.sqlite"] + settings)
        try await ws.succeed("import", "tea.csv", "--db", "both.sqlite", "--shop", "tea", "--rates", "rates.csv")
        try await ws.succeed("import", "bikes.csv", "--db", "both.sqlite", "--shop", "bikes")
    }
}

extension Workspace {
    /// Runs `clientele args…` here and records an issue when it does not exit 0.
    @discardableResult
    func succeed(_ args: [String], environment: [String: String] = [:],
                 sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIResult {
        let r = try await run(args, environment: environment)
        #expect(r.status == 0, "clientele \(args.joined(separator: " ")) failed:\n\(r)", sourceLocation: sourceLocation)
        return r
    }
}

/// Several shops in one database from the command line: `--shop` on every command, `shop list` and `shop create`,
/// reports of one shop equal to those of a database holding only that shop, derived files per shop.
@Suite("clientele with many shops")
struct ManyShopsCLITests {
    static let period = SmallShop.periodOptions

    @Test("each shop of a two-shop file reports exactly what a one-shop file of its own orders reports")
    func reportsEqualOneShopDatabases() async throws {
        try await Workspace.with { ws in
            try await BikeShop.setUpBoth(ws)
            // The same orders, one shop per file (the default shop, no --shop anywhere).
            try await ws.succeed(["shop", "--db", "tea-only.sqlite"] + BikeShop.teaSettings)
            try await ws.succeed("import", "tea.csv", "--db", "tea-only.sqlite", "--rates", "rates.csv")
            try await ws.succeed(["shop", "--db", "bikes-only.sqlite"] + BikeShop.settings)
            try await ws.succeed("import", "bikes.csv", "--db", "bikes-only.sqlite")
            for (shop, single) in [("tea", "tea-only.sqlite"), ("bikes", "bikes-only.sqlite")] {
                for format in ["table", "json", "csv"] {
                    let both = try await ws.succeed(["report", "customers", "--db", "both.sqlite", "--shop", shop, "--format", format] + Self.period)
                    let alone = try await ws.succeed(["report", "customers", "--db", single, "--format", format] + Self.period)
                    #expect(both.stdout == alone.stdout, "\(shop) \(format)")
                    #expect(!both.stdout.isEmpty)
                }
                for report in ["lifecycle", "products", "groups"] {
                    let both = try await ws.succeed(["report", report, "--db", "both.sqlite", "--shop", shop, "--as-of", "2025-03-31", "--format", "json"])
                    let alone = try await ws.succeed(["report", report, "--db", single, "--as-of", "2025-03-31", "--format", "json"])
                    #expect(both.stdout == alone.stdout, "\(shop) \(report)")
                }
            }
            // Hand check of the isolation itself: the tea shop's report names no bike customer and vice versa.
            let tea = try await ws.succeed(["report", "customers", "--db", "both.sqlite", "--shop", "tea", "--format", "csv", "--top", "10"] + Self.period)
            let bikes = try await ws.succeed(["report", "customers", "--db", "both.sqlite", "--shop", "bikes", "--format", "csv", "--top", "10"] + Self.period)
            #expect(tea.stdout.contains("anna@example.com") && !tea.stdout.contains("velo.example"))
            #expect(bikes.stdout.contains("rider.one@velo.example") && !bikes.stdout.contains("anna@example.com"))
            // Derived files per shop: PATH.<handle>.snapshot; no PATH.snapshot (there is no shop "default").
            #expect(ws.exists("both.sqlite.tea.snapshot"))
            #expect(ws.exists("both.sqlite.bikes.snapshot"))
            #expect(!ws.exists("both.sqlite.snapshot"))
            #expect(ws.exists("tea-only.sqlite.snapshot"))
        }
    }

    @Test("a file with several shops needs --shop (or CLIENTELE_SHOP); an unknown or malformed name is refused with the list")
    func namingTheShop() async throws {
        try await Workspace.with { ws in
            try await BikeShop.setUpBoth(ws)
            let unnamed = try await ws.run(["report", "customers", "--db", "both.sqlite"] + Self.period)
            #expect(unnamed.status != 0)
            #expect(unnamed.stderr.contains("The database both.sqlite holds several shops: bikes (Velo), tea (Tea). Name one with --shop NAME (or set CLIENTELE_SHOP)."), "\(unnamed)")

            let unknown = try await ws.run(["report", "customers", "--db", "both.sqlite", "--shop", "coffee"] + Self.period)
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("no shop \"coffee\"; the shops are: bikes, tea"), "\(unknown)")
            #expect(try await ws.succeed("shop", "list", "--db", "both.sqlite").stdout.contains("coffee") == false,
                    "asking for an unknown shop creates none")

            let malformed = try await ws.run(["audience", "list", "--db", "both.sqlite", "--shop", "Tea Shop"])
            #expect(malformed.status != 0)
            #expect(malformed.stderr.contains("\"Tea Shop\" is not a shop handle: use 1 to 64 characters of a-z, 0-9, - and _"), "\(malformed)")

            // CLIENTELE_SHOP names the shop when --shop does not; --shop wins over it.
            let flag = try await ws.succeed(["report", "customers", "--db", "both.sqlite", "--shop", "bikes", "--format", "json"] + Self.period)
            let env = try await ws.succeed(["report", "customers", "--db", "both.sqlite", "--format", "json"] + Self.period,
                                           environment: ["CLIENTELE_SHOP": "bikes"])
            #expect(env.stdout == flag.stdout)
            let both = try await ws.succeed(["report", "customers", "--db", "both.sqlite", "--shop", "bikes", "--format", "json"] + Self.period,
                                            environment: ["CLIENTELE_SHOP": "tea"])
            #expect(both.stdout == flag.stdout)

            // Settings are per shop: changing the tea shop's time zone leaves the bike shop's.
            try await ws.succeed("shop", "--db", "both.sqlite", "--shop", "tea", "--timezone", "Europe/Oslo")
            let teaRows = summaryRows(try await ws.succeed("shop", "--db", "both.sqlite", "--shop", "tea").stdout)
            let bikeRows = summaryRows(try await ws.succeed("shop", "--db", "both.sqlite", "--shop", "bikes").stdout)
            #expect(teaRows["Handle"] == "tea" && teaRows["Time zone"] == "Europe/Oslo" && teaRows["Currency"] == "DKK")
            #expect(bikeRows["Handle"] == "bikes" && bikeRows["Time zone"] == "America/New_York" && bikeRows["Currency"] == "EUR")
            let unnamedShop = try await ws.run("shop", "--db", "both.sqlite")
            #expect(unnamedShop.status != 0 && unnamedShop.stderr.contains("holds several shops"))
        }
    }

    @Test("shop list and shop create: the shops with their settings and orders; a handle is created once")
    func listAndCreate() async throws {
        try await Workspace.with { ws in
            try await BikeShop.setUpBoth(ws)
            // Hand count: the tea file has 8 orders (1001–1008), the bike file 3.
            let list = try await ws.succeed("shop", "list", "--db", "both.sqlite")
            // Columns padded to the widest cell ("Europe/Copenhagen": 17), orders right-aligned.
            #expect(list.stdout == """
                Handle  Name  Time zone          Currency  Orders
                bikes   Velo  America/New_York   EUR            3
                tea     Tea   Europe/Copenhagen  DKK            8

                """, "\(list.stdout)")
            let json = try await ws.succeed("shop", "list", "--db", "both.sqlite", "--format", "json")
            let shops = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(shops.map { $0["handle"] as? String } == ["bikes", "tea"])
            #expect(shops.map { $0["orders"] as? Int } == [3, 8])
            #expect(shops.map { $0["currency"] as? String } == ["EUR", "DKK"])

            let again = try await ws.run("shop", "create", "tea", "--db", "both.sqlite")
            #expect(again.status != 0 && again.stderr.contains("already holds a shop \"tea\""), "\(again)")
            let bad = try await ws.run("shop", "create", "Tea-2", "--db", "both.sqlite")
            #expect(bad.status != 0 && bad.stderr.contains("is not a shop handle"), "\(bad)")
            let created = try await ws.succeed("shop", "create", "empty-one", "--db", "both.sqlite", "--timezone", "Europe/Stockholm")
            #expect(summaryRows(created.stdout)["Time zone"] == "Europe/Stockholm")
            #expect(summaryRows(created.stdout)["Shop"] == "empty-one", "the handle is the name when --name is not given")
            let three = try await ws.succeed("shop", "list", "--db", "both.sqlite", "--format", "json")
            #expect(three.stdout.contains("\"empty-one\""))
            // A new shop has no orders: reports say to import, naming the shop.
            let report = try await ws.run("report", "customers", "--db", "both.sqlite", "--shop", "empty-one")
            #expect(report.status != 0 && report.stderr.contains("clientele import FILE --db both.sqlite --shop empty-one"), "\(report)")
        }
    }

    @Test("a one-shop file works as before; importing into a new --shop adds a shop and keeps the first one's output and files")
    func addingAShopToAnOldFile() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let before = try await ws.succeed(["report", "customers", "--db", "shop.sqlite"] + Self.period)
            #expect(ws.exists("shop.sqlite.snapshot"))
            #expect(try await ws.succeed("shop", "list", "--db", "shop.sqlite").stdout.contains("default"))

            try ws.write("bikes.csv", BikeShop.csv)
            // A dry run into a shop that does not exist yet creates nothing.
            try await ws.succeed("import", "bikes.csv", "--db", "shop.sqlite", "--shop", "bikes", "--dry-run")
            #expect(!(try await ws.succeed("shop", "list", "--db", "shop.sqlite").stdout.contains("bikes")))
            // The import creates the shop.
            try await ws.succeed("import", "bikes.csv", "--db", "shop.sqlite", "--shop", "bikes")
            let named = try await ws.succeed(["report", "customers", "--db", "shop.sqlite", "--shop", "default"] + Self.period)
            #expect(named.stdout == before.stdout)
            try await ws.succeed(["report", "customers", "--db", "shop.sqlite", "--shop", "bikes"] + Self.period)
            #expect(ws.exists("shop.sqlite.bikes.snapshot"))
            let unnamed = try await ws.run(["report", "customers", "--db", "shop.sqlite"] + Self.period)
            #expect(unnamed.status != 0 && unnamed.stderr.contains("bikes (My shop), default (My shop)"), "\(unnamed)")
        }
    }

    @Test("the demo goes into a new shop of a file with shops, keeping them")
    func demoIntoANewShop() async throws {
        try await Workspace.with { ws in
            try await BikeShop.setUpBoth(ws)
            let tea = try await ws.succeed(["report", "customers", "--db", "both.sqlite", "--shop", "tea", "--format", "json"] + Self.period)
            try await ws.succeed("demo", "--db", "both.sqlite", "--shop", "demo", "--orders", "300", "--seed", "5",
                                 "--end-date", "2025-06-30", "--quiet")
            let list = try await ws.succeed("shop", "list", "--db", "both.sqlite", "--format", "json")
            let shops = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
            #expect(shops.map { $0["handle"] as? String } == ["bikes", "demo", "tea"])
            #expect(shops.first { $0["handle"] as? String == "demo" }?["orders"] as? Int == 300)
            let after = try await ws.succeed(["report", "customers", "--db", "both.sqlite", "--shop", "tea", "--format", "json"] + Self.period)
            #expect(after.stdout == tea.stdout)
            // Without --shop the demo does not guess which of several shops to replace.
            let unnamed = try await ws.run("demo", "--db", "both.sqlite", "--orders", "300", "--quiet")
            #expect(unnamed.status != 0 && unnamed.stderr.contains("holds several shops"), "\(unnamed)")
        }
    }

    @Test("clientele serve serves every shop of the file under /shops/NAME/ with the figures of its reports")
    func serveEveryShop() async throws {
        try await Workspace.with { ws in
            try await BikeShop.setUpBoth(ws)
            let port = 20_000 + Int.random(in: 0..<20_000)
            let process = Process()
            process.executableURL = CLI.binary
            process.currentDirectoryURL = URL(fileURLWithPath: ws.path("."))
            process.arguments = ["serve", "--db", "both.sqlite", "--port", String(port)]
            var environment = ProcessInfo.processInfo.environment
            environment["CLIENTELE_SHOP"] = nil
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { process.terminate(); process.waitUntilExit() }
            var root: String?
            for _ in 0..<100 where root == nil {
                try await Task.sleep(for: .milliseconds(200))
                root = try? await DemoServeTests.get("http://127.0.0.1:\(port)/")
            }
            let list = try #require(root, "the server never answered")
            #expect(list.contains("<a href=\"/shops/tea/\">Tea</a>") && list.contains("<a href=\"/shops/bikes/\">Velo</a>"), "\(list)")
            for shop in ["tea", "bikes"] {
                let served = try await DemoServeTests.get("http://127.0.0.1:\(port)/shops/\(shop)/api/v1/customers?from=2025-01-01&to=2025-03-31&asOf=2025-03-31")
                let report = try await ws.succeed(["report", "customers", "--db", "both.sqlite", "--shop", shop, "--format", "json"] + Self.period)
                #expect(served.trimmingCharacters(in: .whitespacesAndNewlines) == report.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "\(shop)")
            }
            await #expect(throws: (any Error).self, "un-prefixed report routes answer 404 when the file holds several shops") {
                _ = try await DemoServeTests.get("http://127.0.0.1:\(port)/api/v1/customers")
            }
        }
    }

    @Test("on PostgreSQL: two shops in one schema report what one-shop SQLite files report; caches per shop")
    func postgresTwoShops() async throws {
        try await PostgresCLITests.withShop { ws, url, env in
            try ws.write("tea.csv", SmallShop.csv)
            try ws.write("bikes.csv", BikeShop.csv)
            try ws.write("rates.csv", SmallShop.rates)
            try await ws.succeed(["shop", "create", "tea", "--db", url] + BikeShop.teaSettings, environment: env)
            try await ws.succeed(["shop", "create", "bikes", "--db", url] + BikeShop.settings, environment: env)
            try await ws.succeed(["import", "tea.csv", "--db", url, "--shop", "tea", "--rates", "rates.csv"], environment: env)
            try await ws.succeed(["import", "bikes.csv", "--db", url, "--shop", "bikes"], environment: env)
            try await ws.succeed(["shop", "--db", "tea-only.sqlite"] + BikeShop.teaSettings)
            try await ws.succeed("import", "tea.csv", "--db", "tea-only.sqlite", "--rates", "rates.csv")
            try await ws.succeed(["shop", "--db", "bikes-only.sqlite"] + BikeShop.settings)
            try await ws.succeed("import", "bikes.csv", "--db", "bikes-only.sqlite")
            for (shop, single) in [("tea", "tea-only.sqlite"), ("bikes", "bikes-only.sqlite")] {
                let pg = try await ws.succeed(["report", "customers", "--db", url, "--shop", shop, "--format", "json"] + Self.period, environment: env)
                let alone = try await ws.succeed(["report", "customers", "--db", single, "--format", "json"] + Self.period)
                #expect(pg.stdout == alone.stdout, "\(shop)")
            }
            let unnamed = try await ws.run(["report", "customers", "--db", url] + Self.period, environment: env)
            #expect(unnamed.status != 0 && unnamed.stderr.contains("holds several shops: bikes (Velo), tea (Tea)"), "\(unnamed)")
            let caches = try FileManager.default.subpathsOfDirectory(atPath: ws.path("cache/clientele"))
            #expect(caches.contains { $0.hasSuffix("/shop.tea.snapshot") }, "\(caches)")
            #expect(caches.contains { $0.hasSuffix("/shop.bikes.snapshot") }, "\(caches)")
        }
    }
}
