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
    try readFiles(paths: paths, settings: settings, options: options, keepOrders: true, sendingTo: source).parsed!
}

/// What `readFiles` read: the parsed import when the orders were kept, the summary's figures either way.
struct ReadFiles {
    var parsed: ParsedImport?
    var files: [ImportedFile]
    var reportingCurrency: Currency
    var choseReportingCurrency: Bool
    var ratesUsed: [String: ExchangeRate]
    var tally: SummaryTally
    var currencyTable: [Currency]

    /// The import summary, with the store's `changes` (`nil` for a dry run).
    func summary(changes: ReplaceSummary?, calendar: ShopCalendar) -> ImportSummary {
        if let parsed { return ImportSummary(parsed: parsed, changes: changes, calendar: calendar) }
        return ImportSummary(tally: tally, currencyTable: currencyTable, files: files, reportingCurrency: reportingCurrency,
                             choseReportingCurrency: choseReportingCurrency, rates: ratesUsed, changes: changes,
                             calendar: calendar)
    }
}

/// Reads the files at `paths` (see `parseFiles(paths:settings:options:sendingTo:)`). Without `keepOrders` only
/// what the summary needs is kept (about 24 bytes per order when more than one file is read, nothing per order
/// for one file), so that a file of millions of orders streams into a store without being held in memory.
func readFiles(paths: [String], settings: ShopSettings, options: ImportOptions, keepOrders: Bool,
               sendingTo source: OrderBatchSource?) throws(ImportFailure) -> ReadFiles {
    var sizes: [Int] = []
    for path in paths {
        var info = FileSize.of(path)
        if info < 0 { info = 0 }
        sizes.append(info)
    }
    let totalBytes = sizes.reduce(0, +)
    var run = ImportRun(settings: settings, options: options, expectedBytes: totalBytes, keepOrders: keepOrders,
                        fileCount: paths.count)
    if let source {
        run.parser.emitter = OrderEmitter(source: source, reporting: run.reporting, rates: options.rates)
    }
    var ended = false
    defer { if !ended { source?.fail() } }
    run.parser.totalBytes = totalBytes
    for path in paths {
        do {
            try FileReader.withContents(path) { run.add(name: path, buffer: $0, spare: $1) }
        } catch {
            run.parser.errors.add(error)
        }
    }
    let result = Result { () throws(ImportFailure) -> ReadFiles in try run.finishReading() }
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
        let read = try readFiles(paths: paths, settings: settings, options: options, keepOrders: false, sendingTo: nil)
        return read.summary(changes: nil, calendar: settings.calendar ?? .utc)
    }
    let source = OrderBatchSource(capacity: 4)
    // The store writes on its own thread while this task reads; both end before this function returns.
    async let written = store.replaceOrders(streaming: source)
    // Only the summary's figures are kept while the orders stream to the store.
    let read: Result<(summary: ImportSummary, chose: Bool, currency: Currency), ImportFailure>
    do {
        let files = try readFiles(paths: paths, settings: settings, options: options, keepOrders: false, sendingTo: source)
        read = .success((files.summary(changes: nil, calendar: settings.calendar ?? .utc),
                         files.choseReportingCurrency, files.reportingCurrency))
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
    /// Whether the orders are kept (`parseFiles`); otherwise only the summary's figures are (`readFiles`).
    let keepsOrders: Bool
    var orders: [Order] = []
    var keys: [Int32] = []
    var files: [ImportedFile] = []
    var reporting: Currency?
    var chose = false
    var ratesUsed: [String: ExchangeRate] = [:]
    /// Order id → index in `orders` (or `facts`), built once a second file arrives.
    var index: [String: Int]? = nil
    /// The converted totals of the orders in foreign currencies so far (see `Limits.maxSum`).
    var convertedTotalsSum: Int64 = 0
    /// Without `keepsOrders`: the summary's figures of the orders read so far, when the run has one file.
    var tally = SummaryTally()
    /// Without `keepsOrders`, when the run has several files: what the summary needs of every order so far
    /// (a later file's order replaces an earlier one with the same id), and the order ids, parallel.
    var facts: [OrderFacts] = []
    var ids: [String] = []
    /// Whether a later file may replace orders, so that `facts` are kept instead of adding to `tally`.
    let mergesFiles: Bool

    init(settings: ShopSettings, options: ImportOptions, expectedBytes: Int = .max, keepOrders: Bool = true,
         fileCount: Int = 2) {
        self.parser = OrderFileParser(options: options, expectedBytes: expectedBytes)
        parser.keepsOrders = keepOrders
        self.settings = settings
        self.keepsOrders = keepOrders
        self.mergesFiles = fileCount > 1
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

    /// Reads one file from `buffer` (rewritten in place while it is read, unless there is a `spare` region: see
    /// `CSVScanner.spare`) and merges its orders.
    mutating func add(name: String, buffer: UnsafeMutableBufferPointer<UInt8>, spare: UnsafeMutablePointer<UInt8>? = nil) {
        defer { parser.releaseFile() }
        guard var result = parser.parse(name: name, buffer: buffer, spare: spare) else { return }
        if reporting == nil && settings.currency == nil {
            if let first = result.orders.first {
                reporting = first.currency
                chose = true
            } else if let first = result.records.first {
                reporting = parser.currencyTable[Int(first.currency)]
                chose = true
            }
        }
        if let reporting {
            if result.records.isEmpty {
                convert(&result.orders, name: name, to: reporting)
            } else {
                check(result.records, base: result.base!, name: name, to: reporting)
            }
        }
        files.append(ImportedFile(name: name, format: result.format, orders: result.count, lines: result.lines,
                                  unknownColumns: result.unknownColumns))
        // After errors the orders are not kept (nor sent): the import fails anyway.
        guard parser.errors.isEmpty else {
            parser.emitter?.stop()
            return
        }
        if !result.sent, parser.emitter != nil {
            for order in result.orders { parser.emitter!.emit(order) }
        }
        if !keepsOrders {
            count(result)
            return
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

    /// Adds a file's orders to the summary's figures (without `keepsOrders`), merging them with earlier files'
    /// orders like `add` merges kept orders.
    private mutating func count(_ result: FileOrders) {
        var fileFacts: [OrderFacts] = []
        var fileIds: [String] = []
        if result.records.isEmpty {
            for (order, key) in zip(result.orders, result.keys) {
                let f = OrderFacts(placedAt: order.placedAt.seconds, key: key, lines: Int32(order.lines.count),
                                   currency: Int32(parser.currencyIndex(order.currency)), cancelled: order.status == .cancelled)
                if mergesFiles {
                    fileFacts.append(f)
                    fileIds.append(order.id)
                } else {
                    f.add(to: &tally)
                }
            }
        } else {
            for r in result.records {
                let f = OrderFacts(placedAt: r.placedAt, key: r.key, lines: r.lineCount, currency: Int32(r.currency),
                                   cancelled: r.status == .cancelled)
                if mergesFiles {
                    fileFacts.append(f)
                    fileIds.append(OrderFileParser.text(r.id, result.base!).string)
                } else {
                    f.add(to: &tally)
                }
            }
        }
        guard mergesFiles else { return }
        if facts.isEmpty && index == nil {
            facts = fileFacts
            ids = fileIds
            return
        }
        if index == nil {
            var map = [String: Int](minimumCapacity: facts.count + fileFacts.count)
            for (i, id) in ids.enumerated() { map[id] = i }
            index = map
        }
        for (f, id) in zip(fileFacts, fileIds) {
            if let i = index![id] {
                facts[i] = f
            } else {
                index![id] = facts.count
                facts.append(f)
                ids.append(id)
            }
        }
    }

    /// Checks the conversion of a file's orders read as records to the reporting currency, like `convert`
    /// (the same errors and rates used; the store's copy is converted by the emitter).
    mutating func check(_ records: [OrderRecord], base: UnsafeMutablePointer<UInt8>, name: String, to target: Currency) {
        var missing: [(code: String, count: Int)] = []
        for r in records {
            let currency = parser.currencyTable[Int(r.currency)]
            _ = convert(id: OrderFileParser.text(r.id, base).string, currency: currency, total: r.total,
                        refunded: r.refunded, name: name, to: target, missing: &missing)
        }
        reportMissing(missing, name: name, to: target)
    }

    /// Converts every order to the reporting currency; one error per currency without a rate.
    mutating func convert(_ list: inout [Order], name: String, to target: Currency) {
        var missing: [(code: String, count: Int)] = []
        for i in list.indices {
            guard let (total, refunded, rate) = convert(id: list[i].id, currency: list[i].currency, total: list[i].total,
                                                        refunded: list[i].refunded, name: name, to: target,
                                                        missing: &missing) else { continue }
            list[i].shopTotal = total
            list[i].shopRefunded = refunded
            list[i].rate = rate.description
        }
        reportMissing(missing, name: name, to: target)
    }

    /// The amounts of order `id` in `target` and the rate used; `nil` when the order needs no conversion or
    /// cannot be converted (an overflow is reported, a missing rate counted in `missing`).
    @inline(__always)
    mutating func convert(id: @autoclosure () -> String, currency: Currency, total orderTotal: Int64, refunded orderRefunded: Int64,
                          name: String, to target: Currency,
                          missing: inout [(code: String, count: Int)]) -> (Int64, Int64, ExchangeRate)? {
        if currency == target { return nil }
        guard let rate = parser.options.rates[currency.code] else {
            if let k = missing.firstIndex(where: { $0.code == currency.code }) { missing[k].count += 1 }
            else { missing.append((currency.code, 1)) }
            return nil
        }
        ratesUsed[currency.code] = rate
        guard let total = rate.convert(orderTotal, to: target),
              let refunded = rate.convert(orderRefunded, to: target) else {
            parser.errors.add(ImportError(.conversionOverflow, file: name, column: "order_total",
                                          message: "order \(id()): \(Money(minorUnits: orderTotal, currency: currency)) × \(rate) is too large to store in \(target.code)"))
            return nil
        }
        let (sum, overflow) = convertedTotalsSum.addingReportingOverflow(total)
        if (overflow || sum > Limits.maxSum) && !parser.sumExceeded {
            parser.sumExceeded = true
            parser.errors.add(ImportError(.sumTooLarge, file: name, column: "order_total", message:
                "order \(id()): the import's order totals converted to \(target.code) add up to more than \(Limits.maxSumText(target)), the most one import may hold"))
        }
        convertedTotalsSum = sum
        return (total, refunded, rate)
    }

    /// One error per currency without a rate.
    mutating func reportMissing(_ missing: [(code: String, count: Int)], name: String, to target: Currency) {
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

    /// What was read (the parsed import only when `keepsOrders`), or every error found.
    func finishReading() throws(ImportFailure) -> ReadFiles {
        let parsed: ParsedImport? = keepsOrders ? try finish() : nil
        if !parser.errors.isEmpty { throw parser.errors.failure }
        guard let reporting else {
            throw ImportFailure(errors: [ImportError(.noOrders, file: "import", message: "no orders: no file was given")])
        }
        var tally = self.tally
        if mergesFiles { for f in facts { f.add(to: &tally) } }
        return ReadFiles(parsed: parsed, files: files, reportingCurrency: reporting, choseReportingCurrency: chose,
                         ratesUsed: ratesUsed, tally: tally, currencyTable: parser.currencyTable)
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

/// What the import summary needs of one order.
struct OrderFacts {
    var placedAt: Int64
    /// Customer key id, -1 for anonymous.
    var key: Int32
    var lines: Int32
    /// Index in `OrderFileParser.currencyTable`.
    var currency: Int32
    var cancelled: Bool

    func add(to tally: inout SummaryTally) {
        tally.add(placedAt: placedAt, key: key, cancelled: cancelled, lines: Int(lines), currency: Int(currency))
    }
}

/// The size of a file, for progress (-1 when unknown).
enum FileSize {
    static func of(_ path: String) -> Int { FileReader.size(path) }
}
