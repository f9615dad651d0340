import ClienteleCore
import ClienteleStore
import PostgresNIO

extension PostgresOrderStore {
    /// Anonymises the orders of the customers `matches` name, deletes the audiences that mention them and logs the
    /// counts, in one transaction holding the shop's row lock (imports of the shop wait for it, and it for them).
    /// See `OrderStore.forget`. The old row versions stay in PostgreSQL's files until the server vacuums them
    /// (docs/privacy.md, "PostgreSQL").
    public func forget(customers matches: [CustomerMatch], action: PrivacyAction, at: Instant) async throws -> ForgetSummary {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.transaction(connection, logger: self.logger) { connection in
                    try await PostgresSQL.execute("SELECT id FROM shops WHERE id = \(shopId) FOR UPDATE",
                                                  on: connection, logger: self.logger)
                    var selection = CustomerSelection(matches)
                    if selection.needsFirstPass {
                        try await Self.scanIdentities(connection, shopId: shopId, logger: self.logger) { _, customerId, email, placedAt in
                            selection.note(customerId: customerId, email: email, placedAt: placedAt)
                        }
                        selection.endFirstPass()
                    }
                    try await Self.scanIdentities(connection, shopId: shopId, logger: self.logger) { id, customerId, email, _ in
                        _ = selection.select(orderId: id, customerId: customerId, email: email)
                    }
                    let ids = selection.selectedOrderIds
                    if !ids.isEmpty {
                        try await PostgresSQL.execute("""
                            UPDATE orders SET customer_id = NULL, email = NULL, country = NULL
                            WHERE shop_id = \(shopId) AND id = ANY(\(ids))
                            """, on: connection, logger: self.logger)
                        try await PostgresSQL.execute("""
                            INSERT INTO forgotten_orders (shop_id, order_id) SELECT \(shopId), unnest(\(ids)::text[])
                            ON CONFLICT DO NOTHING
                            """, on: connection, logger: self.logger)
                    }
                    let audiences = try await Self.readAudiences(connection, shopId: shopId, logger: self.logger)
                    let doomed = selection.audiencesToDelete(audiences)
                    for audience in doomed {
                        try await PostgresSQL.execute("DELETE FROM audiences WHERE shop_id = \(shopId) AND name = \(audience.name)",
                                                      on: connection, logger: self.logger)
                    }
                    let summary = selection.summary(audiencesDeleted: doomed.map(\.name))
                    if summary.orders > 0 {
                        try await PostgresSchema.bumpRevision(connection, shopId: shopId, logger: self.logger)
                    }
                    if !summary.isEmpty {
                        try await PostgresSQL.execute("""
                            INSERT INTO privacy_log (shop_id, happened_at, action, customers, orders, audiences)
                            VALUES (\(shopId), \(at.seconds), \(action.rawValue), \(Int64(summary.customers)),
                                    \(Int64(summary.orders)), \(Int64(summary.audiencesDeleted.count)))
                            """, on: connection, logger: self.logger)
                    }
                    return summary
                }
            }
        }
    }

    /// The privacy log, oldest first.
    public func privacyLog() async throws -> [PrivacyLogEntry] {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await Self.readPrivacyLog(connection, shopId: shopId, logger: self.logger)
            }
        }
    }

    /// Inside an import's transaction: erases the customer id, e-mail and country again from every forgotten
    /// order the import brought back (see `OrderStore.forget`).
    static func eraseForgottenAgain(_ connection: PostgresConnection, shopId: Int64, logger: Logger) async throws {
        try await PostgresSQL.execute("""
            UPDATE orders o SET customer_id = NULL, email = NULL, country = NULL
            FROM forgotten_orders f
            WHERE o.shop_id = \(shopId) AND f.shop_id = \(shopId) AND o.id = f.order_id
              AND (o.customer_id IS NOT NULL OR o.email IS NOT NULL OR o.country IS NOT NULL)
            """, on: connection, logger: logger)
    }

    static func readForgottenOrderIds(_ connection: PostgresConnection, shopId: Int64, logger: Logger) async throws -> [String] {
        try await PostgresSQL.rows("""
            SELECT order_id FROM forgotten_orders WHERE shop_id = \(shopId) ORDER BY order_id
            """, on: connection, logger: logger).compactMap { $0.cells.first?.string }
    }

    /// Calls `body` with the id, customer id, e-mail and time of every order of the shop, streamed.
    static func scanIdentities(_ connection: PostgresConnection, shopId: Int64, logger: Logger,
                               _ body: (String, String?, String?, Instant) throws -> Void) async throws {
        let rows = try await connection.query("""
            SELECT id, customer_id, email, placed_at FROM orders WHERE shop_id = \(shopId)
            """, logger: logger)
        for try await row in rows {
            let c = row.cells
            guard c.count == 4, let id = c[0].string, let placedAt = c[3].int64 else {
                throw StoreError(.corruptData, "the database returned an unexpected row")
            }
            try body(id, c[1].string, c[2].string, Instant(seconds: placedAt))
        }
    }

    static func readPrivacyLog(_ connection: PostgresConnection, shopId: Int64, logger: Logger) async throws -> [PrivacyLogEntry] {
        try await PostgresSQL.rows("""
            SELECT happened_at, action, customers, orders, audiences FROM privacy_log WHERE shop_id = \(shopId) ORDER BY id
            """, on: connection, logger: logger).map { row in
            let c = row.cells
            guard c.count == 5, let action = c[1].string.flatMap(PrivacyAction.init(rawValue:)) else {
                throw StoreError(.corruptData, "the privacy log has an unknown action")
            }
            return PrivacyLogEntry(at: Instant(seconds: c[0].int64 ?? 0), action: action, customers: Int(c[2].int64 ?? 0),
                                   orders: Int(c[3].int64 ?? 0), audiences: Int(c[4].int64 ?? 0))
        }
    }
}
