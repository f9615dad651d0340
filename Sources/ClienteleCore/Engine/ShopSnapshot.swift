/// A shop's non-cancelled orders as a columnar, read-only snapshot (STYLE.md, "The engine"): one array per
/// field, dense `Int32` ids for customers and products, shop-calendar days and months precomputed per order.
///
/// Orders are sorted once by (customer, instant, order id), customers by their key in Unicode code-point
/// order, so customer `c`'s orders are the contiguous range `customerOrderStart[c] ..< customerOrderStart[c + 1]`
/// in time order and every per-customer figure is one linear pass without hashing. Anonymous orders
/// (METRICS.md, "Ground rules") come after every identified order, in `identifiedOrderCount ..< orderCount`.
/// Cancelled orders are dropped before anything else; only their number and shop days are kept.
public struct ShopSnapshot: Sendable, Equatable {
    // MARK: Shop

    /// The IANA time zone the day and month columns were computed in.
    public internal(set) var timeZone: String
    /// The reporting currency's code the amounts are in ("" when unknown).
    public internal(set) var currencyCode: String
    /// An opaque version of the source data (e.g. the store's content checksum) the snapshot was built from.
    public internal(set) var sourceVersion: String

    // MARK: Orders (sorted by customer, instant, order id; anonymous last)

    /// When each order was placed, seconds since the epoch.
    public internal(set) var orderInstant: ContiguousArray<Int64>
    /// Order total in minor units of the reporting currency (gross, as placed).
    public internal(set) var orderTotal: ContiguousArray<Int64>
    /// Refunded amount in minor units of the reporting currency.
    public internal(set) var orderRefunded: ContiguousArray<Int64>
    /// Dense customer id of each order, `-1` for an anonymous order.
    public internal(set) var orderCustomer: ContiguousArray<Int32>
    /// Shop date (days since 1970-01-01 in the shop's time zone) of each order.
    public internal(set) var orderDay: ContiguousArray<Int32>
    /// Shop month (year × 12 + month − 1) of each order.
    public internal(set) var orderMonth: ContiguousArray<Int32>
    /// The shop's UTC offset in seconds at each order's instant (for rendering its timestamp).
    public internal(set) var orderUTCOffset: ContiguousArray<Int32>
    /// Index into `emails` of each order's normalised e-mail, `-1` when it has none.
    public internal(set) var orderEmail: ContiguousArray<Int32>
    /// Index into `countries` of each order's country, `-1` when unknown.
    public internal(set) var orderCountry: ContiguousArray<Int32>
    /// Index into `currencies` of the currency each order was placed in.
    public internal(set) var orderCurrency: ContiguousArray<UInt16>
    /// `orderLineStart[i] ..< orderLineStart[i + 1]` are order `i`'s lines (one more entry than orders).
    public internal(set) var orderLineStart: ContiguousArray<UInt32>
    /// The shop's id of each order.
    public internal(set) var orderIds: StringTable
    /// Orders with a customer; they come first.
    public internal(set) var identifiedOrderCount: Int

    // MARK: Lines

    /// Product id (index into `productIds`) of each line.
    public internal(set) var lineProduct: ContiguousArray<Int32>
    /// Units bought on each line.
    public internal(set) var lineQuantity: ContiguousArray<Int32>
    /// Unit price of each line in minor units of the reporting currency (converted per unit, halves away from zero).
    public internal(set) var lineUnitPrice: ContiguousArray<Int64>
    /// Units returned on each line.
    public internal(set) var lineReturnedQuantity: ContiguousArray<Int32>

    // MARK: Customers (in key order by Unicode code point)

    /// `customerOrderStart[c] ..< customerOrderStart[c + 1]` are customer `c`'s orders (one more entry than customers).
    public internal(set) var customerOrderStart: ContiguousArray<UInt32>
    /// Each customer's key (METRICS.md, "Customer identity"), ascending by code point.
    public internal(set) var customerKeys: StringTable

    // MARK: Interned values

    /// Distinct normalised e-mails (trimmed, lower-cased).
    public internal(set) var emails: StringTable
    /// Distinct product ids.
    public internal(set) var productIds: StringTable
    /// The first name seen for each product.
    public internal(set) var productNames: StringTable
    /// Distinct country codes.
    public internal(set) var countries: StringTable
    /// Distinct currency codes orders were placed in.
    public internal(set) var currencies: StringTable

    // MARK: Cancelled orders

    /// Shop dates of the cancelled orders, ascending (they take part in nothing else).
    public internal(set) var cancelledOrderDay: ContiguousArray<Int32>

    // MARK: Derived

    /// Number of non-cancelled orders.
    public var orderCount: Int { orderInstant.count }
    /// Number of anonymous orders.
    public var anonymousOrderCount: Int { orderCount - identifiedOrderCount }
    /// Number of cancelled orders dropped.
    public var cancelledOrderCount: Int { cancelledOrderDay.count }
    /// Number of distinct customers.
    public var customerCount: Int { customerOrderStart.count - 1 }
    /// Number of order lines.
    public var lineCount: Int { lineProduct.count }

    /// The key of customer `c`.
    public func customerKey(_ c: Int) -> String { customerKeys[c] }
    /// The normalised e-mail of order `i`, `nil` when it has none.
    public func email(ofOrder i: Int) -> String? {
        let e = Int(orderEmail[i])
        return e < 0 ? nil : emails[e]
    }
    /// The shop's id of order `i`.
    public func orderId(_ i: Int) -> String { orderIds[i] }
    /// The orders of customer `c`, in time order.
    public func orders(ofCustomer c: Int) -> Range<Int> { Int(customerOrderStart[c])..<Int(customerOrderStart[c + 1]) }
    /// The lines of order `i`.
    public func lines(ofOrder i: Int) -> Range<Int> { Int(orderLineStart[i])..<Int(orderLineStart[i + 1]) }
    /// The instant of order `i` as ISO 8601 with the shop's offset at that instant, e.g. `2024-11-05T15:28:20+01:00`.
    public func timestamp(ofOrder i: Int) -> String {
        Instant(seconds: orderInstant[i]).iso8601(offsetSeconds: Int(orderUTCOffset[i]), zulu: false)
    }

    /// The dense id of the customer with `key`, by binary search over the sorted keys; `nil` if unknown.
    public func customer(withKey key: String) -> Int? {
        var probe = StringTable()
        probe.append(key)
        var lo = 0, hi = customerCount
        customerKeys.bytes.withUnsafeBufferPointer { kb in
            probe.bytes.withUnsafeBufferPointer { pb in
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    if StringTable.less(kb, customerKeys.offsets, mid, pb, probe.offsets, 0) { lo = mid + 1 } else { hi = mid }
                }
            }
        }
        guard lo < customerCount, customerKeys[lo].utf8.elementsEqual(key.utf8) else { return nil }
        return lo
    }

    /// Bytes the snapshot's data occupies in memory (column contents, not capacity slack).
    public var byteCount: Int {
        orderInstant.count * 8 + orderTotal.count * 8 + orderRefunded.count * 8
            + (orderCustomer.count + orderDay.count + orderMonth.count + orderUTCOffset.count + orderEmail.count
               + orderCountry.count + orderLineStart.count) * 4
            + orderCurrency.count * 2 + orderIds.byteCount
            + lineProduct.count * 4 + lineQuantity.count * 4 + lineUnitPrice.count * 8 + lineReturnedQuantity.count * 4
            + customerOrderStart.count * 4 + customerKeys.byteCount
            + emails.byteCount + productIds.byteCount + productNames.byteCount + countries.byteCount + currencies.byteCount
            + cancelledOrderDay.count * 4
    }

    /// An empty snapshot in `timeZone`.
    init(timeZone: String, currencyCode: String, sourceVersion: String) {
        self.timeZone = timeZone
        self.currencyCode = currencyCode
        self.sourceVersion = sourceVersion
        orderInstant = []; orderTotal = []; orderRefunded = []; orderCustomer = []; orderDay = []; orderMonth = []
        orderUTCOffset = []; orderEmail = []; orderCountry = []; orderCurrency = []; orderLineStart = [0]
        orderIds = StringTable(); identifiedOrderCount = 0
        lineProduct = []; lineQuantity = []; lineUnitPrice = []; lineReturnedQuantity = []
        customerOrderStart = [0]; customerKeys = StringTable()
        emails = StringTable(); productIds = StringTable(); productNames = StringTable()
        countries = StringTable(); currencies = StringTable()
        cancelledOrderDay = []
    }

    /// The snapshot of `orders` in the shop's `calendar`; amounts are taken in the reporting `currency`
    /// (`Order.shopTotal`), and line prices of foreign-currency orders are converted with the order's rate.
    public init(orders: some Sequence<Order>, calendar: ShopCalendar, currency: Currency? = nil, sourceVersion: String = "") {
        var builder = Builder(calendar: calendar, currency: currency)
        for order in orders { builder.add(order) }
        self = builder.build(sourceVersion: sourceVersion)
    }
}
