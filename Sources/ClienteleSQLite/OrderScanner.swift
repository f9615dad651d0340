import ClienteleCore
import ClienteleStore
internal import GRDB

/// Streams a shop's orders in ascending id: one cursor over `orders`, which walks the primary key (no sort),
/// each order's lines unpacked from its row with the shop's product pairs, read first (`LinePacking`).
enum OrderScanner {
    static func scan(_ db: Database, shopId: Int64, _ body: (Order) throws -> Void) throws {
        let pairs = try LineProducts.load(db, shopId: shopId)
        let orderStatement = try db.makeStatement(sql: """
            SELECT id, placed_at, customer_id, email, status, currency, total, refunded, shop_total, shop_refunded,
                   rate, country, lines
            FROM orders WHERE shop_id = ?1 ORDER BY id
            """)
        let o = RawStatement(handle: orderStatement.sqliteStatement)
        o.bind(1, shopId)
        defer { o.reset() }
        var lastCurrency: Currency? = nil
        while try o.step() {
            let id = o.text(0)
            let currency: Currency
            if let last = lastCurrency, o.textEquals(5, last.code) {
                currency = last
            } else {
                let code = o.text(5)
                guard let parsed = Currency(code: code) else {
                    throw StoreError(.corruptData, "order \"\(id)\" has an unknown currency \"\(code)\"")
                }
                currency = parsed
                lastCurrency = parsed
            }
            let status: OrderStatus
            if o.textEquals(4, "placed") {
                status = .placed
            } else if o.textEquals(4, "cancelled") {
                status = .cancelled
            } else {
                throw StoreError(.corruptData, "order \"\(id)\" has an unknown status")
            }
            let order = Order(id: id, placedAt: Instant(seconds: o.int64(1)), customerId: o.optionalText(2),
                              email: o.optionalText(3), status: status, currency: currency, total: o.int64(6),
                              refunded: o.int64(7), shopTotal: o.int64(8), shopRefunded: o.int64(9),
                              rate: o.optionalText(10), country: o.optionalText(11),
                              lines: try LinePacking.lines(o.blobBytes(12), orderId: id, pairs: pairs))
            try body(order)
        }
    }
}
