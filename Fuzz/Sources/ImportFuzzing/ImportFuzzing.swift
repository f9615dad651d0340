import ClienteleCore
import ClienteleImport
import ClienteleStore
import FuzzSupport

/// The shop every import target parses into: DKK, Copenhagen (so daylight-saving transitions are crossed).
public let fuzzSettings = ShopSettings(timeZone: "Europe/Copenhagen", currency: "DKK")
/// The calendar of `fuzzSettings`, built once (a calendar is a table of offset transitions).
let copenhagen = ShopCalendar(identifier: "Europe/Copenhagen")!
/// Rates for the currencies the seeds use, so foreign orders are converted rather than refused.
public let fuzzRates: [String: ExchangeRate] = {
    var rates: [String: ExchangeRate] = [:]
    for (code, text) in [("EUR", "7.46"), ("SEK", "0.65"), ("NOK", "0.64"), ("USD", "6.9"), ("JPY", "0.045"),
                         ("KWD", "22.4"), ("GBP", "8.7")] {
        let c = Currency(code: code)!
        rates[code] = ExchangeRate(currency: c, text: Substring(text))!
    }
    return rates
}()

/// Parses `bytes` as an order file named `fuzz.csv` with `options` (rates added) and checks what comes out.
///
/// Rejected: every error has a message and a line within the file. Accepted: every order keeps the rules
/// the importer promises (IMPORT.md), the store accepts every order (`OrderBatch`), and the engine builds a
/// snapshot and computes reports over it without trapping.
public func fuzzImport(_ bytes: [UInt8], options base: ImportOptions) {
    var options = base
    options.rates = fuzzRates
    var physicalLines = 1
    for b in bytes where b == 0x0A || b == 0x0D { physicalLines += 1 }
    do {
        let parsed = try parseFiles([(name: "fuzz.csv", bytes: bytes)], settings: fuzzSettings, options: options)
        check(parsed)
    } catch {
        require(!error.errors.isEmpty, "a failure without errors")
        require(error.totalCount >= error.errors.count, "fewer errors counted than listed")
        require(error.errors.count <= ImportFailure.limit, "more errors listed than the limit")
        for e in error.errors {
            require(!e.message.isEmpty, "an error without a message")
            if let line = e.line { require(line >= 1 && line <= physicalLines, "error line \(line) of \(physicalLines): \(e)") }
        }
        _ = error.description
    }
}

/// The rules every accepted order keeps, then the store's and the engine's view of them.
func check(_ parsed: ParsedImport) {
    var lines = 0
    var minDay = Int.max, maxDay = Int.min
    for order in parsed.orders {
        require(!order.id.isEmpty, "an order without an id")
        require(!order.lines.isEmpty, "order \(order.id) has no lines")
        require(order.total >= 0 && order.refunded >= 0 && order.refunded <= order.total, "order \(order.id) amounts")
        let year = ShopDate(dayNumber: Int(order.placedAt.seconds / 86_400)).year
        require(year >= 1899 && year <= 2200, "order \(order.id) in year \(year)")
        for line in order.lines {
            require(line.quantity >= 1 && line.returnedQuantity >= 0 && line.returnedQuantity <= line.quantity,
                    "order \(order.id) quantities")
            require(line.unitPrice >= 0, "order \(order.id) negative price")
            require(!line.productId.isEmpty, "order \(order.id) empty product")
        }
        lines += order.lines.count
        let day = copenhagen.dayNumber(of: order.placedAt.seconds)
        minDay = min(minDay, day)
        maxDay = max(maxDay, day)
    }
    require(lines == parsed.lines, "line count")
    require(parsed.files.count == 1 && parsed.files[0].lines == lines, "the file's line count")
    do {
        _ = try OrderBatch(parsed.orders)
    } catch {
        require(false, "the store refuses an imported order: \(error)")
    }
    _ = ImportSummary(parsed: parsed, changes: nil, calendar: copenhagen).description
    guard !parsed.orders.isEmpty else { return }
    let currency = parsed.reportingCurrency
    let snapshot = ShopSnapshot(orders: parsed.orders, calendar: copenhagen, currency: currency)
    let asOf = ShopDate(dayNumber: maxDay + 1)
    let period = Period(start: ShopDate(dayNumber: minDay), end: asOf.adding(days: 1))
    let thresholds = ShopSettings.Thresholds()
    let stats = CustomerStatistics.compute(snapshot: snapshot, period: period, asOf: asOf, top: 10,
                                           comparison: period.previous, thresholds: thresholds, currency: currency,
                                           timeZone: copenhagen.identifier)
    _ = stats.json()
    let profiles = CustomerProfiles.compute(snapshot: snapshot, asOf: asOf, thresholds: thresholds)
    _ = profiles.orders.count
    _ = RFM.compute(snapshot: snapshot, asOf: asOf, currency: currency)
    _ = BestSellers.compute(snapshot: snapshot, period: period, asOf: asOf, currency: currency,
                            timeZone: copenhagen.identifier, top: 10, topCustomers: 10)
}
