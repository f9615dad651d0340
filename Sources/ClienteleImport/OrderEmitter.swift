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
    /// Orders per batch: a multiple of the store's 32-row insert statements.
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
