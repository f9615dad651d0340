import ClienteleCore
import ClienteleStore
import PostgresNIO

/// `replaceOrders` for PostgreSQL, inside one transaction on one connection: the shop's row is locked (writers
/// of a shop queue), the orders are sent with `COPY … FROM STDIN` into two temporary staging tables (dropped at
/// commit or rollback), and set-based statements then move them into the shop's tables:
/// - into a shop with no orders, everything is inserted (the last version of an id sent twice wins);
/// - otherwise each staged id is compared with the stored order (every field and line, by bytes): identical
///   orders are counted as unchanged and left alone, changed ones are deleted and inserted anew.
/// Product rows are recounted for every product whose lines changed, and the revision goes up when anything
/// changed. Nothing is visible to other connections before the commit.
struct PostgresBulkWriter {
    let connection: PostgresConnection
    let shopId: Int64
    let logger: Logger
    /// Whether the shop held no orders when the write began (seen under the shop's row lock).
    private(set) var shopWasEmpty = false
    private var encoder = PostgresCopyEncoder()

    /// Staged bytes sent in one `COPY` pair at most (a streaming write gathers batches up to this size).
    static let flushBytes = 4 << 20

    static let orderColumns = "id, placed_at, customer_id, email, status, currency, total, refunded, shop_total, shop_refunded, rate, country"
    static let lineColumns = "order_id, line_no, product_id, product_name, quantity, unit_price, returned_quantity"

    init(connection: PostgresConnection, shopId: Int64, logger: Logger) {
        self.connection = connection
        self.shopId = shopId
        self.logger = logger
    }

    private func execute(_ query: PostgresQuery) async throws {
        try await PostgresSQL.execute(query, on: connection, logger: logger)
    }

    /// Locks the shop, notes whether it holds orders and creates the staging tables. Call inside a transaction.
    mutating func begin() async throws {
        try await execute("SELECT id FROM shops WHERE id = \(shopId) FOR UPDATE")
        let rows = try await PostgresSQL.rows("SELECT EXISTS (SELECT 1 FROM orders WHERE shop_id = \(shopId))",
                                              on: connection, logger: logger)
        shopWasEmpty = rows.first?.cells.first?.bool != true
        try await execute("""
            CREATE TEMP TABLE clientele_stage_orders (
                seq bigint NOT NULL, id text COLLATE "C" NOT NULL, placed_at bigint NOT NULL,
                customer_id text COLLATE "C", email text COLLATE "C", status text NOT NULL, currency text NOT NULL,
                total bigint NOT NULL, refunded bigint NOT NULL, shop_total bigint NOT NULL,
                shop_refunded bigint NOT NULL, rate text, country text
            ) ON COMMIT DROP
            """)
        try await execute("""
            CREATE TEMP TABLE clientele_stage_lines (
                seq bigint NOT NULL, order_id text COLLATE "C" NOT NULL, line_no integer NOT NULL,
                product_id text COLLATE "C" NOT NULL, product_name text COLLATE "C" NOT NULL,
                quantity bigint NOT NULL, unit_price bigint NOT NULL, returned_quantity bigint NOT NULL
            ) ON COMMIT DROP
            """)
    }

    /// Stages `batch` (sent once enough bytes are gathered, or at `finish`).
    mutating func stage(_ batch: OrderBatch) async throws {
        encoder.append(batch)
        if encoder.orders.count + encoder.lines.count >= Self.flushBytes { try await flush() }
    }

    private mutating func flush() async throws {
        guard encoder.pendingOrders > 0 else { return }
        let hasLines = encoder.pendingLines > 0
        let (orders, lines) = encoder.take()
        try await connection.copyFrom(table: "clientele_stage_orders", logger: logger) { writer in
            try await writer.write(orders)
        }
        if hasLines {
            try await connection.copyFrom(table: "clientele_stage_lines", logger: logger) { writer in
                try await writer.write(lines)
            }
        }
    }

    /// Moves the staged orders into the shop's tables and returns what changed.
    mutating func finish() async throws -> ReplaceSummary {
        try await flush()
        if encoder.nextSeq == 0 { return ReplaceSummary() }
        if encoder.mayHaveRepeatedIds {
            // Keep only the last version of each id (and its lines).
            try await execute("CREATE INDEX ON clientele_stage_orders (id, seq)")
            try await execute("""
                DELETE FROM clientele_stage_orders s
                WHERE EXISTS (SELECT 1 FROM clientele_stage_orders t WHERE t.id = s.id AND t.seq > s.seq)
                """)
            try await execute("""
                DELETE FROM clientele_stage_lines l
                WHERE NOT EXISTS (SELECT 1 FROM clientele_stage_orders s WHERE s.seq = l.seq)
                """)
        }
        let summary = shopWasEmpty ? try await insertAll() : try await merge()
        try await PostgresOrderStore.eraseForgottenAgain(connection, shopId: shopId, logger: logger)
        if summary.inserted + summary.replaced > 0 {
            try await PostgresSchema.bumpRevision(connection, shopId: shopId, logger: logger)
        }
        return summary
    }

    /// Into an empty shop: every staged order and line, in primary-key order; products counted from the stage.
    private func insertAll() async throws -> ReplaceSummary {
        let inserted = try await PostgresSQL.affectedRows(PostgresQuery(unsafeSQL: """
            INSERT INTO orders (shop_id, \(Self.orderColumns))
            SELECT $1, \(Self.orderColumns) FROM clientele_stage_orders ORDER BY id
            """, binds: binds(shopId)), on: connection, logger: logger)
        try await execute(PostgresQuery(unsafeSQL: """
            INSERT INTO order_lines (shop_id, \(Self.lineColumns))
            SELECT $1, \(Self.lineColumns) FROM clientele_stage_lines ORDER BY order_id, line_no
            """, binds: binds(shopId)))
        // One hash aggregate: a product's line count and its greatest non-empty name (by bytes).
        try await execute("""
            INSERT INTO products (shop_id, id, name, line_count)
            SELECT \(shopId), product_id, coalesce(max(product_name) FILTER (WHERE product_name <> ''), ''), count(*)
            FROM clientele_stage_lines GROUP BY product_id
            """)
        return ReplaceSummary(inserted: inserted)
    }

    /// Into a shop with orders: classify each staged order (0 new, 1 identical, 2 changed), replace the changed,
    /// insert the new, recount the products whose lines changed.
    private func merge() async throws -> ReplaceSummary {
        try await execute("ANALYZE clientele_stage_orders")
        try await execute("ANALYZE clientele_stage_lines")
        // The order rows first; then an order whose row is identical is marked changed when any line differs:
        // the staged and the stored lines of those orders, joined on (order id, line number), with a row missing
        // on either side or any field different (by bytes).
        try await execute("""
            CREATE TEMP TABLE clientele_stage_state ON COMMIT DROP AS
            SELECT s.seq, s.id,
                   CASE WHEN o.id IS NULL THEN 0
                        WHEN (o.placed_at, o.customer_id, o.email, o.status, o.currency, o.total, o.refunded,
                              o.shop_total, o.shop_refunded, o.rate, o.country)
                             IS NOT DISTINCT FROM
                             (s.placed_at, s.customer_id, s.email, s.status, s.currency, s.total, s.refunded,
                              s.shop_total, s.shop_refunded, s.rate, s.country) THEN 1
                        ELSE 2 END AS state
            FROM clientele_stage_orders s
            LEFT JOIN orders o ON o.shop_id = \(shopId) AND o.id = s.id
            """)
        try await execute("""
            UPDATE clientele_stage_state SET state = 2
            WHERE state = 1 AND id IN (
                SELECT coalesce(n.order_id, l.order_id)
                FROM (
                    SELECT sl.* FROM clientele_stage_lines sl
                    JOIN clientele_stage_state st ON st.seq = sl.seq AND st.state = 1
                ) n
                FULL JOIN (
                    SELECT ol.* FROM order_lines ol
                    JOIN clientele_stage_state st ON st.state = 1 AND ol.shop_id = \(shopId) AND ol.order_id = st.id
                ) l ON l.order_id = n.order_id AND l.line_no = n.line_no
                WHERE n.order_id IS NULL OR l.order_id IS NULL
                   OR (n.product_id, n.product_name, n.quantity, n.unit_price, n.returned_quantity)
                      IS DISTINCT FROM (l.product_id, l.product_name, l.quantity, l.unit_price, l.returned_quantity)
            )
            """)
        var summary = ReplaceSummary()
        for row in try await PostgresSQL.rows("SELECT state, count(*) FROM clientele_stage_state GROUP BY state",
                                              on: connection, logger: logger) {
            let cells = row.cells
            let count = Int(cells[1].int64 ?? 0)
            switch cells[0].int64 {
            case 0: summary.inserted = count
            case 1: summary.unchanged = count
            default: summary.replaced = count
            }
        }
        guard summary.inserted + summary.replaced > 0 else { return summary }
        try await execute("""
            CREATE TEMP TABLE clientele_touched_products ON COMMIT DROP AS
            SELECT DISTINCT product_id AS id FROM (
                SELECT l.product_id FROM order_lines l
                JOIN clientele_stage_state st ON st.state = 2 AND l.shop_id = \(shopId) AND l.order_id = st.id
                UNION ALL
                SELECT l.product_id FROM clientele_stage_lines l
                JOIN clientele_stage_state st ON st.state <> 1 AND l.seq = st.seq
            ) t
            """)
        if summary.replaced > 0 {
            try await execute("""
                DELETE FROM order_lines l USING clientele_stage_state st
                WHERE st.state = 2 AND l.shop_id = \(shopId) AND l.order_id = st.id
                """)
            try await execute("""
                DELETE FROM orders o USING clientele_stage_state st
                WHERE st.state = 2 AND o.shop_id = \(shopId) AND o.id = st.id
                """)
        }
        try await execute(PostgresQuery(unsafeSQL: """
            INSERT INTO orders (shop_id, \(Self.orderColumns))
            SELECT $1, \(Self.orderColumns.split(separator: ",").map { "s." + $0.trimmingSpaces }.joined(separator: ", "))
            FROM clientele_stage_orders s JOIN clientele_stage_state st ON st.seq = s.seq AND st.state <> 1
            ORDER BY s.id
            """, binds: binds(shopId)))
        try await execute(PostgresQuery(unsafeSQL: """
            INSERT INTO order_lines (shop_id, \(Self.lineColumns))
            SELECT $1, \(Self.lineColumns.split(separator: ",").map { "l." + $0.trimmingSpaces }.joined(separator: ", "))
            FROM clientele_stage_lines l JOIN clientele_stage_state st ON st.seq = l.seq AND st.state <> 1
            ORDER BY l.order_id, l.line_no
            """, binds: binds(shopId)))
        try await execute("""
            DELETE FROM products WHERE shop_id = \(shopId) AND id IN (SELECT id FROM clientele_touched_products)
            """)
        try await execute("""
            INSERT INTO products (shop_id, id, name, line_count)
            SELECT \(shopId), product_id, coalesce(max(product_name) FILTER (WHERE product_name <> ''), ''), count(*)
            FROM order_lines
            WHERE shop_id = \(shopId) AND product_id IN (SELECT id FROM clientele_touched_products)
            GROUP BY product_id
            """)
        return summary
    }

    private func binds(_ shopId: Int64) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(shopId)
        return binds
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        drop(while: { $0 == " " })
    }
}
