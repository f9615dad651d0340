import ClienteleCore
import ClienteleStore
import Foundation
internal import GRDB

extension SQLiteOrderStore {
    /// Anonymises the orders of the customers `matches` name, deletes the audiences that mention them and logs the
    /// counts, in one immediate write transaction (every connection has `secure_delete` on: the old bytes are
    /// zeroed, not left in free space); then, when anything changed, rebuilds the file (`VACUUM`: no page keeps an
    /// old copy, not even one left by a SQLite without `secure_delete` or an older Clientele) and checkpoints the
    /// WAL into it and truncates it, so the erased values are in none of the database's files (see
    /// `OrderStore.forget`, docs/privacy.md).
    public func forget(customers matches: [CustomerMatch], action: PrivacyAction, at: Instant) async throws -> ForgetSummary {
        try await run { [shopId] in
            try await self.pool.writeWithoutTransaction { db in
                var summary = ForgetSummary()
                try db.inTransaction(.immediate) {
                    summary = try SQLiteOrderStore.forget(matches, action: action, at: at, db, shopId: shopId)
                    return .commit
                }
                if !summary.isEmpty {
                    try db.execute(sql: "VACUUM")
                    try SQLiteOrderStore.truncateWAL(db)
                }
                return summary
            }
        }
    }

    /// The orders of the customers `match` names: two passes over the orders' identity columns only, then each
    /// selected order read by its id (see `OrderStore.ordersOf`), in one read transaction.
    public func ordersOf(customer match: CustomerMatch) async throws -> [Order] {
        try await run { [shopId] in
            try self.pool.read { db in
                var selection = CustomerSelection([match])
                try SQLiteOrderStore.select(&selection, db, shopId: shopId)
                let pairs = try LineProducts.load(db, shopId: shopId)
                return try selection.selectedOrderIds.sorted(by: StoreContent.precedes).map { id in
                    try SQLiteOrderStore.readOrder(id: id, db, shopId: shopId, pairs: pairs)
                }
            }
        }
    }

    /// The privacy log, oldest first.
    public func privacyLog() async throws -> [PrivacyLogEntry] {
        try await run { [shopId] in
            try self.pool.read { db in try SQLiteOrderStore.readPrivacyLog(db, shopId: shopId) }
        }
    }

    /// The forget inside the caller's transaction.
    static func forget(_ matches: [CustomerMatch], action: PrivacyAction, at: Instant, _ db: Database,
                       shopId: Int64) throws -> ForgetSummary {
        var selection = CustomerSelection(matches)
        try select(&selection, db, shopId: shopId)
        let update = try db.makeStatement(sql: """
            UPDATE orders SET customer_id = NULL, email = NULL, country = NULL WHERE shop_id = ? AND id = ?
            """)
        let remember = try db.makeStatement(sql: """
            INSERT INTO forgotten_orders (shop_id, order_id) VALUES (?, ?) ON CONFLICT DO NOTHING
            """)
        for id in selection.selectedOrderIds {
            try update.execute(arguments: [shopId, id])
            try remember.execute(arguments: [shopId, id])
        }
        let doomed = selection.audiencesToDelete(try readAudiences(db, shopId: shopId))
        for audience in doomed {
            try db.execute(sql: "DELETE FROM audiences WHERE shop_id = ? AND name = ?", arguments: [shopId, audience.name])
        }
        let summary = selection.summary(audiencesDeleted: doomed.map(\.name))
        if summary.orders > 0 { try SQLiteSchema.bumpRevision(db, shopId: shopId) }
        if !summary.isEmpty {
            try db.execute(sql: """
                INSERT INTO privacy_log (shop_id, happened_at, action, customers, orders, audiences) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [shopId, at.seconds, action.rawValue, summary.customers, summary.orders,
                                 summary.audiencesDeleted.count])
        }
        return summary
    }

    /// Inside an import's transaction: erases the customer id, e-mail and country again from every forgotten
    /// order the import brought back (see `OrderStore.forget`).
    static func eraseForgottenAgain(_ db: Database, shopId: Int64) throws {
        try db.execute(sql: """
            UPDATE orders SET customer_id = NULL, email = NULL, country = NULL
            WHERE shop_id = ?1 AND (customer_id IS NOT NULL OR email IS NOT NULL OR country IS NOT NULL)
              AND id IN (SELECT order_id FROM forgotten_orders WHERE shop_id = ?1)
            """, arguments: [shopId])
    }

    static func readForgottenOrderIds(_ db: Database, shopId: Int64) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT order_id FROM forgotten_orders WHERE shop_id = ? ORDER BY order_id",
                            arguments: [shopId])
    }

    /// Runs both passes of `selection` over the identity columns of every order.
    static func select(_ selection: inout CustomerSelection, _ db: Database, shopId: Int64) throws {
        let identities = "SELECT id, customer_id, email, placed_at FROM orders WHERE shop_id = ?"
        if selection.needsFirstPass {
            let rows = try Row.fetchCursor(db, sql: identities, arguments: [shopId])
            while let row = try rows.next() {
                selection.note(customerId: row[1], email: row[2], placedAt: Instant(seconds: row[3]))
            }
            selection.endFirstPass()
        }
        let rows = try Row.fetchCursor(db, sql: identities, arguments: [shopId])
        while let row = try rows.next() {
            _ = selection.select(orderId: row[0], customerId: row[1], email: row[2])
        }
    }

    /// The stored order `id` with its lines (`pairs`: the shop's product pairs).
    static func readOrder(id: String, _ db: Database, shopId: Int64, pairs: LineProducts) throws -> Order {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT placed_at, customer_id, email, status, currency, total, refunded, shop_total, shop_refunded, rate,
                   country, lines
            FROM orders WHERE shop_id = ? AND id = ?
            """, arguments: [shopId, id]) else {
            throw StoreError(.corruptData, "order \"\(id)\" disappeared while it was read")
        }
        let code: String = row["currency"]
        guard let currency = Currency(code: code) else {
            throw StoreError(.corruptData, "order \"\(id)\" has an unknown currency \"\(code)\"")
        }
        let statusText: String = row["status"]
        guard let status = OrderStatus(rawValue: statusText) else {
            throw StoreError(.corruptData, "order \"\(id)\" has an unknown status")
        }
        let packed: [UInt8] = (row["lines"] as Data?).map { [UInt8]($0) } ?? []
        let lines = try packed.withUnsafeBufferPointer { try LinePacking.lines($0, orderId: id, pairs: pairs) }
        return Order(id: id, placedAt: Instant(seconds: row["placed_at"]), customerId: row["customer_id"], email: row["email"],
                     status: status, currency: currency, total: row["total"], refunded: row["refunded"],
                     shopTotal: row["shop_total"], shopRefunded: row["shop_refunded"], rate: row["rate"],
                     country: row["country"], lines: lines)
    }

    /// Copies every WAL frame into the database file and truncates the WAL to zero bytes (SQLite waits for
    /// readers through the busy timeout; a few more tries after that). Best effort: the forget is committed
    /// already, and a WAL that a reader still holds is checkpointed by a later write or when the last
    /// connection closes.
    static func truncateWAL(_ db: Database) throws {
        for attempt in 0..<5 {
            let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            let busy: Int = row?[0] ?? 0
            if busy == 0 { return }
            if attempt < 4 { usleep(100_000) }
        }
    }

    static func readPrivacyLog(_ db: Database, shopId: Int64) throws -> [PrivacyLogEntry] {
        try Row.fetchAll(db, sql: """
            SELECT happened_at, action, customers, orders, audiences FROM privacy_log WHERE shop_id = ? ORDER BY id
            """, arguments: [shopId]).map { row in
            let action: String = row["action"]
            guard let parsed = PrivacyAction(rawValue: action) else {
                throw StoreError(.corruptData, "the privacy log has an unknown action")
            }
            return PrivacyLogEntry(at: Instant(seconds: row["happened_at"]), action: parsed, customers: row["customers"],
                                   orders: row["orders"], audiences: row["audiences"])
        }
    }
}
