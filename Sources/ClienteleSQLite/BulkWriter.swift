import ClienteleCore
import ClienteleStore
internal import GRDB
import Foundation

/// `replaceOrders` for SQLite: one immediate write transaction; cached, multi-row prepared `INSERT`s bound
/// through the raw SQLite API (GRDB's `StatementArguments` allocate per value, and text is bound from a
/// scratch arena without SQLite copying it); a larger page cache for the duration (journal mode stays WAL,
/// synchronous stays NORMAL). No secondary indexes: every read path walks a primary key. When the shop has
/// no orders yet it only inserts; otherwise it looks up each order id, counts identical orders as unchanged
/// and deletes-then-inserts the changed ones (their lines explicitly, so that the same code is right with
/// foreign keys on or off). Product rows are kept in step with per-product line counts.
enum BulkWriter {
    /// Page cache for the bulk load (KiB, as `PRAGMA cache_size` takes negative values); restored afterwards.
    static let bulkCacheKiB = 65_536

    /// Inserts or replaces `orders` (a repeated id is an error) in one transaction.
    static func replace(_ orders: [Order], in db: Database, shopId: Int64) throws -> ReplaceSummary {
        try withBulkTransaction(db, shopId: shopId) { writer, empty in
            try writer.replace(orders, empty: empty)
        }
    }

    /// Writes every batch of `source` in one transaction (see `OrderStore.replaceOrders(streaming:)`); rolls
    /// back when the source fails or a batch cannot be written. Closes the source when done.
    static func replace(streaming source: OrderBatchSource, in db: Database, shopId: Int64) throws -> ReplaceSummary {
        defer { source.close() }
        return try withBulkTransaction(db, shopId: shopId) { writer, empty in
            var summary = ReplaceSummary()
            if empty {
                while let batch = try source.next() {
                    summary.inserted += try writer.insertFresh(batch)
                }
            } else {
                var session = Session()
                defer { session.drop(db) }
                while let batch = try source.next() {
                    try writer.merge(batch.orders, session: &session)
                }
                summary = session.summary
            }
            return summary
        }
    }

    /// Runs `body` with a `Writer` inside one immediate transaction, with the bulk page cache and, when the
    /// shop looks empty, without per-line foreign-key lookups (about a fifth of the insert time: every line is
    /// written by this transaction right after its own order; the pragma only takes effect outside a
    /// transaction). `body` is told whether the shop holds no order, checked inside the transaction. Product
    /// counts and the revision are updated before the commit.
    private static func withBulkTransaction(_ db: Database, shopId: Int64,
                                            _ body: (inout Writer, Bool) throws -> ReplaceSummary) throws -> ReplaceSummary {
        let previousCache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -\(bulkCacheKiB)")
        defer {
            try? db.execute(sql: "PRAGMA cache_size = \(previousCache)")
            db.releaseMemory()
        }
        let fresh = try Writer.shopIsEmpty(db, shopId: shopId)
        if fresh { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
        defer { if fresh { try? db.execute(sql: "PRAGMA foreign_keys = ON") } }
        var summary = ReplaceSummary()
        try db.inTransaction(.immediate) {
            // Another writer may have got in between: the emptiness that counts is the one seen here. (Deletes
            // remove lines explicitly, so the foreign-key setting only decides whether lines are checked.)
            let empty = try Writer.shopIsEmpty(db, shopId: shopId)
            var writer = try Writer(db: db, shopId: shopId)
            defer { writer.clearBindings() }
            summary = try body(&writer, empty)
            try SQLiteOrderStore.eraseForgottenAgain(db, shopId: shopId)
            try writer.updateProducts()
            if summary.inserted + summary.replaced > 0 { try SQLiteSchema.bumpRevision(db, shopId: shopId) }
            return .commit
        }
        return summary
    }

    enum Existing {
        case absent
        case identical
        case different
    }

    /// What a streaming write into a shop with orders knows about each id it has seen, so that an id sent
    /// again is compared with what the store held before the write, and counted once.
    struct Session {
        enum Origin {
            /// The store did not hold the id.
            case absent
            /// The stored row is still the one the store held before (identical to every version sent).
            case stored
            /// The store's row was replaced; the original is kept in the temporary tables.
            case saved(identical: Bool)
        }

        var ids: [ByteString: Origin] = [:]
        var summary = ReplaceSummary()
        var savedTables = false
        /// Orders of the current batch accepted for insertion but not written yet.
        var pending: [Int] = []

        static let originalOrders = "clientele_original_orders"
        static let originalLines = "clientele_original_lines"

        /// Creates the temporary tables that keep replaced originals (once per write).
        mutating func prepareSaving(_ db: Database) throws {
            guard !savedTables else { return }
            try db.execute(sql: """
                CREATE TEMP TABLE IF NOT EXISTS \(Self.originalOrders) AS SELECT * FROM main.orders WHERE 0;
                CREATE INDEX IF NOT EXISTS temp.\(Self.originalOrders)_id ON \(Self.originalOrders) (shop_id, id);
                CREATE TEMP TABLE IF NOT EXISTS \(Self.originalLines) AS SELECT * FROM main.order_lines WHERE 0;
                CREATE INDEX IF NOT EXISTS temp.\(Self.originalLines)_id
                    ON \(Self.originalLines) (shop_id, order_id, line_no);
                """)
            savedTables = true
        }

        /// Drops the temporary tables (after the commit or the rollback).
        func drop(_ db: Database) {
            guard savedTables else { return }
            try? db.execute(sql: "DROP TABLE IF EXISTS temp.\(Self.originalOrders); DROP TABLE IF EXISTS temp.\(Self.originalLines)")
        }
    }

    struct Writer {
        /// Rows per multi-row `INSERT`: fewer statement executions (≈ 25 % faster than one row per statement);
        /// the remainder of a batch goes into the smaller statements, largest first.
        static let orderRowCounts = [32, 8, 1]
        static let lineRowCounts = [64, 16, 4, 1]
        static let orderColumns: Int32 = 12
        static let lineColumns: Int32 = 7

        let db: Database
        let shopId: Int64
        // The GRDB statements own the SQLite handles; keep them alive while the raw handles are used.
        private let statements: [Statement]
        /// Order inserts of `orderRowCounts[i]` rows.
        private let insertOrders: [RawStatement]
        /// Line inserts of `lineRowCounts[i]` rows.
        private let insertLines: [RawStatement]
        private let selectProductIds: RawStatement
        private let deleteLines: RawStatement
        private let deleteOrder: RawStatement
        private var mainLookup: Lookup?
        private var savedLookup: Lookup?
        private var saveOrder: RawStatement?
        private var saveLines: RawStatement?
        private var products = ProductCounts()
        private let arena = TextArena()
        /// Statements prepared later, kept alive like `statements`.
        private var held: [Statement] = []

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
            var statements: [Statement] = []
            var orders: [RawStatement] = []
            for rows in Self.orderRowCounts {
                let s = try db.cachedStatement(sql: orderColumns + Self.placeholders(rows: rows, columns: Self.orderColumns))
                statements.append(s)
                orders.append(RawStatement(handle: s.sqliteStatement))
            }
            var lines: [RawStatement] = []
            for rows in Self.lineRowCounts {
                let s = try db.cachedStatement(sql: lineColumns + Self.placeholders(rows: rows, columns: Self.lineColumns))
                statements.append(s)
                lines.append(RawStatement(handle: s.sqliteStatement))
            }
            let productIds = try db.cachedStatement(sql: "SELECT product_id FROM order_lines WHERE shop_id = ?1 AND order_id = ?2")
            let deleteLines = try db.cachedStatement(sql: "DELETE FROM order_lines WHERE shop_id = ?1 AND order_id = ?2")
            let deleteOrder = try db.cachedStatement(sql: "DELETE FROM orders WHERE shop_id = ?1 AND id = ?2")
            statements += [productIds, deleteLines, deleteOrder]
            self.statements = statements
            insertOrders = orders
            insertLines = lines
            selectProductIds = RawStatement(handle: productIds.sqliteStatement)
            self.deleteLines = RawStatement(handle: deleteLines.sqliteStatement)
            self.deleteOrder = RawStatement(handle: deleteOrder.sqliteStatement)
            for raw in orders + lines + [selectProductIds, self.deleteLines, self.deleteOrder] {
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

        /// Unbinds every text bound from the arena (SQLite keeps bindings after a statement ran).
        func clearBindings() {
            for raw in insertOrders + insertLines { raw.clearBindings() }
        }

        // MARK: One batch, all or nothing

        mutating func replace(_ orders: [Order], empty: Bool) throws -> ReplaceSummary {
            var summary = ReplaceSummary()
            if empty {
                // Nothing to compare with; a repeated id fails on the primary key. Inserting in primary-key
                // order appends to the B-trees instead of splitting pages all over them.
                let sorted = orders.indices.sorted { StoreContent.precedes(orders[$0].id, orders[$1].id) }
                try orders.withUnsafeBufferPointer { all in
                    do {
                        try insertOrderRows(all, sorted)
                    } catch {
                        throw Self.chunkError(error, orders: orders, chunk: sorted)
                    }
                    try insertLineRows(all, sorted)
                }
                summary.inserted = orders.count
            } else {
                var seen = Set<ByteString>(minimumCapacity: orders.count)
                for order in orders where !seen.insert(ByteString(order.id)).inserted {
                    throw StoreContent.duplicateError(order.id)
                }
                let lookup = try self.makeLookup()
                var toInsert: [Int] = []
                for (index, order) in orders.enumerated() {
                    switch try lookup.compare(order) {
                    case .absent:
                        summary.inserted += 1
                    case .identical:
                        summary.unchanged += 1
                        continue
                    case .different:
                        try delete(order.id)
                        summary.replaced += 1
                    }
                    toInsert.append(index)
                }
                try insert(orders, toInsert)
            }
            return summary
        }

        // MARK: Streaming

        /// Inserts a batch into a shop that held no order when the write began; returns how many ids are new
        /// to the shop. An id already written by this transaction (sent again) fails on the primary key: then
        /// the rest of the batch goes one order at a time, replacing the earlier order. Text is bound straight
        /// from the batch's bytes.
        mutating func insertFresh(_ batch: OrderBatch) throws -> Int {
            try batch.text.withUnsafeBufferPointer { text in
                try batch.orderFields.withUnsafeBufferPointer { orderFields in
                    try batch.lineFields.withUnsafeBufferPointer { lineFields in
                        let packed = Packed(text: text, orders: orderFields, lines: lineFields)
                        let all = 0..<batch.count
                        var done = 0
                        do {
                            try insertOrderRows(packed, all, progress: &done)
                        } catch let failure as SQLiteFailure where failure.isPrimaryKeyViolation {
                            // Orders before `done` are in; their lines go in first, then the rest one by one.
                            try insertLineRows(packed, 0..<done, batch: batch)
                            var inserted = done
                            for index in done..<batch.count {
                                if try insertOrReplaceSent(packed, index, batch: batch) { inserted += 1 }
                            }
                            return inserted
                        } catch {
                            throw Self.chunkError(error, orders: batch.orders, chunk: Array(all))
                        }
                        try insertLineRows(packed, all, batch: batch)
                        return batch.count
                    }
                }
            }
        }

        /// Inserts one order and its lines; when its id is already stored (written by this transaction), the
        /// stored order and its lines are deleted first. Returns whether the id was new.
        private mutating func insertOrReplaceSent(_ packed: Packed, _ index: Int, batch: OrderBatch) throws -> Bool {
            var new = true
            var done = 0
            do {
                try insertOrderRows(packed, index..<index + 1, progress: &done)
            } catch let failure as SQLiteFailure where failure.isPrimaryKeyViolation {
                try delete(batch.id(at: index))
                do {
                    try insertOrderRows(packed, index..<index + 1, progress: &done)
                } catch {
                    throw Self.chunkError(error, orders: batch.orders, chunk: [index])
                }
                new = false
            } catch {
                throw Self.chunkError(error, orders: batch.orders, chunk: [index])
            }
            try insertLineRows(packed, index..<index + 1, batch: batch)
            return new
        }

        /// Inserts the order rows of packed orders `range`: full multi-row statements, then the rest; `done`
        /// counts the rows inserted so far (a failed statement inserted none of its rows).
        private func insertOrderRows(_ p: Packed, _ range: Range<Int>, progress done: inout Int) throws {
            var next = range.lowerBound
            for (k, rows) in Self.orderRowCounts.enumerated() {
                let s = insertOrders[k]
                while range.upperBound - next >= rows {
                    s.reset()
                    for row in 0..<rows {
                        bind(p, order: next, to: s, at: 2 + Int32(row) * Self.orderColumns)
                        next += 1
                    }
                    _ = try s.step()
                    done += rows
                }
            }
        }

        /// Inserts the lines of packed orders `range` (contiguous in the batch), counting them per product.
        private mutating func insertLineRows(_ p: Packed, _ range: Range<Int>, batch: OrderBatch) throws {
            do {
                try insertLineRowsUnchecked(p, range)
            } catch {
                throw Self.chunkError(error, orders: batch.orders, chunk: Array(range))
            }
        }

        private mutating func insertLineRowsUnchecked(_ p: Packed, _ range: Range<Int>) throws {
            guard !range.isEmpty else { return }
            let F = OrderBatch.OrderField.self
            let L = OrderBatch.LineField.self
            let firstLine = Int(p.orders[range.lowerBound * F.count + F.firstLine])
            let last = (range.upperBound - 1) * F.count
            var total = Int(p.orders[last + F.firstLine] + p.orders[last + F.lineCount]) - firstLine
            guard total > 0 else { return }
            var k = 0
            while Self.lineRowCounts[k] > total { k += 1 }
            var rows = Self.lineRowCounts[k]
            var s = insertLines[k]
            var row = 0
            s.reset()
            for i in range {
                let o = i * F.count
                let orderId = p.orders[o + F.id]
                let first = Int(p.orders[o + F.firstLine])
                for n in 0..<Int(p.orders[o + F.lineCount]) {
                    let l = (first + n) * L.count
                    products.add(p.text(p.lines[l + L.productId]), name: p.text(p.lines[l + L.productName]))
                    let at = 2 + Int32(row) * Self.lineColumns
                    p.bind(orderId, to: s, at: at)
                    s.bind(at + 1, Int64(n))
                    p.bind(p.lines[l + L.productId], to: s, at: at + 2)
                    p.bind(p.lines[l + L.productName], to: s, at: at + 3)
                    s.bind(at + 4, p.lines[l + L.quantity])
                    s.bind(at + 5, p.lines[l + L.unitPrice])
                    s.bind(at + 6, p.lines[l + L.returnedQuantity])
                    row += 1
                    total -= 1
                    if row == rows {
                        _ = try s.step()
                        if total > 0 {
                            while Self.lineRowCounts[k] > total { k += 1 }
                            rows = Self.lineRowCounts[k]
                            s = insertLines[k]
                            s.reset()
                        }
                        row = 0
                    }
                }
            }
        }

        @inline(__always)
        private func bind(_ p: Packed, order i: Int, to s: RawStatement, at first: Int32) {
            let F = OrderBatch.OrderField.self
            let o = i * F.count
            p.bind(p.orders[o + F.id], to: s, at: first)
            s.bind(first + 1, p.orders[o + F.placedAt])
            p.bind(p.orders[o + F.customerId], to: s, at: first + 2)
            p.bind(p.orders[o + F.email], to: s, at: first + 3)
            s.bind(first + 4, p.orders[o + F.status] == 1 ? OrderStatus.cancelled : .placed)
            p.bind(p.orders[o + F.currency], to: s, at: first + 5)
            s.bind(first + 6, p.orders[o + F.total])
            s.bind(first + 7, p.orders[o + F.refunded])
            s.bind(first + 8, p.orders[o + F.shopTotal])
            s.bind(first + 9, p.orders[o + F.shopRefunded])
            p.bind(p.orders[o + F.rate], to: s, at: first + 10)
            p.bind(p.orders[o + F.country], to: s, at: first + 11)
        }

        /// Merges a batch into a shop that held orders when the write began (see `Session`).
        mutating func merge(_ batch: [Order], session: inout Session) throws {
            let lookup = try self.makeLookup()
            session.pending.removeAll(keepingCapacity: true)
            for (index, order) in batch.enumerated() {
                let key = ByteString(order.id)
                guard let origin = session.ids[key] else {
                    switch try lookup.compare(order) {
                    case .absent:
                        session.summary.inserted += 1
                        session.ids[key] = .absent
                    case .identical:
                        session.summary.unchanged += 1
                        session.ids[key] = .stored
                        continue
                    case .different:
                        try save(order.id, session: &session)
                        try delete(order.id)
                        session.summary.replaced += 1
                        session.ids[key] = .saved(identical: false)
                    }
                    session.pending.append(index)
                    continue
                }
                // Sent again: write what is pending first, so that the earlier order is in the tables.
                try insert(batch, session.pending)
                session.pending.removeAll(keepingCapacity: true)
                switch origin {
                case .absent:
                    try delete(order.id)
                case .stored:
                    guard try lookup.compare(order) == .different else { continue }
                    try save(order.id, session: &session)
                    try delete(order.id)
                    session.summary.unchanged -= 1
                    session.summary.replaced += 1
                    session.ids[key] = .saved(identical: false)
                case .saved(let wasIdentical):
                    let identical = try savedLookup!.compare(order) == .identical
                    if identical != wasIdentical {
                        session.summary.unchanged += identical ? 1 : -1
                        session.summary.replaced += identical ? -1 : 1
                        session.ids[key] = .saved(identical: identical)
                    }
                    try delete(order.id)
                }
                session.pending.append(index)
            }
            try insert(batch, session.pending)
            session.pending.removeAll(keepingCapacity: true)
        }

        /// Copies the stored order `id` and its lines into the session's temporary tables.
        private mutating func save(_ id: String, session: inout Session) throws {
            if saveOrder == nil {
                try session.prepareSaving(db)
                let order = try db.cachedStatement(sql: """
                    INSERT INTO temp.\(Session.originalOrders) SELECT * FROM main.orders WHERE shop_id = ?1 AND id = ?2
                    """)
                let lines = try db.cachedStatement(sql: """
                    INSERT INTO temp.\(Session.originalLines) SELECT * FROM main.order_lines
                    WHERE shop_id = ?1 AND order_id = ?2
                    """)
                saveOrder = RawStatement(handle: order.sqliteStatement)
                saveLines = RawStatement(handle: lines.sqliteStatement)
                savedLookup = try Lookup(db: db, shopId: shopId, orders: "temp." + Session.originalOrders,
                                         lines: "temp." + Session.originalLines)
                held += [order, lines]
            }
            for s in [saveOrder!, saveLines!] {
                s.reset()
                s.bind(1, shopId)
                s.bind(2, id)
                _ = try s.step()
                s.reset()
            }
        }

        private mutating func makeLookup() throws -> Lookup {
            if let mainLookup { return mainLookup }
            let made = try Lookup(db: db, shopId: shopId, orders: "main.orders", lines: "main.order_lines")
            mainLookup = made
            return made
        }

        // MARK: Rows

        /// Deletes the stored order `id` and its lines, taking its lines off the product counts.
        private mutating func delete(_ id: String) throws {
            let p = selectProductIds
            p.reset()
            p.bind(2, id)
            while try p.step() { products.remove(p, column: 0) }
            p.reset()
            for s in [deleteLines, deleteOrder] {
                s.reset()
                s.bind(2, id)
                _ = try s.step()
                s.reset()
            }
        }

        /// Inserts `orders[i]` for each `i` of `indices` with their lines (a line's order first).
        private mutating func insert(_ orders: [Order], _ indices: [Int]) throws {
            guard !indices.isEmpty else { return }
            try orders.withUnsafeBufferPointer { all in
                do {
                    try insertOrderRows(all, indices)
                } catch {
                    throw Self.chunkError(error, orders: orders, chunk: indices)
                }
                try insertLineRows(all, indices)
            }
        }

        /// Inserts the order rows of `orders[i]`, `i` in `indices`: full multi-row statements, then the rest.
        private mutating func insertOrderRows(_ orders: UnsafeBufferPointer<Order>, _ indices: some Collection<Int>) throws {
            var done = 0
            try insertOrderRows(orders, indices, progress: &done)
        }

        /// As above; `done` counts the rows inserted so far (a failed statement inserted none of its rows).
        private mutating func insertOrderRows(_ orders: UnsafeBufferPointer<Order>, _ indices: some Collection<Int>,
                                              progress done: inout Int) throws {
            var it = indices.makeIterator()
            var left = indices.count
            for (k, rows) in Self.orderRowCounts.enumerated() {
                let s = insertOrders[k]
                while left >= rows {
                    s.reset()
                    arena.reset()
                    for row in 0..<rows {
                        bind(orders[it.next()!], to: s, at: 2 + Int32(row) * Self.orderColumns)
                    }
                    _ = try s.step()
                    left -= rows
                    done += rows
                }
            }
        }

        /// Inserts the lines of `orders[i]`, `i` in `indices`, counting them per product (a failed insert names
        /// the first order in `indices` that breaks a store rule).
        private mutating func insertLineRows(_ orders: UnsafeBufferPointer<Order>, _ indices: some Collection<Int>) throws {
            do {
                try insertLineRowsUnchecked(orders, indices)
            } catch {
                throw Self.chunkError(error, orders: Array(orders), chunk: Array(indices))
            }
        }

        private mutating func insertLineRowsUnchecked(_ orders: UnsafeBufferPointer<Order>,
                                                      _ indices: some Collection<Int>) throws {
            var total = 0
            for i in indices { total += orders[i].lines.count }
            guard total > 0 else { return }
            var k = 0
            while Self.lineRowCounts[k] > total { k += 1 }
            var rows = Self.lineRowCounts[k]
            var s = insertLines[k]
            var row = 0
            s.reset()
            arena.reset()
            for i in indices {
                let order = orders[i]
                try order.lines.withUnsafeBufferPointer { lines in
                    for n in lines.indices {
                        products.add(lines[n])
                        bind(lines[n], number: n, of: order.id, to: s, at: 2 + Int32(row) * Self.lineColumns)
                        row += 1
                        total -= 1
                        if row == rows {
                            _ = try s.step()
                            if total > 0 {
                                while Self.lineRowCounts[k] > total { k += 1 }
                                rows = Self.lineRowCounts[k]
                                s = insertLines[k]
                                s.reset()
                                arena.reset()
                            }
                            row = 0
                        }
                    }
                }
            }
        }

        @inline(__always)
        private func bind(_ order: borrowing Order, to o: RawStatement, at first: Int32) {
            o.bind(first, order.id, arena: arena)
            o.bind(first + 1, order.placedAt.seconds)
            o.bind(first + 2, order.customerId, arena: arena)
            o.bind(first + 3, order.email, arena: arena)
            o.bind(first + 4, order.status)
            o.bind(first + 5, order.currency.code, arena: arena)
            o.bind(first + 6, order.total)
            o.bind(first + 7, order.refunded)
            o.bind(first + 8, order.shopTotal)
            o.bind(first + 9, order.shopRefunded)
            o.bind(first + 10, order.rate, arena: arena)
            o.bind(first + 11, order.country, arena: arena)
        }

        @inline(__always)
        private func bind(_ line: borrowing OrderLine, number: Int, of orderId: String, to l: RawStatement,
                          at first: Int32) {
            l.bind(first, orderId, arena: arena)
            l.bind(first + 1, Int64(number))
            l.bind(first + 2, line.productId, arena: arena)
            l.bind(first + 3, line.productName, arena: arena)
            l.bind(first + 4, line.quantity)
            l.bind(first + 5, line.unitPrice)
            l.bind(first + 6, line.returnedQuantity)
        }

        /// Applies the write's product deltas: upserts counts and latest names, drops products left with no line.
        /// (A negative delta only ever meets an existing row: every stored line has its product row. The
        /// inserted value is clamped because SQLite checks `CHECK`s before resolving the conflict.)
        func updateProducts() throws {
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
            for (id, lines, name) in products.entries where lines != 0 || !name.isEmpty {
                p.reset()
                p.bind(2, id)
                p.bind(3, name)
                p.bind(4, lines)
                removed = removed || lines <= 0
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
            if failure.isPrimaryKeyViolation {
                var seen = Set<ByteString>()
                for order in orders where !seen.insert(ByteString(order.id)).inserted {
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

        /// Lookups in the tables `orders` and `lines` (schema-qualified names).
        init(db: Database, shopId: Int64, orders: String, lines: String) throws {
            let order = try db.cachedStatement(sql: """
                SELECT placed_at, customer_id, email, status, currency, total, refunded, shop_total, shop_refunded,
                       rate, country
                FROM \(orders) WHERE shop_id = ?1 AND id = ?2
                """)
            let lineRows = try db.cachedStatement(sql: """
                SELECT product_id, product_name, quantity, unit_price, returned_quantity
                FROM \(lines) WHERE shop_id = ?1 AND order_id = ?2 ORDER BY line_no
                """)
            statements = [order, lineRows]
            self.order = RawStatement(handle: order.sqliteStatement)
            self.lines = RawStatement(handle: lineRows.sqliteStatement)
            for raw in [self.order, self.lines] {
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

        @inline(__always)
        private static func equal(_ s: RawStatement, _ column: Int32, _ value: String?) -> Bool {
            guard let value else { return s.isNull(column) }
            return !s.isNull(column) && s.textEquals(column, value)
        }
    }
}

/// A batch's arrays while they are pinned (see `OrderBatch`).
struct Packed {
    let text: UnsafeBufferPointer<UInt8>
    let orders: UnsafeBufferPointer<Int64>
    let lines: UnsafeBufferPointer<Int64>

    /// The bytes of text field `ref` (empty for nil).
    @inline(__always)
    func text(_ ref: Int64) -> UnsafeBufferPointer<UInt8> {
        guard ref >= 0, let base = text.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + Int(ref >> 32), count: Int(ref & 0xFFFF_FFFF))
    }

    /// Binds text field `ref` (NULL for nil) without a copy: valid while the batch is pinned.
    @inline(__always)
    func bind(_ ref: Int64, to s: RawStatement, at index: Int32) {
        if ref < 0 {
            s.bindNull(index)
        } else {
            s.bindStatic(index, text(ref))
        }
    }
}

/// Per-product line-count deltas and latest non-empty names of one write, in an open-addressing table keyed
/// by the product id's bytes (no `String` hashing or copying per line).
struct ProductCounts {
    private var slots: [Int32]
    private var mask: Int
    private var hashes: [UInt64] = []
    private(set) var ids: [String] = []
    private var lines: [Int64] = []
    private var names: [String] = []

    init() {
        slots = Array(repeating: -1, count: 1024)
        mask = 1023
    }

    var isEmpty: Bool { ids.isEmpty }

    /// Every product touched: id, line-count delta, latest non-empty name ("" when none).
    var entries: [(String, Int64, String)] { ids.indices.map { (ids[$0], lines[$0], names[$0]) } }

    /// Counts one more line of `line`'s product, remembering its name when not empty.
    @inline(__always)
    mutating func add(_ line: borrowing OrderLine) {
        var id = line.productId
        let i = id.withUTF8 { slot(for: $0, id: line.productId) }
        lines[i] += 1
        if !line.productName.isEmpty { names[i] = line.productName }
    }

    /// Counts one more line of the product with id bytes `id`, remembering `name` when not empty.
    @inline(__always)
    mutating func add(_ id: UnsafeBufferPointer<UInt8>, name: UnsafeBufferPointer<UInt8>) {
        let i = slot(for: id, id: nil)
        lines[i] += 1
        if !name.isEmpty && !Self.equal(names[i], name) { names[i] = String(decoding: name, as: UTF8.self) }
    }

    /// Counts one line less of the product id in `column` of the current row of `s`.
    mutating func remove(_ s: RawStatement, column: Int32) {
        let bytes = s.textBytes(column)
        let i = slot(for: bytes, id: nil)
        lines[i] -= 1
    }

    private mutating func slot(for bytes: UnsafeBufferPointer<UInt8>, id: String?) -> Int {
        let h = ByteHash.hash(bytes)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = slots[s]
            if v < 0 { break }
            if hashes[Int(v)] == h && Self.equal(ids[Int(v)], bytes) { return Int(v) }
            s = (s + 1) & mask
        }
        let index = ids.count
        slots[s] = Int32(index)
        hashes.append(h)
        ids.append(id ?? String(decoding: bytes, as: UTF8.self))
        lines.append(0)
        names.append("")
        if ids.count * 2 > slots.count { grow() }
        return index
    }

    private static func equal(_ a: String, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var a = a
        return a.withUTF8 { x in
            x.count == b.count && (x.count == 0 || memcmp(x.baseAddress!, b.baseAddress!, x.count) == 0)
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [Int32](repeating: -1, count: size)
        let m = size - 1
        for (i, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & m
            while fresh[s] >= 0 { s = (s + 1) & m }
            fresh[s] = Int32(i)
        }
        slots = fresh
        mask = m
    }

}
