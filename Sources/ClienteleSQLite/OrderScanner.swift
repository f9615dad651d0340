import ClienteleCore
import ClienteleStore
internal import GRDB

/// Streams a shop's orders in ascending id: one cursor over `orders`, one over `order_lines` in
/// (order_id, line_no) order, merged on the order id. Both walk their primary keys, so neither sorts.
enum OrderScanner {
    static func scan(_ db: Database, shopId: Int64, _ body: (Order) throws -> Void) throws {
        let orderStatement = try db.makeStatement(sql: """
            SELECT id, placed_at, customer_id, email, status, currency, total, refunded, shop_total, shop_refunded,
                   rate, country
            FROM orders WHERE shop_id = ?1 ORDER BY id
            """)
        let lineStatement = try db.makeStatement(sql: """
            SELECT order_id, product_id, product_name, quantity, unit_price, returned_quantity
            FROM order_lines WHERE shop_id = ?1 ORDER BY order_id, line_no
            """)
        let o = RawStatement(handle: orderStatement.sqliteStatement)
        let l = RawStatement(handle: lineStatement.sqliteStatement)
        o.bind(1, shopId)
        l.bind(1, shopId)
        defer {
            o.reset()
            l.reset()
        }
        var haveLine = try l.step()
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
            var order = Order(id: id, placedAt: Instant(seconds: o.int64(1)), customerId: o.optionalText(2),
                              email: o.optionalText(3), status: status, currency: currency, total: o.int64(6),
                              refunded: o.int64(7), shopTotal: o.int64(8), shopRefunded: o.int64(9),
                              rate: o.optionalText(10), country: o.optionalText(11))
            // Lines are sorted by the same bytes as orders; every line has its order (foreign key).
            while haveLine && l.textEquals(0, id) {
                order.lines.append(OrderLine(productId: l.text(1), productName: l.text(2), quantity: l.int64(3),
                                             unitPrice: l.int64(4), returnedQuantity: l.int64(5)))
                haveLine = try l.step()
            }
            try body(order)
        }
    }
}
