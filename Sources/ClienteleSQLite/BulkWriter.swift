import ClienteleCore
import ClienteleStore
internal import GRDB

/// `replaceOrders` for SQLite: one immediate write transaction with cached prepared statements bound
/// through the raw SQLite API. When the shop has no orders yet it only inserts; otherwise it looks up each
/// order id, counts identical orders as unchanged and deletes-then-inserts the changed ones (their lines go
/// with `ON DELETE CASCADE`). Product rows are kept in step with per-product line counts.
enum BulkWriter {
    /// Page cache for the bulk load (KiB, as `PRAGMA cache_size` takes negative values); restored afterwards.
    static let bulkCacheKiB = 131_072

    static func replace(_ orders: [Order], in db: Database, shopId: Int64) throws -> ReplaceSummary {
        let previousCache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -\(bulkCacheKiB)")
        defer {
            try? db.execute(sql: "PRAGMA cache_size = \(previousCache)")
            db.releaseMemory()
        }
        var summary = ReplaceSummary()
        try db.inTransaction(.immediate) {
            var writer = try Writer(db: db, shopId: shopId)
            summary = try writer.replace(orders)
            return .commit
        }
        return summary
    }

    /// A product's change within one batch: lines added minus lines removed, and its latest non-empty name.
    struct ProductDelta {
        var lines: Int64 = 0
        var name: String = ""
    }

    enum Existing {
        case absent
        case identical
        case different
    }

    struct Writer {
        let db: Database
        let shopId: Int64
        // The GRDB statements own the SQLite handles; keep them alive while the raw handles are used.
        private let statements: [Statement]
        private let insertOrder: RawStatement
        private let insertLine: RawStatement
        private var products: [ByteString: ProductDelta] = [:]

        init(db: Database, shopId: Int64) throws {
            self.db = db
            self.shopId = shopId
            let order = try db.cachedStatement(sql: """
                INSERT INTO orders (shop_id, id, placed_at, customer_id, email, status, currency, total, refunded,
                                    shop_total, shop_refunded, rate, country)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                """)
            let line = try db.cachedStatement(sql: """
                INSERT INTO order_lines (shop_id, order_id, line_no, product_id, product_name, quantity, unit_price,
                                         returned_quantity)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                """)
            statements = [order, line]
            insertOrder = RawStatement(handle: order.sqliteStatement)
            insertLine = RawStatement(handle: line.sqliteStatement)
            insertOrder.reset()
            insertOrder.bind(1, shopId)
            insertLine.reset()
            insertLine.bind(1, shopId)
        }

        mutating func replace(_ orders: [Order]) throws -> ReplaceSummary {
            let isEmpty = try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM orders WHERE shop_id = ?)",
                                             arguments: [shopId]) ?? false)
            var summary = ReplaceSummary()
            if isEmpty {
                // Fast path: nothing to compare with; a repeated id fails on the primary key.
                for order in orders { try insert(order) }
                summary.inserted = orders.count
            } else {
                var seen = Set<ByteString>(minimumCapacity: orders.count)
                for order in orders where !seen.insert(ByteString(order.id)).inserted {
                    throw StoreContent.duplicateError(order.id)
                }
                let lookup = try Lookup(db: db, shopId: shopId)
                for order in orders {
                    switch try lookup.compare(order) {
                    case .absent:
                        summary.inserted += 1
                    case .identical:
                        summary.unchanged += 1
                        continue
                    case .different:
                        for productId in try lookup.productIds(of: order.id) {
                            products[ByteString(productId), default: ProductDelta()].lines -= 1
                        }
                        try lookup.delete(order.id)
                        summary.replaced += 1
                    }
                    try insert(order)
                }
            }
            try updateProducts()
            return summary
        }

        private mutating func insert(_ order: Order) throws {
            let o = insertOrder
            o.reset()
            o.bind(2, order.id)
            o.bind(3, order.placedAt.seconds)
            o.bind(4, order.customerId)
            o.bind(5, order.email)
            o.bind(6, order.status.rawValue)
            o.bind(7, order.currency.code)
            o.bind(8, order.total)
            o.bind(9, order.refunded)
            o.bind(10, order.shopTotal)
            o.bind(11, order.shopRefunded)
            o.bind(12, order.rate)
            o.bind(13, order.country)
            do {
                _ = try o.step()
            } catch {
                throw Self.orderError(error, id: order.id)
            }
            guard !order.lines.isEmpty else { return }
            let l = insertLine
            l.reset()
            l.bind(2, order.id)
            for (index, line) in order.lines.enumerated() {
                l.reset()
                l.bind(3, Int64(index))
                l.bind(4, line.productId)
                l.bind(5, line.productName)
                l.bind(6, line.quantity)
                l.bind(7, line.unitPrice)
                l.bind(8, line.returnedQuantity)
                do {
                    _ = try l.step()
                } catch {
                    throw Self.orderError(error, id: order.id)
                }
                products[ByteString(line.productId), default: ProductDelta()].add(line)
            }
        }

        /// Applies the batch's product deltas: upserts counts and latest names, drops products left with no line.
        /// (A negative delta only ever meets an existing row: every stored line has its product row. The
        /// inserted value is clamped because SQLite checks `CHECK`s before resolving the conflict.)
        private func updateProducts() throws {
            guard !products.isEmpty else { return }
            let statement = try db.cachedStatement(sql: """
                INSERT INTO products (shop_id, id, name, line_count) VALUES (?1, ?2, ?3, max(?4, 0))
                ON CONFLICT (shop_id, id) DO UPDATE SET
                    name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE products.name END,
                    line_count = products.line_count + ?4
                """)
            let p = RawStatement(handle: statement.sqliteStatement)
            p.reset()
            p.bind(1, shopId)
            var removed = false
            for (id, delta) in products {
                p.reset()
                p.bind(2, id.value)
                p.bind(3, delta.name)
                p.bind(4, delta.lines)
                removed = removed || delta.lines < 0
                do {
                    _ = try p.step()
                } catch {
                    throw StoreError(.corruptData, "the product table disagrees with the stored lines",
                                     underlying: error.message)
                }
            }
            p.reset()
            if removed {
                try db.execute(sql: "DELETE FROM products WHERE shop_id = ? AND line_count = 0", arguments: [shopId])
            }
        }

        static func orderError(_ error: SQLiteFailure, id: String) -> any Error {
            if error.isPrimaryKeyViolation { return StoreContent.duplicateError(id) }
            if error.isConstraint {
                return StoreError(.invalidOrder, "order \"\(id)\" breaks a rule of the database schema",
                                  underlying: error.message)
            }
            return error
        }
    }

    /// Point lookups of stored orders by id, compared column by column without decoding.
    struct Lookup {
        private let statements: [Statement]
        private let order: RawStatement
        private let lines: RawStatement
        private let productIds: RawStatement
        private let delete: RawStatement

        init(db: Database, shopId: Int64) throws {
            let order = try db.cachedStatement(sql: """
                SELECT placed_at, customer_id, email, status, currency, total, refunded, shop_total, shop_refunded,
                       rate, country
                FROM orders WHERE shop_id = ?1 AND id = ?2
                """)
            let lines = try db.cachedStatement(sql: """
                SELECT product_id, product_name, quantity, unit_price, returned_quantity
                FROM order_lines WHERE shop_id = ?1 AND order_id = ?2 ORDER BY line_no
                """)
            let productIds = try db.cachedStatement(sql: """
                SELECT product_id FROM order_lines WHERE shop_id = ?1 AND order_id = ?2
                """)
            let delete = try db.cachedStatement(sql: "DELETE FROM orders WHERE shop_id = ?1 AND id = ?2")
            statements = [order, lines, productIds, delete]
            self.order = RawStatement(handle: order.sqliteStatement)
            self.lines = RawStatement(handle: lines.sqliteStatement)
            self.productIds = RawStatement(handle: productIds.sqliteStatement)
            self.delete = RawStatement(handle: delete.sqliteStatement)
            for raw in [self.order, self.lines, self.productIds, self.delete] {
                raw.reset()
                raw.bind(1, shopId)
            }
        }

        func compare(_ new: Order) throws(SQLiteFailure) -> Existing {
            let o = order
            o.reset()
            defer { o.reset() }
            o.bind(2, new.id)
            guard try o.step() else { return .absent }
            guard o.int64(0) == new.placedAt.seconds,
                  Self.equal(o, 1, new.customerId), Self.equal(o, 2, new.email),
                  o.textEquals(3, new.status.rawValue), o.textEquals(4, new.currency.code),
                  o.int64(5) == new.total, o.int64(6) == new.refunded,
                  o.int64(7) == new.shopTotal, o.int64(8) == new.shopRefunded,
                  Self.equal(o, 9, new.rate), Self.equal(o, 10, new.country) else { return .different }
            let l = lines
            l.reset()
            defer { l.reset() }
            l.bind(2, new.id)
            for line in new.lines {
                guard try l.step(),
                      l.textEquals(0, line.productId), l.textEquals(1, line.productName),
                      l.int64(2) == line.quantity, l.int64(3) == line.unitPrice,
                      l.int64(4) == line.returnedQuantity else { return .different }
            }
            return try l.step() ? .different : .identical
        }

        func productIds(of id: String) throws(SQLiteFailure) -> [String] {
            let p = productIds
            p.reset()
            defer { p.reset() }
            p.bind(2, id)
            var ids: [String] = []
            while try p.step() { ids.append(p.text(0)) }
            return ids
        }

        func delete(_ id: String) throws(SQLiteFailure) {
            let d = delete
            d.reset()
            d.bind(2, id)
            _ = try d.step()
        }

        @inline(__always)
        private static func equal(_ s: RawStatement, _ column: Int32, _ value: String?) -> Bool {
            guard let value else { return s.isNull(column) }
            return !s.isNull(column) && s.textEquals(column, value)
        }
    }
}

extension BulkWriter.ProductDelta {
    @inline(__always)
    mutating func add(_ line: OrderLine) {
        lines += 1
        if !line.productName.isEmpty { name = line.productName }
    }
}
