import ClienteleCore
import ClienteleStore
internal import GRDB

/// `replaceOrders` for SQLite: one immediate write transaction; cached, multi-row prepared `INSERT`s bound
/// through the raw SQLite API (GRDB's `StatementArguments` allocate per value); a larger page cache for the
/// duration (journal mode stays WAL, synchronous stays NORMAL). No secondary indexes: every read path walks
/// a primary key. When the shop has no orders yet it only inserts; otherwise it looks up each
/// order id, counts identical orders as unchanged and deletes-then-inserts the changed ones (their lines go
/// with `ON DELETE CASCADE`). Product rows are kept in step with per-product line counts.
enum BulkWriter {
    /// Page cache for the bulk load (KiB, as `PRAGMA cache_size` takes negative values); restored afterwards.
    static let bulkCacheKiB = 32_768

    static func replace(_ orders: [Order], in db: Database, shopId: Int64) throws -> ReplaceSummary {
        let previousCache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -\(bulkCacheKiB)")
        defer {
            try? db.execute(sql: "PRAGMA cache_size = \(previousCache)")
            db.releaseMemory()
        }
        // Into a shop with no orders yet, nothing is deleted, so no cascade is needed and every line is
        // inserted right after its own order: the per-line foreign-key lookup can be skipped (about a fifth
        // of the insert time). The pragma only takes effect outside a transaction; if the shop turns out to
        // hold orders once the transaction has begun (another writer got in between), the batch is rolled
        // back and written again with the keys checked.
        let fresh = try Writer.shopIsEmpty(db, shopId: shopId)
        if fresh { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
        defer { if fresh { try? db.execute(sql: "PRAGMA foreign_keys = ON") } }
        var summary = ReplaceSummary()
        var retry = false
        try db.inTransaction(.immediate) {
            if fresh, try !Writer.shopIsEmpty(db, shopId: shopId) {
                retry = true
                return .rollback
            }
            var writer = try Writer(db: db, shopId: shopId)
            summary = try writer.replace(orders)
            if summary.inserted + summary.replaced > 0 { try SQLiteSchema.bumpRevision(db) }
            return .commit
        }
        if retry {
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.inTransaction(.immediate) {
                var writer = try Writer(db: db, shopId: shopId)
                summary = try writer.replace(orders)
                if summary.inserted + summary.replaced > 0 { try SQLiteSchema.bumpRevision(db) }
                return .commit
            }
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
        /// Rows per multi-row `INSERT`: fewer statement executions (≈ 25 % faster than one row per statement).
        static let ordersPerStatement = 32
        static let linesPerStatement = 64
        static let orderColumns: Int32 = 12
        static let lineColumns: Int32 = 7

        let db: Database
        let shopId: Int64
        // The GRDB statements own the SQLite handles; keep them alive while the raw handles are used.
        private let statements: [Statement]
        private let insertOrder: RawStatement
        private let insertOrders: RawStatement
        private let insertLine: RawStatement
        private let insertLines: RawStatement
        private var products: [ByteString: ProductDelta] = [:]
        private var pendingLines: [(order: Int, line: Int)] = []

        init(db: Database, shopId: Int64) throws {
            self.db = db
            self.shopId = shopId
            let orderColumns = """
                INSERT INTO orders (shop_id, id, placed_at, customer_id, email, status, currency, total, refunded,
                                    shop_total, shop_refunded, rate, country) VALUES
                """
            let lineColumns = """
                INSERT INTO order_lines (shop_id, order_id, line_no, product_id, product_name, quantity, unit_price,
                                         returned_quantity) VALUES
                """
            let order = try db.cachedStatement(sql: orderColumns + Self.placeholders(rows: 1, columns: Self.orderColumns))
            let orders = try db.cachedStatement(sql: orderColumns + Self.placeholders(
                rows: Self.ordersPerStatement, columns: Self.orderColumns))
            let line = try db.cachedStatement(sql: lineColumns + Self.placeholders(rows: 1, columns: Self.lineColumns))
            let lines = try db.cachedStatement(sql: lineColumns + Self.placeholders(
                rows: Self.linesPerStatement, columns: Self.lineColumns))
            statements = [order, orders, line, lines]
            insertOrder = RawStatement(handle: order.sqliteStatement)
            insertOrders = RawStatement(handle: orders.sqliteStatement)
            insertLine = RawStatement(handle: line.sqliteStatement)
            insertLines = RawStatement(handle: lines.sqliteStatement)
            for raw in [insertOrder, insertOrders, insertLine, insertLines] {
                raw.reset()
                raw.bind(1, shopId)
            }
        }

        /// `(?1, ?2, …), (?1, ?k, …)`: the shop id is parameter 1 in every row.
        static func placeholders(rows: Int, columns: Int32) -> String {
            (0..<rows).map { row in
                "(?1, " + (0..<columns).map { "?\(2 + Int32(row) * columns + $0)" }.joined(separator: ", ") + ")"
            }.joined(separator: ", ")
        }

        /// Whether the shop holds no order.
        static func shopIsEmpty(_ db: Database, shopId: Int64) throws -> Bool {
            try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM orders WHERE shop_id = ?)",
                                arguments: [shopId]) ?? false)
        }

        mutating func replace(_ orders: [Order]) throws -> ReplaceSummary {
            let isEmpty = try Self.shopIsEmpty(db, shopId: shopId)
            var summary = ReplaceSummary()
            if isEmpty {
                // Fast path: nothing to compare with; a repeated id fails on the primary key. Inserting in
                // primary-key order appends to the B-trees instead of splitting pages all over them.
                let sorted = orders.indices.sorted { StoreContent.precedes(orders[$0].id, orders[$1].id) }
                try insert(orders, sorted)
                summary.inserted = orders.count
            } else {
                var seen = Set<ByteString>(minimumCapacity: orders.count)
                for order in orders where !seen.insert(ByteString(order.id)).inserted {
                    throw StoreContent.duplicateError(order.id)
                }
                let lookup = try Lookup(db: db, shopId: shopId)
                var toInsert: [Int] = []
                for (index, order) in orders.enumerated() {
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
                    toInsert.append(index)
                }
                try insert(orders, toInsert)
            }
            try updateProducts()
            return summary
        }

        /// Inserts `orders[i]` for each `i` of `indices`, a chunk of orders at a time followed by their lines
        /// (a line's order must exist first).
        private mutating func insert(_ orders: [Order], _ indices: some Collection<Int>) throws {
            var chunk: [Int] = []
            chunk.reserveCapacity(Self.ordersPerStatement)
            for index in indices {
                chunk.append(index)
                if chunk.count == Self.ordersPerStatement {
                    try insertChunk(orders, chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            if !chunk.isEmpty { try insertChunk(orders, chunk) }
        }

        private mutating func insertChunk(_ orders: [Order], _ chunk: [Int]) throws {
            do {
                if chunk.count == Self.ordersPerStatement {
                    let o = insertOrders
                    o.reset()
                    for (row, index) in chunk.enumerated() {
                        Self.bind(orders[index], to: o, at: 2 + Int32(row) * Self.orderColumns)
                    }
                    _ = try o.step()
                } else {
                    let o = insertOrder
                    for index in chunk {
                        o.reset()
                        Self.bind(orders[index], to: o, at: 2)
                        _ = try o.step()
                    }
                }
                // Lines go into a full multi-row statement 64 at a time; the rest one per statement.
                pendingLines.removeAll(keepingCapacity: true)
                for index in chunk {
                    let order = orders[index]
                    for (number, line) in order.lines.enumerated() {
                        products[ByteString(line.productId), default: ProductDelta()].add(line)
                        pendingLines.append((index, number))
                        if pendingLines.count == Self.linesPerStatement {
                            let many = insertLines
                            many.reset()
                            for (row, (i, n)) in pendingLines.enumerated() {
                                Self.bind(orders[i].lines[n], number: n, of: orders[i].id, to: many,
                                          at: 2 + Int32(row) * Self.lineColumns)
                            }
                            _ = try many.step()
                            pendingLines.removeAll(keepingCapacity: true)
                        }
                    }
                }
                let one = insertLine
                for (i, n) in pendingLines {
                    one.reset()
                    Self.bind(orders[i].lines[n], number: n, of: orders[i].id, to: one, at: 2)
                    _ = try one.step()
                }
            } catch {
                throw Self.chunkError(error, orders: orders, chunk: chunk)
            }
        }

        @inline(__always)
        private static func bind(_ order: borrowing Order, to o: RawStatement, at first: Int32) {
            o.bind(first, order.id)
            o.bind(first + 1, order.placedAt.seconds)
            o.bind(first + 2, order.customerId)
            o.bind(first + 3, order.email)
            o.bind(first + 4, order.status.rawValue)
            o.bind(first + 5, order.currency.code)
            o.bind(first + 6, order.total)
            o.bind(first + 7, order.refunded)
            o.bind(first + 8, order.shopTotal)
            o.bind(first + 9, order.shopRefunded)
            o.bind(first + 10, order.rate)
            o.bind(first + 11, order.country)
        }

        @inline(__always)
        private static func bind(_ line: borrowing OrderLine, number: Int, of orderId: String, to l: RawStatement,
                                 at first: Int32) {
            l.bind(first, orderId)
            l.bind(first + 1, Int64(number))
            l.bind(first + 2, line.productId)
            l.bind(first + 3, line.productName)
            l.bind(first + 4, line.quantity)
            l.bind(first + 5, line.unitPrice)
            l.bind(first + 6, line.returnedQuantity)
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

        /// Names the order behind a failed multi-row insert: the first repeated id for a primary-key
        /// violation, else the first order of the chunk that breaks a store rule.
        static func chunkError(_ error: any Error, orders: [Order], chunk: [Int]) -> any Error {
            guard let failure = error as? SQLiteFailure, failure.isConstraint else { return error }
            if failure.isPrimaryKeyViolation, let last = chunk.last {
                var seen = Set<ByteString>()
                for order in orders[...last] where !seen.insert(ByteString(order.id)).inserted {
                    return StoreContent.duplicateError(order.id)
                }
            }
            for index in chunk {
                do {
                    try StoreContent.validate(orders[index])
                } catch {
                    return StoreError(.invalidOrder, error.message, underlying: failure.message)
                }
            }
            return StoreError(.invalidOrder, "an order breaks a rule of the database schema",
                              underlying: failure.message)
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

