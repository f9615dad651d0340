import ClienteleCore
import ClienteleStore

/// Small, written-out orders that exercise every field of the model.
enum Fixtures {
    static let dkk = Currency(code: "DKK")!
    static let eur = Currency(code: "EUR")!
    static let jpy = Currency(code: "JPY")!

    /// 2024-03-05T17:22:10Z.
    static let march5 = Instant(seconds: 1_709_659_330)

    static func orders() -> [Order] {
        [
            Order(id: "1001", placedAt: march5, customerId: "c-1", email: "Anna@Example.com", status: .placed,
                  currency: dkk, total: 24_950, refunded: 5_000, country: "DK",
                  lines: [
                    OrderLine(productId: "mug", productName: "Mug", quantity: 2, unitPrice: 7_500, returnedQuantity: 1),
                    OrderLine(productId: "tea", productName: "Green tea, 100 g", quantity: 1, unitPrice: 9_950),
                  ]),
            // Cancelled; e-mail present but empty (not nil); customer id nil.
            Order(id: "1002", placedAt: Instant(seconds: march5.seconds + 3_600), customerId: nil, email: "",
                  status: .cancelled, currency: dkk, total: 9_950,
                  lines: [OrderLine(productId: "tea", productName: "Green tea", quantity: 1, unitPrice: 9_950)]),
            // Foreign currency with its rate; the same product twice under two names; a negative unit price.
            Order(id: "1003", placedAt: Instant(seconds: march5.seconds + 86_400), customerId: "", email: "b@example.org",
                  currency: eur, total: 10_000, refunded: 10_000, shopTotal: 74_600, shopRefunded: 74_600,
                  rate: "7.46", country: "DE",
                  lines: [
                    OrderLine(productId: "mug", productName: "Mug (blue)", quantity: 3, unitPrice: 3_000, returnedQuantity: 3),
                    OrderLine(productId: "mug", productName: "", quantity: 1, unitPrice: 1_000, returnedQuantity: 1),
                    OrderLine(productId: "discount", productName: "Voucher", quantity: 1, unitPrice: -1_000),
                  ]),
            // Anonymous, no lines, zero total, a time before 1970.
            Order(id: "0999", placedAt: Instant(seconds: -86_400), currency: jpy, total: 0),
            // Ids that sort differently by bytes than by Swift's String order or by number; two ids that are
            // canonically equivalent in Unicode but different bytes are two different orders.
            Order(id: "caf\u{E9}", placedAt: march5, customerId: "Kunde Ø", currency: dkk, total: 100,
                  lines: [OrderLine(productId: "\u{E9}clair", productName: "Éclair", quantity: 1, unitPrice: 100)]),
            Order(id: "cafe\u{301}", placedAt: march5, customerId: "Kunde Ø", currency: dkk, total: 200,
                  lines: [OrderLine(productId: "e\u{301}clair", productName: "Éclair", quantity: 2, unitPrice: 100)]),
            Order(id: "Z-1", placedAt: march5, email: "  Padded@Example.com ", currency: dkk, total: 1,
                  lines: [OrderLine(productId: "x", quantity: 1, unitPrice: 1)]),
            Order(id: "10", placedAt: march5, currency: dkk, total: 1,
                  lines: [OrderLine(productId: "x", quantity: 1, unitPrice: 1)]),
            Order(id: "9", placedAt: march5, currency: dkk, total: 1,
                  lines: [OrderLine(productId: "x", quantity: 1, unitPrice: 1)]),
        ]
    }

    /// `orders()` sorted the way every store scans: by the ids' UTF-8 bytes.
    static func ordersInScanOrder() -> [Order] {
        orders().sorted { StoreContent.precedes($0.id, $1.id) }
    }

    /// Distinct product ids in `orders()` (by bytes): mug, tea, discount, éclair ×2 spellings, x.
    static let distinctProducts = 6

    /// `count` generated orders with ids `g000000…`, one to three lines each.
    static func generated(_ count: Int, prefix: String = "g") -> [Order] {
        (0..<count).map { i in generatedOrder(i, prefix: prefix) }
    }

    private static func generatedOrder(_ i: Int, prefix: String) -> Order {
        let number = String(i)
        let id = prefix + String(repeating: "0", count: max(0, 6 - number.count)) + number
        var lines: [OrderLine] = []
        for k in 0...(i % 3) {
            let product = (i * 7 + k) % 50
            lines.append(OrderLine(productId: "p\(product)", productName: "Product \(product)",
                                   quantity: Int64(1 + k), unitPrice: Int64(100 * (k + 1)),
                                   returnedQuantity: k == 2 ? 1 : 0))
        }
        let customerId: String? = i % 5 == 0 ? nil : "cust\(i % 97)"
        let email: String? = i % 2 == 0 ? "c\(i % 97)@example.com" : nil
        let status: OrderStatus = i % 17 == 0 ? .cancelled : .placed
        let total = Int64(1_000 + i)
        let refunded: Int64 = i % 11 == 0 ? 500 : 0
        let country: String? = i % 3 == 0 ? "DK" : nil
        return Order(id: id, placedAt: Instant(seconds: 1_700_000_000 + Int64(i) * 600), customerId: customerId,
                     email: email, status: status, currency: dkk, total: total, refunded: refunded,
                     country: country, lines: lines)
    }

    /// Shop settings with every field away from its default.
    static func customSettings() -> ShopSettings {
        var thresholds = ShopSettings.Thresholds()
        thresholds.repeatRateGreen = 0.1 + 0.2
        thresholds.repeatRateYellow = 0.123456789012345
        thresholds.returningShareGreen = 0.5
        thresholds.returningShareRed = 0.05
        thresholds.returningMaxOrders = 5
        thresholds.topCustomers = 50
        thresholds.newCustomerDays = 14
        thresholds.activeFactor = 1.75
        thresholds.slippingFactor = 2.5
        thresholds.defaultIntervalDays = 60.5
        thresholds.vipTopShare = 0.2
        thresholds.frequentOrdersPerYear = 6
        thresholds.minimumTenureDays = 45
        return ShopSettings(name: "Tebutikken Ø", timeZone: "Europe/Copenhagen", currency: "DKK", locale: "da_DK",
                            thresholds: thresholds)
    }
}
