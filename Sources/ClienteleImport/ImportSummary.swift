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
        files = parsed.files
        orders = parsed.orders.count
        var lineCount = 0, anonymous = 0, cancelled = 0
        var first: Int64 = .max, last: Int64 = .min
        var perCurrency: [String: Int] = [:]
        var seen = [Bool](repeating: false, count: parsed.customerKeyCount)
        var customerCount = 0
        var currencyCounts: [(currency: Currency, count: Int)] = []
        parsed.orders.withUnsafeBufferPointer { orders in
            for i in orders.indices {
                lineCount += orders[i].lines.count
                let t = orders[i].placedAt.seconds
                if t < first { first = t }
                if t > last { last = t }
                if let k = currencyCounts.firstIndex(where: { $0.currency.code == orders[i].currency.code }) {
                    currencyCounts[k].count += 1
                } else {
                    currencyCounts.append((orders[i].currency, 1))
                }
                let key = Int(parsed.customerKeyIds[i])
                if key < 0 { anonymous += 1 }
                if orders[i].status == .cancelled {
                    cancelled += 1
                } else if key >= 0 && !seen[key] {
                    seen[key] = true
                    customerCount += 1
                }
            }
        }
        for entry in currencyCounts { perCurrency[entry.currency.code] = entry.count }
        lines = lineCount
        customers = customerCount
        anonymousOrders = anonymous
        cancelledOrders = cancelled
        firstOrder = parsed.orders.isEmpty ? nil : Instant(seconds: first)
        lastOrder = parsed.orders.isEmpty ? nil : Instant(seconds: last)
        reportingCurrency = parsed.reportingCurrency
        choseReportingCurrency = parsed.choseReportingCurrency
        currencies = perCurrency.map { (code: $0.key, orders: $0.value) }
            .sorted { $0.orders != $1.orders ? $0.orders > $1.orders : $0.code < $1.code }
        rates = parsed.ratesUsed
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
