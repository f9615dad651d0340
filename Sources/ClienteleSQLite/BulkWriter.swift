import ClienteleCore
import ClienteleStore
internal import GRDB
import Foundation

/// `replaceOrders` for SQLite: one immediate write transaction; cached, multi-row prepared `INSERT`s bound
/// through the raw SQLite API (GRDB's `StatementArguments` allocate per value, and text is bound from a
/// scratch arena without SQLite copying it); a larger page cache for the duration (journal mode stays WAL,
/// synchronous stays NORMAL). One row per order, its lines packed into it (`LinePacking`). No secondary
/// indexes on orders: every read path walks the primary key. When the shop has no orders yet it only
/// inserts; otherwise it looks up each order id, counts identical orders as unchanged and deletes-then-inserts
/// the changed ones. Product rows are kept in step with per-product line counts.
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
    /// shop looks empty, without a foreign-key lookup per order (its shop exists; the pragma only takes effect
    /// outside a transaction). `body` is told whether the shop holds no order, checked inside the transaction.
    /// Product counts and the revision are updated before the commit.
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
        // The files go to disk while the transaction runs, not all at its commit (see `Writeback`).
        try Writeback.during(db) {
            try db.inTransaction(.immediate) {
                // Another writer may have got in between: the emptiness that counts is the one seen here.
                let empty = try Writer.shopIsEmpty(db, shopId: shopId)
                var writer = try Writer(db: db, shopId: shopId)
                defer { writer.clearBindings() }
                summary = try body(&writer, empty)
                try SQLiteOrderStore.eraseForgottenAgain(db, shopId: shopId)
                try writer.updateProducts()
                if summary.inserted + summary.replaced > 0 { try SQLiteSchema.bumpRevision(db, shopId: shopId) }
                return .commit
            }
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
            /// The store's row was replaced; the original is kept in the temporary table.
            case saved(identical: Bool)
        }

        var ids: [ByteString: Origin] = [:]
        var summary = ReplaceSummary()
        var savedTables = false
        /// Orders of the current batch accepted for insertion but not written yet.
        var pending: [Int] = []

        static let originalOrders = "clientele_original_orders"

        /// Creates the temporary table that keeps replaced originals, lines packed in them (once per write).
        mutating func prepareSaving(_ db: Database) throws {
            guard !savedTables else { return }
            try db.execute(sql: """
                CREATE TEMP TABLE IF NOT EXISTS \(Self.originalOrders) AS SELECT * FROM main.orders WHERE 0;
                CREATE INDEX IF NOT EXISTS temp.\(Self.originalOrders)_id ON \(Self.originalOrders) (shop_id, id);
                """)
            savedTables = true
        }

        /// Drops the temporary table (after the commit or the rollback).
        func drop(_ db: Database) {
            guard savedTables else { return }
            try? db.execute(sql: "DROP TABLE IF EXISTS temp.\(Self.originalOrders)")
        }
    }

    struct Writer {
        /// Rows per multi-row `INSERT`: fewer statement executions (32 rows were ≈ 25 % faster than one row per
        /// statement; 128 took about 1 s off the 17–19 s of a 10⁷-order import against 32); the remainder of a
        /// batch goes into the smaller statements, largest first. 128 × 14 parameters stay far below SQLite's limit.
        static let orderRowCounts = [128, 8, 1]
        static let orderColumns: Int32 = 14

        let db: Database
        let shopId: Int64
        // The GRDB statements own the SQLite handles; keep them alive while the raw handles are used.
        private let statements: [Statement]
        /// Order inserts of `orderRowCounts[i]` rows.
        private let insertOrders: [RawStatement]
        private let selectLines: RawStatement
        private let deleteOrder: RawStatement
        private var mainLookup: Lookup?
        private var savedLookup: Lookup?
        private var saveOrder: RawStatement?
        /// The shop's product id and name pairs (`LinePacking`), with the ones this write adds.
        private var pairs: LineProducts
        private var counts = PairCounts()
        /// The refs of the pairs named by the batches' pair keys, once looked up.
        private var keyedRefs = PairKeyCache()
        /// The pair refs of the lines bound to the statement about to run: counted once it ran.
        private var boundRefs: [Int32] = []
        private var packing: [UInt8] = []
        private let arena = TextArena()
        /// Statements prepared later, kept alive like `statements`.
        private var held: [Statement] = []

        init(db: Database, shopId: Int64) throws {
            self.db = db
            self.shopId = shopId
            let orderColumns = """
                INSERT INTO orders (shop_id, id, placed_at, customer_id, email, status, currency, total, refunded,
                                    shop_total, shop_refunded, rate, country, line_count, lines) VALUES
                """
            var statements: [Statement] = []
            var orders: [RawStatement] = []
            for rows in Self.orderRowCounts {
                let s = try db.cachedStatement(sql: orderColumns + Self.placeholders(rows: rows, columns: Self.orderColumns))
                statements.append(s)
                orders.append(RawStatement(handle: s.sqliteStatement))
            }
            let selectLines = try db.cachedStatement(sql: "SELECT lines FROM orders WHERE shop_id = ?1 AND id = ?2")
            let deleteOrder = try db.cachedStatement(sql: "DELETE FROM orders WHERE shop_id = ?1 AND id = ?2")
            statements += [selectLines, deleteOrder]
            self.statements = statements
            insertOrders = orders
            self.selectLines = RawStatement(handle: selectLines.sqliteStatement)
            self.deleteOrder = RawStatement(handle: deleteOrder.sqliteStatement)
            for raw in orders + [self.selectLines, self.deleteOrder] {
                raw.reset()
                raw.bind(1, shopId)
            }
            pairs = try LineProducts.load(db, shopId: shopId)
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

        /// Unbinds every text and blob bound from the arena or a batch (SQLite keeps bindings after a statement ran).
        func clearBindings() {
            for raw in insertOrders { raw.clearBindings() }
        }

        // MARK: One batch, all or nothing

        mutating func replace(_ orders: [Order], empty: Bool) throws -> ReplaceSummary {
            var summary = ReplaceSummary()
            if empty {
                // Nothing to compare with; a repeated id fails on the primary key. Inserting in primary-key
                // order appends to the B-tree instead of splitting pages all over it.
                let sorted = orders.indices.sorted { StoreContent.precedes(orders[$0].id, orders[$1].id) }
                try insert(orders, sorted)
                summary.inserted = orders.count
            } else {
                var seen = Set<ByteString>(minimumCapacity: orders.count)
                for order in orders where !seen.insert(ByteString(order.id)).inserted {
                    throw StoreContent.duplicateError(order.id)
                }
                let lookup = try self.makeLookup()
                var toInsert: [Int] = []
                for (index, order) in orders.enumerated() {
                    switch try lookup.compare(order, pairs: &pairs, scratch: &packing) {
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
                            // Orders before `done` are in; the rest go one by one.
                            var inserted = done
                            for index in done..<batch.count {
                                if try insertOrReplaceSent(packed, index, batch: batch) { inserted += 1 }
                            }
                            return inserted
                        } catch {
                            throw Self.chunkError(error, orders: batch.orders, chunk: Array(all))
                        }
                        return batch.count
                    }
                }
            }
        }

        /// Inserts one order; when its id is already stored (written by this transaction), the stored order is
        /// deleted first. Returns whether the id was new.
        private mutating func insertOrReplaceSent(_ packed: Packed, _ index: Int, batch: OrderBatch) throws -> Bool {
            var done = 0
            do {
                try insertOrderRows(packed, index..<index + 1, progress: &done)
                return true
            } catch let failure as SQLiteFailure where failure.isPrimaryKeyViolation {
                try delete(batch.id(at: index))
                do {
                    try insertOrderRows(packed, index..<index + 1, progress: &done)
                } catch {
                    throw Self.chunkError(error, orders: batch.orders, chunk: [index])
                }
                return false
            } catch {
                throw Self.chunkError(error, orders: batch.orders, chunk: [index])
            }
        }

        /// Inserts the rows of packed orders `range`: full multi-row statements, then the rest; `done` counts the
        /// rows inserted so far (a failed statement inserted none of its rows).
        private mutating func insertOrderRows(_ p: Packed, _ range: Range<Int>, progress done: inout Int) throws {
            var next = range.lowerBound
            for (k, rows) in Self.orderRowCounts.enumerated() {
                let s = insertOrders[k]
                while range.upperBound - next >= rows {
                    s.reset()
                    arena.reset()
                    boundRefs.removeAll(keepingCapacity: true)
                    for row in 0..<rows {
                        try bind(p, order: next, to: s, at: 2 + Int32(row) * Self.orderColumns)
                        next += 1
                    }
                    _ = try s.step()
                    countBoundLines()
                    done += rows
                }
            }
        }

        @inline(__always)
        private mutating func bind(_ p: Packed, order i: Int, to s: RawStatement, at first: Int32) throws {
            let F = OrderBatch.OrderField.self
            let L = OrderBatch.LineField.self
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
            let firstLine = Int(p.orders[o + F.firstLine]), lineCount = Int(p.orders[o + F.lineCount])
            packing.removeAll(keepingCapacity: true)
            LinePacking.appendVarint(UInt64(lineCount), to: &packing)
            for n in 0..<lineCount {
                let l = (firstLine + n) * L.count
                let productId = p.text(p.lines[l + L.productId])
                let quantity = p.lines[l + L.quantity], returned = p.lines[l + L.returnedQuantity]
                if let problem = LinePacking.problem(productIdEmpty: productId.isEmpty, quantity: quantity, returned: returned) {
                    throw LinePacking.invalidLine(orderId: String(decoding: p.text(p.orders[o + F.id]), as: UTF8.self),
                                                  index: n, problem)
                }
                let key = p.lines[l + L.pairKey]
                let ref: Int
                if let known = keyedRefs.ref(key) {
                    ref = known
                } else {
                    ref = pairs.ref(productId: productId, name: p.text(p.lines[l + L.productName]))
                    keyedRefs.set(key, ref)
                }
                boundRefs.append(Int32(ref))
                LinePacking.appendLine(ref: ref, quantity: quantity, unitPrice: p.lines[l + L.unitPrice],
                                       returned: returned, to: &packing)
            }
            s.bind(first + 12, Int64(lineCount))
            bindPacking(to: s, at: first + 13)
        }

        /// Binds the blob in `packing` from a copy in the arena.
        @inline(__always)
        private func bindPacking(to s: RawStatement, at index: Int32) {
            packing.withUnsafeBufferPointer { bytes in
                let copy = arena.copy(bytes)
                s.bindBlobStatic(index, copy, count: bytes.count)
            }
        }

        /// Counts the lines of the statement that just ran.
        @inline(__always)
        private mutating func countBoundLines() {
            for ref in boundRefs { counts.wrote(Int(ref)) }
            boundRefs.removeAll(keepingCapacity: true)
        }

        /// Merges a batch into a shop that held orders when the write began (see `Session`).
        mutating func merge(_ batch: [Order], session: inout Session) throws {
            let lookup = try self.makeLookup()
            session.pending.removeAll(keepingCapacity: true)
            for (index, order) in batch.enumerated() {
                let key = ByteString(order.id)
                guard let origin = session.ids[key] else {
                    switch try lookup.compare(order, pairs: &pairs, scratch: &packing) {
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
                // Sent again: write what is pending first, so that the earlier order is in the table.
                try insert(batch, session.pending)
                session.pending.removeAll(keepingCapacity: true)
                switch origin {
                case .absent:
                    try delete(order.id)
                case .stored:
                    guard try lookup.compare(order, pairs: &pairs, scratch: &packing) == .different else { continue }
                    try save(order.id, session: &session)
                    try delete(order.id)
                    session.summary.unchanged -= 1
                    session.summary.replaced += 1
                    session.ids[key] = .saved(identical: false)
                case .saved(let wasIdentical):
                    let identical = try savedLookup!.compare(order, pairs: &pairs, scratch: &packing) == .identical
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

        /// Copies the stored order `id` (its lines are in its row) into the session's temporary table.
        private mutating func save(_ id: String, session: inout Session) throws {
            if saveOrder == nil {
                try session.prepareSaving(db)
                let order = try db.cachedStatement(sql: """
                    INSERT INTO temp.\(Session.originalOrders) SELECT * FROM main.orders WHERE shop_id = ?1 AND id = ?2
                    """)
                saveOrder = RawStatement(handle: order.sqliteStatement)
                savedLookup = try Lookup(db: db, shopId: shopId, orders: "temp." + Session.originalOrders)
                held.append(order)
            }
            let s = saveOrder!
            s.reset()
            s.bind(1, shopId)
            s.bind(2, id)
            _ = try s.step()
            s.reset()
        }

        private mutating func makeLookup() throws -> Lookup {
            if let mainLookup { return mainLookup }
            let made = try Lookup(db: db, shopId: shopId, orders: "main.orders")
            mainLookup = made
            return made
        }

        // MARK: Rows

        /// Deletes the stored order `id`, taking its lines off the product counts.
        private mutating func delete(_ id: String) throws {
            let s = selectLines
            s.reset()
            s.bind(2, id)
            if try s.step() {
                let bytes = s.blobBytes(0)
                try LinePacking.decode(bytes, orderId: id) { ref, _, _, _ in
                    guard pairs.pair(ref) != nil else {
                        throw StoreError(.corruptData, "a line of order \"\(id)\" names an unknown product")
                    }
                    counts.removed(ref)
                }
            }
            s.reset()
            deleteOrder.reset()
            deleteOrder.bind(2, id)
            _ = try deleteOrder.step()
            deleteOrder.reset()
        }

        /// Inserts `orders[i]` for each `i` of `indices`, their lines packed in their rows.
        private mutating func insert(_ orders: [Order], _ indices: [Int]) throws {
            guard !indices.isEmpty else { return }
            do {
                try orders.withUnsafeBufferPointer { all in try insertOrderRows(all, indices) }
            } catch {
                throw Self.chunkError(error, orders: orders, chunk: indices)
            }
        }

        /// Inserts the rows of `orders[i]`, `i` in `indices`: full multi-row statements, then the rest.
        private mutating func insertOrderRows(_ orders: UnsafeBufferPointer<Order>, _ indices: [Int]) throws {
            var next = 0
            for (k, rows) in Self.orderRowCounts.enumerated() {
                let s = insertOrders[k]
                while indices.count - next >= rows {
                    s.reset()
                    arena.reset()
                    boundRefs.removeAll(keepingCapacity: true)
                    for row in 0..<rows {
                        try bind(orders[indices[next]], to: s, at: 2 + Int32(row) * Self.orderColumns)
                        next += 1
                    }
                    _ = try s.step()
                    countBoundLines()
                }
            }
        }

        @inline(__always)
        private mutating func bind(_ order: borrowing Order, to o: RawStatement, at first: Int32) throws {
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
            packing.removeAll(keepingCapacity: true)
            LinePacking.appendVarint(UInt64(order.lines.count), to: &packing)
            for (n, line) in order.lines.enumerated() {
                if let problem = LinePacking.problem(productIdEmpty: line.productId.isEmpty, quantity: line.quantity,
                                                     returned: line.returnedQuantity) {
                    throw LinePacking.invalidLine(orderId: order.id, index: n, problem)
                }
                var productId = line.productId, name = line.productName
                let ref = productId.withUTF8 { id in name.withUTF8 { pairs.ref(productId: id, name: $0) } }
                boundRefs.append(Int32(ref))
                LinePacking.appendLine(ref: ref, quantity: line.quantity, unitPrice: line.unitPrice,
                                       returned: line.returnedQuantity, to: &packing)
            }
            o.bind(first + 12, Int64(order.lines.count))
            bindPacking(to: o, at: first + 13)
        }

        /// Inserts the pairs this write added and applies its line counts to them (`PairCounts.apply`), then
        /// applies its product deltas: upserts counts and latest names, drops products left with no line. (A
        /// negative delta only ever meets an existing row: every stored line has its product row. The inserted
        /// value is clamped because SQLite checks `CHECK`s before resolving the conflict.)
        func updateProducts() throws {
            try pairs.insertAdded(db, shopId: shopId)
            try counts.apply(db, shopId: shopId, pairs: pairs)
            let entries = counts.products(pairs)
            guard !entries.isEmpty else { return }
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
            for (id, lines, name) in entries where lines != 0 || !name.isEmpty {
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

    /// Point lookups of stored orders by id, compared column by column and the packed lines byte by byte,
    /// without decoding.
    struct Lookup {
        private let statements: [Statement]
        private let order: RawStatement

        /// Lookups in the table `orders` (a schema-qualified name).
        init(db: Database, shopId: Int64, orders: String) throws {
            let order = try db.cachedStatement(sql: """
                SELECT placed_at, customer_id, email, status, currency, total, refunded, shop_total, shop_refunded,
                       rate, country, lines
                FROM \(orders) WHERE shop_id = ?1 AND id = ?2
                """)
            statements = [order]
            self.order = RawStatement(handle: order.sqliteStatement)
            self.order.reset()
            self.order.bind(1, shopId)
        }

        /// Whether the store holds `new`'s id, and then whether it holds exactly `new`: the new lines are packed
        /// with the shop's existing pairs (a pair it does not have makes the order different) into `scratch`.
        func compare(_ new: Order, pairs: inout LineProducts, scratch: inout [UInt8]) throws(SQLiteFailure) -> Existing {
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
            scratch.removeAll(keepingCapacity: true)
            LinePacking.appendVarint(UInt64(new.lines.count), to: &scratch)
            for line in new.lines {
                // A line no store could hold is never equal to a stored one (and cannot be packed).
                guard line.quantity > 0, line.returnedQuantity >= 0 else { return .different }
                var id = line.productId, name = line.productName
                guard let ref = id.withUTF8({ i in name.withUTF8 { pairs.existingRef(productId: i, name: $0) } }) else {
                    return .different
                }
                LinePacking.appendLine(ref: ref, quantity: line.quantity, unitPrice: line.unitPrice,
                                       returned: line.returnedQuantity, to: &scratch)
            }
            let stored = o.blobBytes(11)
            return scratch.withUnsafeBufferPointer { packed in
                packed.count == stored.count && memcmp(packed.baseAddress!, stored.baseAddress!, packed.count) == 0
            } ? .identical : .different
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

/// The pair refs (`LineProducts`) of the pair keys a producer gave its lines (`OrderBatch.LineField.pairKey`,
/// the same key for the same bytes throughout one write): a line with a key seen before skips the hash lookup of
/// its product id and name. The importer's keys are its product number in the upper 32 bits and its name number
/// in the lower, so the cache is an array by product number holding the key last seen with it (a product's
/// lines nearly always carry the same name; another name is looked up and replaces it).
struct PairKeyCache {
    /// Product numbers from this one on are not cached (their lines are looked up by bytes, as without a key).
    static let limit = 1 << 24
    private var keys: [Int64] = []
    private var refs: [Int32] = []

    /// The ref cached for `key`; nil when none (or `key` is -1).
    @inline(__always)
    func ref(_ key: Int64) -> Int? {
        guard key >= 0 else { return nil }
        let i = Int(key >> 32)
        guard i < keys.count, keys[i] == key else { return nil }
        return Int(refs[i])
    }

    /// Remembers that `key` names pair `ref` (nothing for -1).
    mutating func set(_ key: Int64, _ ref: Int) {
        guard key >= 0 else { return }
        let i = Int(key >> 32)
        guard i < Self.limit, ref <= Int(Int32.max) else { return }
        if i >= keys.count {
            let more = max(i + 1, keys.count * 2) - keys.count
            keys.append(contentsOf: repeatElement(-1, count: more))
            refs.append(contentsOf: repeatElement(0, count: more))
        }
        keys[i] = key
        refs[i] = Int32(ref)
    }
}

/// The line-count changes of one write per product id and name pair (`LineProducts` ref), and when each pair
/// was last written, folded into per-product changes and latest names by `products(_:)`: an array step per
/// line instead of a hash lookup.
struct PairCounts {
    private var delta: [Int64] = []
    /// Per ref, the line number (in this write, from 1) of the pair's last written line; 0: none.
    private var lastWritten: [Int64] = []
    private var clock: Int64 = 0

    /// One more stored line names pair `ref`.
    @inline(__always)
    mutating func wrote(_ ref: Int) {
        if ref >= delta.count { grow(ref) }
        delta[ref] += 1
        clock += 1
        lastWritten[ref] = clock
    }

    /// One stored line less names pair `ref`.
    @inline(__always)
    mutating func removed(_ ref: Int) {
        if ref >= delta.count { grow(ref) }
        delta[ref] -= 1
    }

    /// Adds the changes to the pairs' `line_count`s and deletes the pairs left with no line (among them a
    /// pair added for an order that this write replaced again).
    func apply(_ db: Database, shopId: Int64, pairs: LineProducts) throws {
        let statement = try db.cachedStatement(sql: """
            UPDATE line_products SET line_count = line_count + ?3 WHERE shop_id = ?1 AND ref = ?2
            """)
        let s = RawStatement(handle: statement.sqliteStatement)
        defer { s.reset() }
        var zero = !pairs.added.isEmpty
        for ref in delta.indices where delta[ref] != 0 {
            s.reset()
            s.bind(1, shopId)
            s.bind(2, Int64(ref))
            s.bind(3, delta[ref])
            do {
                _ = try s.step()
            } catch {
                throw StoreError(.corruptData, "the product table disagrees with the stored lines", underlying: error.message)
            }
            zero = zero || delta[ref] < 0
        }
        if zero {
            try db.execute(sql: "DELETE FROM line_products WHERE shop_id = ? AND line_count = 0", arguments: [shopId])
        }
    }

    private mutating func grow(_ ref: Int) {
        let more = max(ref + 1, delta.count * 2) - delta.count
        delta.append(contentsOf: repeatElement(0, count: more))
        lastWritten.append(contentsOf: repeatElement(0, count: more))
    }

    /// Every product touched: its id, its line-count change, and the name of its last written line with a
    /// non-empty name ("" when none), products compared by bytes.
    func products(_ pairs: LineProducts) -> [(String, Int64, String)] {
        var index: [ByteString: Int] = [:]
        var out: [(String, Int64, String)] = []
        var at: [Int64] = []
        for ref in delta.indices where delta[ref] != 0 || lastWritten[ref] > 0 {
            guard let pair = pairs.pair(ref) else { continue }
            let key = ByteString(pair.productId)
            let i: Int
            if let k = index[key] {
                i = k
            } else {
                i = out.count
                index[key] = i
                out.append((pair.productId, 0, ""))
                at.append(0)
            }
            out[i].1 += delta[ref]
            if !pair.name.isEmpty && lastWritten[ref] > at[i] {
                out[i].2 = pair.name
                at[i] = lastWritten[ref]
            }
        }
        return out
    }
}
