import ClienteleCore

/// What a demo generation produced, counted while generating (for the CLI's short summary).
public struct DemoSummary: Sendable, Hashable, CustomStringConvertible {
    /// The shop days the history covers.
    public var period: Period
    /// Products in the catalogue.
    public var products: Int
    /// Orders generated, cancelled included.
    public var orders = 0
    /// Order lines generated.
    public var lines = 0
    /// Identified customers (by customer id, else e-mail) with at least one order that is not cancelled.
    public var customers = 0
    /// The first order's time.
    public var firstOrder: Instant?
    /// The last order's time.
    public var lastOrder: Instant?
    /// Cancelled orders.
    public var cancelledOrders = 0
    /// Orders with neither customer id nor e-mail.
    public var anonymousOrders = 0
    /// Orders with an e-mail but no customer id.
    public var guestEmailOrders = 0
    /// Orders placed in a currency other than the shop's.
    public var foreignCurrencyOrders = 0
    /// The foreign currencies that occur, by code, sorted.
    public var currenciesUsed: [String] = []
    /// Orders with at least one returned unit.
    public var ordersWithReturns = 0
    /// Orders with a refunded amount above zero.
    public var refundedOrders = 0
    /// The most customers held in memory at once while generating (the generator's state size).
    public var peakLiveCustomers = 0

    /// An empty summary for a period and catalogue.
    init(period: Period, products: Int) {
        self.period = period
        self.products = products
    }

    /// A few lines for a terminal, e.g. `12000 orders, 19321 lines, 4870 customers, 2022-06-02..2025-06-01`.
    public var description: String {
        var text = "\(orders) orders, \(lines) lines, \(customers) customers, \(products) products, \(period)\n"
        text += "cancelled \(cancelledOrders), anonymous \(anonymousOrders), guest e-mail \(guestEmailOrders), "
        text += "with returns \(ordersWithReturns), refunded \(refundedOrders), "
        text += "foreign currency \(foreignCurrencyOrders)"
        if !currenciesUsed.isEmpty { text += " (\(currenciesUsed.joined(separator: ", ")))" }
        return text
    }
}
