/// An audience's page (METRICS.md, "Lifecycle and groups", "Audiences"): the overview (total revenue,
/// customers, orders, items, average item price, each beside all customers' figure and as a share of it),
/// the per-customer insights, and the most bought products.
public struct AudienceOverview: Sendable, Equatable {
    /// The as-of date; every figure is over orders up to it.
    public var asOf: ShopDate
    /// The shop's reporting currency.
    public var currency: Currency
    /// The audience's figures.
    public var audience: Figures
    /// The same figures over all customers.
    public var all: Figures
    /// The most bought products, sorted by `productSort`, at most `topProducts` of them.
    public var products: [Product]
    /// How `products` is sorted.
    public var productSort: ProductSort
    /// Distinct products the audience bought (before the list was cut).
    public var productCount: Int

    /// Totals and per-customer averages of a set of customers; an average over nothing is `nil`.
    public struct Figures: Sendable, Equatable {
        /// Total revenue (gross order totals).
        public var revenue: Money
        /// Customers.
        public var customers: Int
        /// Orders.
        public var orders: Int
        /// Units bought (sum of line quantities).
        public var items: Int64
        /// Sum of line amounts (quantity × unit price) ÷ units: the average price of a product bought.
        public var averageItemPrice: Money?
        /// Lifetime value: revenue ÷ customers.
        public var lifetimeValue: Money?
        /// Average order value: revenue ÷ orders.
        public var orderValue: Money?
        /// Basket size: units ÷ orders.
        public var basketSize: Double?
        /// Revenue per customer per year of tenure: revenue ÷ the sum of the customers' tenures in years
        /// (tenure = as-of date − first order, at least `minimumTenureDays`; a year is 365.25 days).
        public var revenuePerYear: Money?
        /// Mean over customers of the days from their first to their last order.
        public var lifetimeDays: Double?
        /// Mean over customers with ≥ 2 orders of (last − first) ÷ (orders − 1), in days.
        public var daysBetweenOrders: Double?
        /// Orders per customer per year of tenure: orders ÷ the sum of the customers' tenures in years.
        public var ordersPerYear: Double?
    }

    /// One product the audience bought.
    public struct Product: Sendable, Equatable {
        /// The product id.
        public var productId: String
        /// Its name (the first seen).
        public var name: String
        /// Orders of the audience containing it (two lines of one order count once).
        public var timesBought: Int
        /// Units bought.
        public var quantity: Int64
        /// Sum of line amounts (quantity × unit price).
        public var revenue: Money
        /// Distinct customers of the audience who bought it.
        public var customers: Int
    }

    /// The orders of the product list.
    public enum ProductSort: String, Sendable, Hashable, CaseIterable {
        /// Orders containing the product, descending (the default).
        case times
        /// Units, descending.
        case quantity
        /// Line revenue, descending.
        case revenue
        /// Distinct customers, descending.
        case customers
    }

    /// `part ÷ whole` of a figure; `nil` when the whole is 0.
    public static func share(_ part: Int64, _ whole: Int64) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }

    /// Computes the page for the customers with `mask[c]` (an evaluated `AudienceFilter`) as of the
    /// context's date; ties in the product list go to the smaller product id (by code point).
    public static func compute(context ctx: AudienceContext, mask: [Bool], productSort: ProductSort = .times,
                               topProducts: Int = 20) -> AudienceOverview {
        let s = ctx.snapshot, p = ctx.profiles
        let productCount = s.productIds.count
        var times = [Int](repeating: 0, count: productCount)
        var quantity = [Int64](repeating: 0, count: productCount)
        var lineRevenue = [Int64](repeating: 0, count: productCount)
        var buyers = [Int](repeating: 0, count: productCount)
        var lastOrder = [Int32](repeating: -1, count: productCount)
        var lastCustomer = [Int32](repeating: -1, count: productCount)
        var a = Accumulator(), everyone = Accumulator()
        let asOfDay = ctx.asOf.dayNumber
        let minTenure = max(p.thresholds.minimumTenureDays, 1)

        s.orderInstant.withUnsafeBufferPointer { instant in
        s.orderDay.withUnsafeBufferPointer { day in
        s.orderLineStart.withUnsafeBufferPointer { lineStart in
        s.lineProduct.withUnsafeBufferPointer { product in
        s.lineQuantity.withUnsafeBufferPointer { qty in
        s.lineUnitPrice.withUnsafeBufferPointer { price in
        s.customerOrderStart.withUnsafeBufferPointer { start in
            for c in 0..<s.customerCount where p.orders[c] > 0 {
                let lo = Int(start[c]), last = Int(p.lastOrder[c])
                let k = Int(p.orders[c])
                let inAudience = c < mask.count && mask[c]
                var amount: Int64 = 0
                for l in Int(lineStart[lo])..<Int(lineStart[last + 1]) { amount += Int64(qty[l]) * price[l] }
                let tenure = Double(max(asOfDay - Int(day[lo]), minTenure))
                let span = Double(instant[last] - instant[lo]) / 86_400
                everyone.add(orders: k, revenue: p.revenue[c], items: p.items[c], lineAmount: amount, tenureDays: tenure, spanDays: span)
                guard inAudience else { continue }
                a.add(orders: k, revenue: p.revenue[c], items: p.items[c], lineAmount: amount, tenureDays: tenure, spanDays: span)
                for i in lo...last {
                    for l in Int(lineStart[i])..<Int(lineStart[i + 1]) {
                        let pr = Int(product[l])
                        quantity[pr] += Int64(qty[l])
                        lineRevenue[pr] += Int64(qty[l]) * price[l]
                        if lastOrder[pr] != Int32(i) { lastOrder[pr] = Int32(i); times[pr] += 1 }
                        if lastCustomer[pr] != Int32(c) { lastCustomer[pr] = Int32(c); buyers[pr] += 1 }
                    }
                }
            }
        }}}}}}}

        var ids: [Int] = (0..<productCount).filter { times[$0] > 0 }
        let bought = ids.count
        func key(_ i: Int) -> Int64 {
            switch productSort {
            case .times: return Int64(times[i])
            case .quantity: return quantity[i]
            case .revenue: return lineRevenue[i]
            case .customers: return Int64(buyers[i])
            }
        }
        ids.sort { x, y in
            let kx = key(x), ky = key(y)
            if kx != ky { return kx > ky }
            return s.productIds[x].unicodeScalars.lexicographicallyPrecedes(s.productIds[y].unicodeScalars)
        }
        let products = ids.prefix(max(0, topProducts)).map { i in
            Product(productId: s.productIds[i], name: i < s.productNames.count ? s.productNames[i] : "",
                    timesBought: times[i], quantity: quantity[i],
                    revenue: Money(minorUnits: lineRevenue[i], currency: ctx.currency), customers: buyers[i])
        }
        return AudienceOverview(asOf: ctx.asOf, currency: ctx.currency, audience: a.figures(ctx.currency),
                                all: everyone.figures(ctx.currency), products: products, productSort: productSort,
                                productCount: bought)
    }

    struct Accumulator {
        var customers = 0
        var orders = 0
        var revenue: Int64 = 0
        var items: Int64 = 0
        var lineAmount: Int64 = 0
        var tenureYears = 0.0
        var spanDays = 0.0
        var repeatCustomers = 0
        var gapDays = 0.0

        @inline(__always)
        mutating func add(orders k: Int, revenue rev: Int64, items units: Int64, lineAmount amount: Int64,
                          tenureDays: Double, spanDays span: Double) {
            customers += 1
            orders += k
            revenue += rev
            items += units
            lineAmount += amount
            tenureYears += tenureDays / CustomerProfiles.daysPerYear
            spanDays += span
            if k >= 2 {
                repeatCustomers += 1
                gapDays += span / Double(k - 1)
            }
        }

        func figures(_ currency: Currency) -> Figures {
            func money(_ v: Int64?) -> Money? { v.map { Money(minorUnits: $0, currency: currency) } }
            let n = Double(customers)
            return Figures(
                revenue: Money(minorUnits: revenue, currency: currency), customers: customers, orders: orders, items: items,
                averageItemPrice: money(Money.roundedQuotient(lineAmount, items)),
                lifetimeValue: money(Money.roundedQuotient(revenue, Int64(customers))),
                orderValue: money(Money.roundedQuotient(revenue, Int64(orders))),
                basketSize: orders == 0 ? nil : Double(items) / Double(orders),
                revenuePerYear: customers == 0 ? nil : money(Int64((Double(revenue) / tenureYears).rounded(.toNearestOrAwayFromZero))),
                lifetimeDays: customers == 0 ? nil : spanDays / n,
                daysBetweenOrders: repeatCustomers == 0 ? nil : gapDays / Double(repeatCustomers),
                ordersPerYear: customers == 0 ? nil : Double(orders) / tenureYears)
        }
    }
}
