import ArgumentParser
import ClienteleCore
import ClienteleImport
import ClienteleStore
import Foundation
import Synchronization

extension ImportFormat: ExpressibleByArgument {}

/// `clientele import`: reads order exports into the shop's database, all or nothing.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import order exports (canonical order-lines CSV or Shopify's orders export) into the shop.",
        discussion: """
        The format is detected from the header. Excel's Danish/Swedish/Norwegian CSV (BOM, CRLF, semicolons,
        decimal commas) is read as is. An import is all or nothing: any error leaves the database unchanged.
        An order id already stored is replaced by the file's order; importing the same file twice changes nothing.

        Examples:
          clientele import orders.csv --db shop.sqlite
          clientele import shopify-2023.csv shopify-2024.csv --db shop.sqlite --rates rates.csv
          clientele import orders.csv --db shop.sqlite --dry-run
          clientele import nordic.csv --db shops.sqlite --shop nordic-tea   # creates the shop when missing
        """
    )

    @Argument(help: ArgumentHelp("Order files; a later file's order replaces an earlier one with the same id.", valueName: "FILE"))
    var files: [String]

    @OptionGroup var store: StoreOptions

    @Option(help: "The file format: auto (detect from the header), canonical or shopify.")
    var format: ImportFormat = .auto

    @Option(help: ArgumentHelp("A rate table for foreign-currency orders: CSV lines currency,rate (shop-currency units per 1 unit), e.g. EUR,7.46.", valueName: "FILE"))
    var rates: String?

    @Option(help: ArgumentHelp("The files' text encoding: utf-8 or windows-1252.", valueName: "ENCODING"))
    var encoding: String = "utf-8"

    @Flag(name: .customLong("dry-run"), help: "Check the files and list every error (up to 100) without writing anything.")
    var dryRun = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one order file to import.") }
        if TextEncoding(name: encoding) == nil {
            throw ValidationError("Unknown --encoding \"\(encoding)\": use utf-8 or windows-1252.")
        }
    }

    func run() async throws {
        // A dry run against a database or a shop that does not exist yet checks the files with a new shop's
        // settings and creates nothing. A real import creates the database and the named shop when missing.
        let path = try store.path()
        let existed = StoreOptions.exists(path)
        let named = store.namedShop()
        var newShop = false
        if let named { try ShopHandle.validate(named) }
        if existed, let named {
            let shops = try await StoreOptions.openDatabase(path: path, create: false).shops()
            newShop = !shops.contains { $0.handle == named }
        }
        var target: ShopTarget?
        let db: any OrderStore
        if dryRun && (!existed || newShop) {
            db = InMemoryOrderStore()
        } else {
            let resolved = try await store.resolve(.anyShop)
            (target, db) = (resolved.target, resolved.store)
        }
        var options = ImportOptions(format: format, encoding: TextEncoding(name: encoding)!, dryRun: dryRun)
        if let rates {
            do { options.rates = try loadRateTable(path: rates) } catch { throw CLIError(error.description) }
        }
        let totalBytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        if stderrIsTerminal && totalBytes > 4_000_000 {
            let bar = ProgressBar(label: "Importing")
            options.progress = { done, total in bar.update(done: done, total: total) }
        }
        do {
            let summary = try await importFiles(paths: files, into: db, options: options)
            if options.progress != nil { ProgressBar.clear() }
            print(dryRun ? "Dry run: no errors found; nothing was written.\n" + summary.description : summary.description)
        } catch {
            if options.progress != nil { ProgressBar.clear() }
            // A failed first import leaves no empty database behind.
            if !existed && !dryRun {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            guard let failure = error as? ImportFailure else { throw error }
            let outcome = !existed ? "no database was created"
                : newShop ? "the new shop \"\(named ?? "")\" holds no orders" : "the database is unchanged"
            throw CLIError(failure.description + "\nNothing was imported: \(outcome).")
        }
        // The shop's retention limit (docs/privacy.md) is applied after every import that wrote.
        if !dryRun, let target, let retention = try await CustomerPrivacySupport.applyRetentionAfterImport(target: target, store: db) {
            print(retention)
        }
    }
}

/// A one-line progress bar on standard error, redrawn at most once per percent.
final class ProgressBar: Sendable {
    let label: String
    let lastPercent = Atomic<Int>(-1)

    init(label: String) { self.label = label }

    func update(done: Int, total: Int) {
        guard total > 0 else { return }
        let percent = min(100, done * 100 / total)
        let previous = lastPercent.exchange(percent, ordering: .relaxed)
        guard percent != previous else { return }
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)% (\(done / 1_000_000) of \(total / 1_000_000) MB)".utf8))
    }

    static func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
