import ClienteleCore
import ClienteleDemo

/// The default demo shop, generated once for the suite.
enum DemoFixture {
    static let endDate = ShopDate(iso: "2025-06-30")!
    static let shop = DemoShop(endDate: endDate)
    static let generated: (orders: [Order], summary: DemoSummary) = {
        var orders: [Order] = []
        let summary = shop.generate { orders.append($0) }
        return (orders, summary)
    }()
    static var orders: [Order] { generated.orders }
    static var summary: DemoSummary { generated.summary }
    static var placed: [Order] { orders.filter { !$0.isCancelled } }

    /// The median of `values` (mean of the middle two for an even count); `nil` when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }
}
