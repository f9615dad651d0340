import ClienteleCore
import ClienteleStore

/// What an import read and did; `description` is the summary printed at the end of an import.
public struct ImportSummary: Sendable, CustomStringConvertible {
    /// Each file with its detected format and unknown columns.
    public var files: [ImportedFile]
    /// Orders imported (after merging files).
    public var orders: Int
    /// Order lines imported.
    public var lines: Int
    /// Distinct customer keys among the non-cancelled orders (METRICS.md, "Customer identity").
    public var customers: Int
    /// Orders with neither a customer id nor an e-mail.
    public var anonymousOrders: Int
    /// Cancelled orders.
    public var cancelledOrders: Int
    /// The earliest `placed_at`, if any order.
    public var firstOrder: Instant?
    /// The latest `placed_at`, if any order.
    public var lastOrder: Instant?
    /// The shop's reporting currency.
    public var reportingCurrency: Currency
    /// Whether this import set the reporting currency (the shop had none).
    public var choseReportingCurrency: Bool
    /// Orders per currency, most orders first (ties by code).
    public var currencies: [(code: String, orders: Int)]
    /// The rate used for each foreign currency, by code.
    public var rates: [String: ExchangeRate]
    /// What the store did; `nil` for a dry run.
    public var changes: ReplaceSummary?
    /// The shop calendar the dates are shown in.
    public var calendar: ShopCalendar

    /// Whether nothing was written.
    public var dryRun: Bool { changes == nil }

    /// The summary of `parsed`, with the store's `changes` (`nil` for a dry run), dates shown in `calendar`.
    public init(parsed: ParsedImport, changes: ReplaceSummary?, calendar: ShopCalendar = .utc) {
        var tally = SummaryTally()
        var table: [Currency] = []
        parsed.orders.withUnsafeBufferPointer { orders in
            for i in orders.indices {
                let currency: Int
                if let k = table.firstIndex(where: { $0.code == orders[i].currency.code }) {
                    currency = k
                } else {
                    currency = table.count
                    table.append(orders[i].currency)
                }
                tally.add(placedAt: orders[i].placedAt.seconds, key: parsed.customerKeyIds[i],
                          cancelled: orders[i].status == .cancelled, lines: orders[i].lines.count, currency: currency)
            }
        }
        self.init(tally: tally, currencyTable: table, files: parsed.files, reportingCurrency: parsed.reportingCurrency,
                  choseReportingCurrency: parsed.choseReportingCurrency, rates: parsed.ratesUsed, changes: changes,
                  calendar: calendar)
    }

    /// The summary of orders added up in `tally` (currencies by index in `currencyTable`).
    init(tally: SummaryTally, currencyTable: [Currency], files: [ImportedFile], reportingCurrency: Currency,
         choseReportingCurrency: Bool, rates: [String: ExchangeRate], changes: ReplaceSummary?, calendar: ShopCalendar) {
        self.files = files
        orders = tally.orders
        var perCurrency: [String: Int] = [:]
        for (index, count) in tally.currencyCounts.enumerated() where count > 0 {
            perCurrency[currencyTable[index].code, default: 0] += count
        }
        lines = tally.lines
        customers = tally.customers
        anonymousOrders = tally.anonymous
        cancelledOrders = tally.cancelled
        firstOrder = tally.orders == 0 ? nil : Instant(seconds: tally.first)
        lastOrder = tally.orders == 0 ? nil : Instant(seconds: tally.last)
        self.reportingCurrency = reportingCurrency
        self.choseReportingCurrency = choseReportingCurrency
        currencies = perCurrency.map { (code: $0.key, orders: $0.value) }
            .sorted { $0.orders != $1.orders ? $0.orders > $1.orders : $0.code < $1.code }
        self.rates = rates
        self.changes = changes
        self.calendar = calendar
    }

    /// The multi-line summary, labels aligned.
    public var description: String {
        var rows: [(String, String)] = []
        for file in files {
            rows.append(("File", "\(file.name): \(file.format), \(file.orders) orders, \(file.lines) lines"))
        }
        rows.append(("Orders", String(orders)))
        rows.append(("Lines", String(lines)))
        rows.append(("Customers", String(customers)))
        rows.append(("Anonymous orders", String(anonymousOrders)))
        rows.append(("Cancelled orders", String(cancelledOrders)))
        if let firstOrder, let lastOrder {
            rows.append(("First order", calendar.iso8601(firstOrder)))
            rows.append(("Last order", calendar.iso8601(lastOrder)))
        }
        rows.append(("Reporting currency", reportingCurrency.code + (choseReportingCurrency ? " (set by this import)" : "")))
        let currencyText = currencies.map { entry -> String in
            if let rate = rates[entry.code] { return "\(entry.code) \(entry.orders) (rate \(rate))" }
            return "\(entry.code) \(entry.orders)"
        }.joined(separator: ", ")
        rows.append(("Currencies", currencyText))
        if let changes {
            rows.append(("Stored", "\(changes.inserted) inserted, \(changes.replaced) replaced, \(changes.unchanged) unchanged"))
        } else {
            rows.append(("Stored", "nothing (dry run)"))
        }
        for file in files where !file.unknownColumns.isEmpty {
            rows.append(("Ignored columns", "\(file.name): \(file.unknownColumns.joined(separator: ", "))"))
        }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { label, value in
            label + String(repeating: " ", count: width - label.count + 2) + value
        }.joined(separator: "\n")
    }
}

/// The order figures of an import summary, added up one order at a time (each order once, as it finally is).
struct SummaryTally {
    var orders = 0
    var lines = 0
    var anonymous = 0
    var cancelled = 0
    /// Distinct customer keys among the non-cancelled orders.
    var customers = 0
    var first: Int64 = .max
    var last: Int64 = .min
    /// Orders per currency, by the currency's index in a table the caller keeps.
    var currencyCounts: [Int] = []
    /// Whether a non-cancelled order of each customer key id was counted.
    private var seen: [Bool] = []

    /// Counts one order: placed at `placedAt` (seconds), of customer key id `key` (-1: anonymous), with
    /// `lines` lines, in the currency with index `currency`.
    @inline(__always)
    mutating func add(placedAt: Int64, key: Int32, cancelled isCancelled: Bool, lines lineCount: Int, currency: Int) {
        orders += 1
        lines += lineCount
        if placedAt < first { first = placedAt }
        if placedAt > last { last = placedAt }
        if currency >= currencyCounts.count {
            currencyCounts.append(contentsOf: repeatElement(0, count: currency + 1 - currencyCounts.count))
        }
        currencyCounts[currency] += 1
        if key < 0 { anonymous += 1 }
        if isCancelled {
            cancelled += 1
        } else if key >= 0 {
            let k = Int(key)
            if k >= seen.count { seen.append(contentsOf: repeatElement(false, count: max(k + 1 - seen.count, seen.count))) }
            if !seen[k] {
                seen[k] = true
                customers += 1
            }
        }
    }
}
