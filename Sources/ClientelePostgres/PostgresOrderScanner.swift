import ClienteleCore
import ClienteleStore
import PostgresNIO

/// Streams a shop's orders in ascending id (by bytes): one statement joining `orders` to `order_lines` in
/// (order id, line number) order — a merge of the two primary keys, no sort — whose rows are grouped back into
/// orders as they arrive. Cells are read from their binary form without the generic decoders.
enum PostgresOrderScanner {
    static func scan(_ connection: PostgresConnection, shopId: Int64, logger: Logger,
                     _ body: (Order) throws -> Void) async throws {
        let rows = try await connection.query("""
            SELECT o.id, o.placed_at, o.customer_id, o.email, o.status, o.currency, o.total, o.refunded, o.shop_total,
                   o.shop_refunded, o.rate, o.country,
                   l.product_id, l.product_name, l.quantity, l.unit_price, l.returned_quantity
            FROM orders o LEFT JOIN order_lines l ON l.shop_id = o.shop_id AND l.order_id = o.id
            WHERE o.shop_id = \(shopId)
            ORDER BY o.id, l.line_no
            """, logger: logger)
        var current: Order? = nil
        var lastCurrency: Currency? = nil
        var cells: [PostgresCell] = []
        cells.reserveCapacity(17)
        for try await row in rows {
            cells.removeAll(keepingCapacity: true)
            cells.append(contentsOf: row)
            guard cells.count == 17 else { throw StoreError(.corruptData, "the database returned an unexpected row") }
            if current == nil || !cells[0].textEquals(current!.id) {
                if let finished = current { try body(finished) }
                current = try order(cells, lastCurrency: &lastCurrency)
            }
            if cells[12].bytes != nil {
                current!.lines.append(OrderLine(productId: cells[12].string ?? "", productName: cells[13].string ?? "",
                                                quantity: cells[14].int64 ?? 0, unitPrice: cells[15].int64 ?? 0,
                                                returnedQuantity: cells[16].int64 ?? 0))
            }
        }
        if let finished = current { try body(finished) }
    }

    /// The order of a row's first twelve cells, without lines.
    private static func order(_ c: [PostgresCell], lastCurrency: inout Currency?) throws -> Order {
        let id = c[0].string ?? ""
        let currency: Currency
        if let last = lastCurrency, c[5].textEquals(last.code) {
            currency = last
        } else {
            let code = c[5].string ?? ""
            guard let parsed = Currency(code: code) else {
                throw StoreError(.corruptData, "order \"\(id)\" has an unknown currency \"\(code)\"")
            }
            currency = parsed
            lastCurrency = parsed
        }
        let status: OrderStatus
        if c[4].textEquals("placed") {
            status = .placed
        } else if c[4].textEquals("cancelled") {
            status = .cancelled
        } else {
            throw StoreError(.corruptData, "order \"\(id)\" has an unknown status")
        }
        guard let placedAt = c[1].int64, let total = c[6].int64, let refunded = c[7].int64,
              let shopTotal = c[8].int64, let shopRefunded = c[9].int64 else {
            throw StoreError(.corruptData, "order \"\(id)\" has a missing number")
        }
        return Order(id: id, placedAt: Instant(seconds: placedAt), customerId: c[2].string, email: c[3].string,
                     status: status, currency: currency, total: total, refunded: refunded, shopTotal: shopTotal,
                     shopRefunded: shopRefunded, rate: c[10].string, country: c[11].string)
    }
}
