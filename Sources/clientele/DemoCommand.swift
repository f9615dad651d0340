import ArgumentParser
import ClienteleCore
import ClienteleDemo
import ClienteleSQLite
import ClienteleStore
import Foundation

/// `clientele demo`: generates a realistic demo shop and shows what Clientele makes of it.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate a realistic demo shop into a database (and optionally a canonical CSV), then show its customer statistics.",
        discussion: """
        Examples:
          clientele demo                                   # demo.sqlite, a few thousand customers over three years
          clientele demo --db big.sqlite --orders 1000000 --seed 7
          clientele demo --orders 100000 --csv orders.csv  # also write the canonical CSV (and orders.rates.csv)
        """
    )

    @Option(help: ArgumentHelp("The database file to create.", valueName: "PATH")) var db: String = "demo.sqlite"
    @Option(help: ArgumentHelp("The shop to generate into (created when missing; a file holding other shops keeps them). Default: $CLIENTELE_SHOP, else the file's only shop.", valueName: "NAME")) var shop: String?
    @Option(help: ArgumentHelp("How many orders to generate.", valueName: "N")) var orders: Int = DemoShop.defaultOrderCount
    @Option(help: ArgumentHelp("The random seed: the same seed and end date give the same shop.", valueName: "S")) var seed: UInt64 = DemoShop.defaultSeed
    @Option(name: .customLong("end-date"), help: ArgumentHelp("The last day of the shop's history. Default: today.", valueName: "YYYY-MM-DD")) var endDate: String?
    @Option(help: ArgumentHelp("Also write the orders as a canonical order-lines CSV here (rates beside it as NAME.rates.csv).", valueName: "PATH")) var csv: String?
    @Flag(name: .customLong("no-db"), help: "Only write the CSV (with --csv); create no database.") var noDB = false
    @Flag(name: .customLong("quiet"), help: "Print only the summary, not the customer statistics.") var quiet = false
    @Flag(name: .customLong("serve"), help: "Then serve the dashboard for the demo shop on http://127.0.0.1:PORT/ (Ctrl-C stops).") var serve = false
    @Option(help: ArgumentHelp("The port for --serve.", valueName: "PORT")) var port: Int = 8080

    func validate() throws {
        if orders < 1 || orders > 100_000_000 { throw ValidationError("--orders must be between 1 and 100000000.") }
        if let endDate, ShopDate(iso: endDate) == nil { throw ValidationError("--end-date \"\(endDate)\" is not a date: write it as YYYY-MM-DD.") }
        if noDB && csv == nil { throw ValidationError("--no-db needs --csv PATH: otherwise nothing would be written.") }
        if noDB && serve { throw ValidationError("--serve needs the database: drop --no-db.") }
        if !(1...65535).contains(port) { throw ValidationError("--port must be from 1 to 65535.") }
        if let named = StoreOptions.namedShop(shop) {
            do { try ShopHandle.validate(named) } catch { throw ValidationError(error.message) }
        }
    }

    func run() async throws {
        let calendar = ShopCalendar(identifier: "Europe/Copenhagen")!
        let end = endDate.flatMap { ShopDate(iso: $0) } ?? calendar.date(of: Instant(seconds: Int64(Date().timeIntervalSince1970)))
        let shop = DemoShop(endDate: end, orderCount: orders, seed: seed)

        var store: SQLiteOrderStore? = nil
        var target = ShopTarget(path: db, shop: StoreOptions.namedShop(self.shop) ?? ShopHandle.defaultHandle, mustName: false)
        if !noDB {
            target = try await Self.prepare(db: db, named: StoreOptions.namedShop(self.shop), demoName: shop.name)
            store = try SQLiteOrderStore(path: db, shop: target.shop)
            try await store!.saveSettings(shop.settings)
        }
        // Stream into the database in batches of 50 000 orders: memory stays flat even for 10⁷ orders.
        let batchSize = 50_000
        var batch: [Order] = []
        batch.reserveCapacity(batchSize)
        let collect: (Order) throws -> Void = { order in
            guard let store else { return }
            batch.append(order)
            if batch.count == batchSize {
                _ = try store.replaceOrdersSynchronously(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        let summary: DemoSummary
        if let csv {
            summary = try CanonicalCSVWriter(calendar: shop.calendar).write(toPath: csv) { emit in
                try shop.generate { order in try emit(order); try collect(order) }
            }
        } else {
            summary = try shop.generate(collect)
        }
        if let store, !batch.isEmpty { _ = try store.replaceOrdersSynchronously(batch) }
        print("Demo shop \"\(shop.name)\" (\(shop.timeZone), \(shop.currency.code))")
        print(summary.description)
        if let csv {
            let ratesPath = Self.ratesPath(forCSV: csv)
            try CanonicalCSVWriter.writeRateTable(shop.exchangeRates, toPath: ratesPath)
            print("Wrote \(csv) and its rate table \(ratesPath).")
        }
        guard store != nil else { return }
        if !quiet {
            let shopData = try await LoadedShop.open(target, store: store!)
            let period = Period.preset(.last12Months, asOf: end)
            let stats = CustomerStatistics.compute(
                snapshot: shopData.snapshot, period: period, asOf: end, top: 10,
                comparison: period.comparison(.previous), thresholds: shopData.settings.thresholds,
                currency: shopData.currency, timeZone: shopData.settings.timeZone)
            print("")
            print(stats.table(shopName: shopData.settings.name, locale: shopData.settings.locale, colour: stdoutIsTerminal))
        }
        let options = target.arguments
        print("""

        Next:
          clientele serve --db \(db)                    # the dashboard on http://127.0.0.1:8080/
          clientele report customers \(options) --period this-year --compare last-year
          clientele report lifecycle \(options)
          clientele report groups \(options)
          clientele report customers \(options) --format json
          clientele report customers \(options) --top 100 --format csv > top-customers.csv
          clientele import YOUR-ORDERS.csv --db shop.sqlite     # your own shop (see docs/import.md)
        """)
        if serve {
            print("")
            try await ServeCommand.serve(path: db, host: "127.0.0.1", port: port)
        }
    }

    /// Makes room for the demo in the file `db`: the shop `named` (else the file's only shop, else "default").
    /// A file holding only that shop is deleted first (with its WAL files and snapshot); when it holds other
    /// shops too, they are kept and the demo goes into the named shop, which must be new or empty. A shop with
    /// orders that are not an earlier demo's is never replaced.
    static func prepare(db: String, named: String?, demoName: String) async throws -> ShopTarget {
        var handle = named ?? ShopHandle.defaultHandle
        var others = 0
        if FileManager.default.fileExists(atPath: db) {
            let database = try SQLiteShopDatabase(path: db)
            let shops = try await database.shops()
            if named == nil {
                guard shops.count <= 1 else {
                    throw CLIError("\(db) holds several shops: \(shops.map(\.handle).joined(separator: ", ")). Name the one to generate into with --shop NAME (a new name makes a new shop).")
                }
                handle = shops.first?.handle ?? ShopHandle.defaultHandle
            }
            others = shops.filter { $0.handle != handle }.count
            if shops.contains(where: { $0.handle == handle }) {
                let existing = try database.orderStore(shop: handle)
                let settings = try await existing.loadSettings()
                let count = try await existing.counts().orders
                guard count == 0 || settings.name == demoName else {
                    throw CLIError("\(db) already holds the orders of \"\(settings.name)\". Choose another file with --db PATH (or a new shop with --shop NAME); the demo only replaces an earlier demo shop.")
                }
                guard count == 0 || others == 0 else {
                    throw CLIError("The shop \"\(handle)\" of \(db) already holds a demo, and the file holds other shops, which the demo keeps: choose a new shop with --shop NAME, or another file with --db PATH.")
                }
            }
        }
        let snapshot = StoreOptions.snapshotPath(for: db, shop: handle)
        try? FileManager.default.removeItem(atPath: snapshot)
        if others == 0 {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        }
        return ShopTarget(path: db, shop: handle, mustName: handle != ShopHandle.defaultHandle || others > 0)
    }

    static func ratesPath(forCSV csv: String) -> String {
        (csv.hasSuffix(".csv") ? String(csv.dropLast(4)) : csv) + ".rates.csv"
    }
}
