import ClienteleCore
import ClienteleStore

/// Sends complete orders to a store's streaming write while files are read, converted to the reporting
/// currency, in batches.
///
/// An order is complete when the next record belongs to another order (every real export keeps an order's
/// lines together); an order whose id comes back later in the file, or in a later file, is simply sent again
/// with all its lines, and the store replaces the earlier one. Sending stops at the first error anywhere
/// (the import fails, so the store rolls back) and when the store stops reading.
struct OrderEmitter {
    /// Orders per batch: a multiple of the SQLite store's 128-row insert statements.
    static let batchSize = 2048

    let source: OrderBatchSource
    let rates: [String: ExchangeRate]
    /// The shop's reporting currency; when the settings have none, the currency of the first order sent.
    var reporting: Currency?
    private var batch = OrderBatch(reservingOrders: OrderEmitter.batchSize)
    /// Nothing more is sent.
    private(set) var stopped = false

    init(source: OrderBatchSource, reporting: Currency?, rates: [String: ExchangeRate]) {
        self.source = source
        self.reporting = reporting
        self.rates = rates
    }

    /// Stops sending (after an error): the import fails.
    mutating func stop() {
        stopped = true
        batch = OrderBatch()
    }

    /// Queues `order` for sending, converted to the reporting currency. An order that cannot be converted
    /// (no rate, overflow) stops sending: the file's conversion reports the error when the file ends.
    @inline(__always)
    mutating func emit(_ order: Order) {
        if stopped { return }
        if reporting == nil { reporting = order.currency }
        if order.currency == reporting! {
            append(order)
        } else {
            guard let rate = rates[order.currency.code],
                  let total = rate.convert(order.total, to: reporting!),
                  let refunded = rate.convert(order.refunded, to: reporting!) else {
                stop()
                return
            }
            var converted = order
            converted.shopTotal = total
            converted.shopRefunded = refunded
            converted.rate = rate.description
            append(converted)
        }
        if batch.count >= Self.batchSize { flush() }
    }

    /// How the orders of each currency (by the parser's currency index) are converted, learnt from the first.
    private enum Conversion {
        case same
        case rate(ExchangeRate, text: [UInt8])
        case missing
    }
    private var conversions: [Conversion?] = []

    /// Queues an order given as bytes and numbers (see `OrderBatch.appendOrder`), converted to the reporting
    /// currency like `emit(_:)`; `lines` appends its lines with `OrderBatch.appendLine`. `currencyIndex`
    /// numbers `currency` densely (the same index always means the same currency).
    @inline(__always)
    mutating func emit(id: UnsafeBufferPointer<UInt8>, placedAt: Int64, customerId: UnsafeBufferPointer<UInt8>?,
                       email: UnsafeBufferPointer<UInt8>?, cancelled: Bool, currency: Currency, currencyIndex: Int,
                       total: Int64, refunded: Int64, country: UnsafeBufferPointer<UInt8>?,
                       lines: (inout OrderBatch) throws(StoreError) -> Void) {
        if stopped { return }
        if reporting == nil { reporting = currency }
        if currencyIndex >= conversions.count {
            conversions.append(contentsOf: repeatElement(nil, count: currencyIndex + 1 - conversions.count))
        }
        if conversions[currencyIndex] == nil {
            if currency == reporting! {
                conversions[currencyIndex] = .same
            } else if let rate = rates[currency.code] {
                conversions[currencyIndex] = .rate(rate, text: Array(rate.description.utf8))
            } else {
                conversions[currencyIndex] = .missing
            }
        }
        var shopTotal = total, shopRefunded = refunded
        var rateText: [UInt8] = []
        switch conversions[currencyIndex]! {
        case .same:
            break
        case .missing:
            stop()
            return
        case .rate(let rate, let text):
            guard let t = rate.convert(total, to: reporting!), let r = rate.convert(refunded, to: reporting!) else {
                stop()
                return
            }
            (shopTotal, shopRefunded, rateText) = (t, r, text)
        }
        var code = currency.code
        let failure: StoreError? = code.withUTF8 { code in
            rateText.withUnsafeBufferPointer { rate in
                do throws(StoreError) {
                    try batch.appendOrder(id: id, placedAt: placedAt, customerId: customerId, email: email,
                                          cancelled: cancelled, currency: code, total: total, refunded: refunded,
                                          shopTotal: shopTotal, shopRefunded: shopRefunded,
                                          rate: rateText.isEmpty ? nil : rate, country: country)
                    try lines(&batch)
                    return nil
                } catch {
                    return error
                }
            }
        }
        if let failure {
            source.fail(failure)
            stop()
            return
        }
        if batch.count >= Self.batchSize { flush() }
    }

    /// Packs `order` into the batch; an order that breaks a store rule fails the source (the store throws
    /// that error).
    @inline(__always)
    private mutating func append(_ order: Order) {
        do {
            try batch.append(order)
        } catch {
            source.fail(error)
            stop()
        }
    }

    /// Sends the queued orders.
    mutating func flush() {
        guard !stopped, !batch.isEmpty else { return }
        let full = batch
        batch = OrderBatch(reservingOrders: Self.batchSize)
        if !source.push(full) { stop() }
    }
}
