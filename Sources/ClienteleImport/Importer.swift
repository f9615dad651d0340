import ClienteleCore
import ClienteleStore

/// One file of an import: its detected format and what it held.
public struct ImportedFile: Hashable, Sendable {
    /// The file's name as given.
    public var name: String
    /// The format it was read as.
    public var format: ImportFormat
    /// Orders in the file.
    public var orders: Int
    /// Order lines in the file.
    public var lines: Int
    /// Header columns that were not used (reported once per file; empty for Shopify exports).
    public var unknownColumns: [String]

    /// A file named `name` read as `format`.
    public init(name: String, format: ImportFormat, orders: Int, lines: Int, unknownColumns: [String]) {
        self.name = name
        self.format = format
        self.orders = orders
        self.lines = lines
        self.unknownColumns = unknownColumns
    }
}

/// Everything read from a set of files, checked and converted, ready to store.
public struct ParsedImport: Sendable {
    /// The orders of all files; a later file's order replaces an earlier one with the same id.
    public let orders: [Order]
    /// Each file with its detected format.
    public let files: [ImportedFile]
    /// The shop's reporting currency: from the settings, or the first order's currency when unset.
    public let reportingCurrency: Currency
    /// Whether the settings had no currency and this import chose `reportingCurrency`.
    public let choseReportingCurrency: Bool
    /// The rates used, by currency code (foreign currencies that occur in the orders only).
    public let ratesUsed: [String: ExchangeRate]
    /// Each order's customer key as a dense id (-1 for anonymous orders), parallel to `orders`.
    let customerKeyIds: [Int32]
    /// How many distinct customer key ids there are.
    let customerKeyCount: Int

    /// Order lines in `orders`.
    public var lines: Int { orders.reduce(0) { $0 + $1.lines.count } }
}

/// Reads, checks and converts order files given as bytes (all files merged in order), without touching a store.
///
/// Throws `ImportFailure` with every error found (up to `ImportFailure.limit`) when anything is wrong.
public func parseFiles(_ files: [(name: String, bytes: [UInt8])], settings: ShopSettings,
                       options: ImportOptions = ImportOptions()) throws(ImportFailure) -> ParsedImport {
    let totalBytes = files.reduce(0) { $0 + $1.bytes.count }
    var run = ImportRun(settings: settings, options: options, expectedBytes: totalBytes)
    run.parser.totalBytes = totalBytes
    for file in files {
        var bytes = file.bytes
        run.add(name: file.name, bytes: &bytes)
    }
    return try run.finish()
}

/// Reads, checks and converts the order files at `paths` (merged in order), without touching a store.
///
/// A file that does not exist or cannot be read is an error naming it. Throws `ImportFailure` on any error.
public func parseFiles(paths: [String], settings: ShopSettings,
                       options: ImportOptions = ImportOptions()) throws(ImportFailure) -> ParsedImport {
    try parseFiles(paths: paths, settings: settings, options: options, sendingTo: nil)
}

/// Reads the files at `paths` like `parseFiles(paths:settings:options:)`; with a `source`, every complete
/// order is also pushed to it while the files are read (see `OrderEmitter`), and the source is finished when
/// everything was read without error, failed otherwise.
func parseFiles(paths: [String], settings: ShopSettings, options: ImportOptions,
                sendingTo source: OrderBatchSource?) throws(ImportFailure) -> ParsedImport {
    var sizes: [Int] = []
    for path in paths {
        var info = FileSize.of(path)
        if info < 0 { info = 0 }
        sizes.append(info)
    }
    let totalBytes = sizes.reduce(0, +)
    var run = ImportRun(settings: settings, options: options, expectedBytes: totalBytes)
    if let source {
        run.parser.emitter = OrderEmitter(source: source, reporting: run.reporting, rates: options.rates)
    }
    var ended = false
    defer { if !ended { source?.fail() } }
    run.parser.totalBytes = totalBytes
    for path in paths {
        do {
            try FileReader.withContents(path) { run.add(name: path, buffer: $0) }
        } catch {
            run.parser.errors.add(error)
        }
    }
    let result = Result { () throws(ImportFailure) -> ParsedImport in try run.finish() }
    if let source {
        run.parser.emitter!.flush()
        if case .success = result, !run.parser.emitter!.stopped { source.finish() } else { source.fail() }
        ended = true
    }
    return try result.get()
}

/// Imports the order files at `paths` into `store`: loads the shop settings, reads and checks every file,
/// and, when this is not a dry run, streams the orders into one `replaceOrders(streaming:)` write while the
/// files are read (committed only when every file was read without error; and the reporting currency is
/// saved if the shop had none). Throws `ImportFailure` (store untouched) on any error.
public func importFiles(paths: [String], into store: any OrderStore,
                        options: ImportOptions = ImportOptions()) async throws -> ImportSummary {
    let settings = try await store.loadSettings()
    if options.dryRun {
        let parsed = try parseFiles(paths: paths, settings: settings, options: options)
        return ImportSummary(parsed: parsed, changes: nil, calendar: settings.calendar ?? .utc)
    }
    let source = OrderBatchSource(capacity: 4)
    // The store writes on its own thread while this task reads; both end before this function returns.
    async let written = store.replaceOrders(streaming: source)
    // The summary is computed, and the parsed orders freed, while the store finishes writing.
    let read: Result<(summary: ImportSummary, chose: Bool, currency: Currency), ImportFailure>
    do {
        let parsed = try parseFiles(paths: paths, settings: settings, options: options, sendingTo: source)
        read = .success((ImportSummary(parsed: parsed, changes: nil, calendar: settings.calendar ?? .utc),
                         parsed.choseReportingCurrency, parsed.reportingCurrency))
    } catch {
        read = .failure(error)
    }
    let stored: Result<ReplaceSummary, any Error>
    do {
        stored = .success(try await written)
    } catch {
        stored = .failure(error)
    }
    // A reading error wins: the store rolled back because the source failed.
    var (summary, chose, currency) = try read.get()
    summary.changes = try stored.get()
    if chose {
        var updated = settings
        updated.currency = currency.code
        try await store.saveSettings(updated)
    }
    return summary
}

/// The state of one import run across its files.
struct ImportRun {
    var parser: OrderFileParser
    let settings: ShopSettings
    var orders: [Order] = []
    var keys: [Int32] = []
    var files: [ImportedFile] = []
    var reporting: Currency?
    var chose = false
    var ratesUsed: [String: ExchangeRate] = [:]
    /// Order id → index in `orders`, built once a second file arrives.
    var index: [String: Int]? = nil
    /// The converted totals of the orders in foreign currencies so far (see `Limits.maxSum`).
    var convertedTotalsSum: Int64 = 0

    init(settings: ShopSettings, options: ImportOptions, expectedBytes: Int = .max) {
        self.parser = OrderFileParser(options: options, expectedBytes: expectedBytes)
        self.settings = settings
        if let code = settings.currency {
            if let c = Currency(code: code) {
                reporting = c
            } else {
                parser.errors.add(ImportError(.invalidSettings, file: "settings", column: "currency", value: code,
                                              message: "the shop's reporting currency \(quoted(code)) is not an ISO 4217 currency code"))
            }
        }
    }

    /// Reads one file and merges its orders.
    mutating func add(name: String, bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBufferPointer { add(name: name, buffer: $0) }
    }

    /// Reads one file from `buffer` (rewritten in place while it is read) and merges its orders.
    mutating func add(name: String, buffer: UnsafeMutableBufferPointer<UInt8>) {
        guard var result = parser.parse(name: name, buffer: buffer) else { return }
        if reporting == nil && settings.currency == nil, let first = result.orders.first {
            reporting = first.currency
            chose = true
        }
        if let reporting { convert(&result.orders, name: name, to: reporting) }
        files.append(ImportedFile(name: name, format: result.format, orders: result.orders.count, lines: result.lines,
                                  unknownColumns: result.unknownColumns))
        // After errors the orders are not kept (nor sent): the import fails anyway.
        guard parser.errors.isEmpty else {
            parser.emitter?.stop()
            return
        }
        if !result.sent, parser.emitter != nil {
            for order in result.orders { parser.emitter!.emit(order) }
        }
        if orders.isEmpty && index == nil {
            orders = result.orders
            keys = result.keys
            return
        }
        if index == nil {
            var map = [String: Int](minimumCapacity: orders.count + result.orders.count)
            for (i, o) in orders.enumerated() { map[o.id] = i }
            index = map
        }
        for (order, key) in zip(result.orders, result.keys) {
            if let i = index![order.id] {
                orders[i] = order
                keys[i] = key
            } else {
                index![order.id] = orders.count
                orders.append(order)
                keys.append(key)
            }
        }
    }

    /// Converts every order to the reporting currency; one error per currency without a rate.
    mutating func convert(_ list: inout [Order], name: String, to target: Currency) {
        var missing: [(code: String, count: Int)] = []
        for i in list.indices {
            let currency = list[i].currency
            if currency == target { continue }
            guard let rate = parser.options.rates[currency.code] else {
                if let k = missing.firstIndex(where: { $0.code == currency.code }) { missing[k].count += 1 }
                else { missing.append((currency.code, 1)) }
                continue
            }
            ratesUsed[currency.code] = rate
            guard let total = rate.convert(list[i].total, to: target),
                  let refunded = rate.convert(list[i].refunded, to: target) else {
                parser.errors.add(ImportError(.conversionOverflow, file: name, column: "order_total",
                                              message: "order \(list[i].id): \(Money(minorUnits: list[i].total, currency: currency)) × \(rate) is too large to store in \(target.code)"))
                continue
            }
            list[i].shopTotal = total
            list[i].shopRefunded = refunded
            list[i].rate = rate.description
            let (sum, overflow) = convertedTotalsSum.addingReportingOverflow(total)
            if (overflow || sum > Limits.maxSum) && !parser.sumExceeded {
                parser.sumExceeded = true
                parser.errors.add(ImportError(.sumTooLarge, file: name, column: "order_total", message:
                    "order \(list[i].id): the import's order totals converted to \(target.code) add up to more than \(Limits.maxSumText(target)), the most one import may hold"))
            }
            convertedTotalsSum = sum
        }
        for (code, count) in missing {
            let orders = count == 1 ? "1 order is" : "\(count) orders are"
            parser.errors.add(ImportError(.missingRate, file: name, column: "currency", value: code, message: """
                \(orders) in \(code) but the shop reports in \(target.code) and no rate was given for \(code). \
                Supply a rate table with --rates FILE, a CSV of currency,rate lines where rate is \(target.code) per 1 \(code), e.g.:
                  currency,rate
                  \(code),<\(target.code) per 1 \(code)>
                """))
        }
    }

    /// The result, or every error found.
    func finish() throws(ImportFailure) -> ParsedImport {
        if !parser.errors.isEmpty { throw parser.errors.failure }
        guard let reporting else {
            throw ImportFailure(errors: [ImportError(.noOrders, file: "import", message: "no orders: no file was given")])
        }
        return ParsedImport(orders: orders, files: files, reportingCurrency: reporting, choseReportingCurrency: chose,
                            ratesUsed: ratesUsed, customerKeyIds: keys, customerKeyCount: parser.customerKeys.count)
    }
}

/// The size of a file, for progress (-1 when unknown).
enum FileSize {
    static func of(_ path: String) -> Int { FileReader.size(path) }
}
