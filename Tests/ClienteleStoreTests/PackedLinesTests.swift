import ClienteleCore
import ClienteleStore
@testable import ClienteleSQLite
import Foundation
import Testing

/// The SQLite store keeps an order's lines packed in its row, naming each line's product id and name by a
/// numbered pair (`LinePacking`, `line_products`): the bytes, the pair bookkeeping, and the move of an older
/// file's `order_lines` into the packed form.
@Suite("SQLite store: packed lines")
struct PackedLinesTests {
    // MARK: The blob

    /// Hand-encoded: count 2; line (ref 0, quantity 1, price 0 → zigzag 0, returned 0); line (ref 300 → AC 02,
    /// quantity 128 → 80 01, price -1 → zigzag 1, returned 128 → 80 01).
    @Test("lines pack into LEB128 varints as computed by hand, and unpack to the same values")
    func handEncoded() throws {
        var bytes: [UInt8] = []
        LinePacking.appendVarint(2, to: &bytes)
        LinePacking.appendLine(ref: 0, quantity: 1, unitPrice: 0, returned: 0, to: &bytes)
        LinePacking.appendLine(ref: 300, quantity: 128, unitPrice: -1, returned: 128, to: &bytes)
        #expect(bytes == [0x02, 0x00, 0x01, 0x00, 0x00, 0xAC, 0x02, 0x80, 0x01, 0x01, 0x80, 0x01])
        var seen: [[Int64]] = []
        try bytes.withUnsafeBufferPointer { b in
            try LinePacking.decode(b, orderId: "o") { seen.append([Int64($0), $1, $2, $3]) }
        }
        #expect(seen == [[0, 1, 0, 0], [300, 128, -1, 128]])
    }

    @Test("zig-zag keeps every unit price, the extremes included", arguments: [
        Int64.min, Int64.min + 1, -1_000_000_000_000, -129, -128, -64, -1, 0, 1, 63, 64, 128, 99_995, Int64.max - 1, Int64.max,
    ])
    func prices(price: Int64) throws {
        var bytes: [UInt8] = []
        LinePacking.appendVarint(1, to: &bytes)
        LinePacking.appendLine(ref: 7, quantity: 1_000_000_000, unitPrice: price, returned: 3, to: &bytes)
        var back: Int64? = nil
        try bytes.withUnsafeBufferPointer { b in
            try LinePacking.decode(b, orderId: "o") { _, _, p, _ in back = p }
        }
        #expect(back == price)
        // -1 ↦ 1, 1 ↦ 2, min ↦ max unsigned: small magnitudes stay short.
        #expect(LinePacking.zigzag(-1) == 1 && LinePacking.zigzag(1) == 2 && LinePacking.zigzag(.min) == .max)
    }

    @Test("a damaged blob is refused with the order's id, never read past its end", arguments: [
        [UInt8](),                          // nothing, not even a count
        [0x01],                             // one line announced, none there
        [0x01, 0x00, 0x01, 0x00],           // cut inside a line
        [0x01, 0x00, 0x01, 0x00, 0x00, 0x00], // a byte too many
        [0x01, 0x00, 0x00, 0x00, 0x00],     // quantity 0
        [0x01, 0x00, 0x01, 0x00, 0x02],     // returned 2 of 1
        [0x01, 0x80],                       // a varint that never ends
        [0x01] + [UInt8](repeating: 0xFF, count: 10) + [0x01], // a ref beyond 64 bits
        [0x7F, 0x00, 0x01, 0x00, 0x00],     // 127 lines announced in 5 bytes
    ])
    func damaged(bytes: [UInt8]) {
        let error = #expect(throws: StoreError.self) {
            try bytes.withUnsafeBufferPointer { b in try LinePacking.decode(b, orderId: "A-17") { _, _, _, _ in } }
        }
        #expect(error?.code == .corruptData)
        #expect(error?.message == "the lines of order \"A-17\" are damaged")
    }

    /// The file edited behind the store's back: a blob cut short, then a line naming a pair that does not exist.
    @Test("a damaged or dangling packed line in the file is an error naming its order, on every read path")
    func damagedInTheFile() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let store = try SQLiteOrderStore(path: scratch.path("shop.sqlite"))
        _ = try await store.replaceOrders(Fixtures.orders())
        let id = try #require(Fixtures.ordersInScanOrder().first?.id)
        for (blob, message) in [("x'01'", "the lines of order \"\(id)\" are damaged"),
                                ("x'0163010000'", "a line of order \"\(id)\" names an unknown product")] {
            try await store.executeUnchecked("UPDATE orders SET lines = \(blob) WHERE id = '\(id)'")
            let scanned = await #expect(throws: StoreError.self) { _ = try await store.allOrders() }
            #expect(scanned?.code == .corruptData)
            #expect(scanned?.message == message)
            // Replacing the order reads its stored lines first (to take them off the product counts).
            let replaced = await #expect(throws: StoreError.self) {
                var changed = Fixtures.ordersInScanOrder()[0]
                changed.total += 1
                _ = try await store.replaceOrders([changed])
            }
            #expect(replaced?.code == .corruptData)
        }
    }

    // MARK: Pairs

    /// Products compared by bytes: "é" precomposed and decomposed are two products, as everywhere in the store.
    @Test("pairs are numbered in the order met, found again by their bytes, and kept apart by bytes")
    func pairNumbering() {
        var pairs = LineProducts()
        func ref(_ id: String, _ name: String) -> Int {
            var id = id, name = name
            return id.withUTF8 { i in name.withUTF8 { pairs.ref(productId: i, name: $0) } }
        }
        #expect(ref("SKU-1", "Kaffe") == 0)
        #expect(ref("SKU-1", "") == 1)
        #expect(ref("SKU-2", "Kaffe") == 2)
        #expect(ref("SKU-1", "Kaffe") == 0)
        #expect(ref("caf\u{E9}", "x") == 3)
        #expect(ref("cafe\u{301}", "x") == 4)
        // The separator cannot be forged: "a" + "b\u{FF}c" is not "a\u{FF}b" + "c" (0xFF never occurs in UTF-8).
        #expect(ref("ab", "c") == 5)
        #expect(ref("a", "bc") == 6)
        for n in 0..<2_000 { #expect(ref("P\(n)", "") == 7 + n) }   // through several table growths
        #expect(ref("SKU-2", "Kaffe") == 2)
        #expect(pairs.added == Array(0..<2_007))
        #expect(pairs.pair(4)?.productId == "cafe\u{301}")
        #expect(pairs.pair(2_007) == nil)
    }

    /// Three orders; then each step replaces one, and the pair and product tables are read back by SQL.
    @Test("a pair lives while a stored line names it; a product keeps its latest written name")
    func pairLifecycle() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let path = scratch.path("shop.sqlite")
        let store = try SQLiteOrderStore(path: path)
        let database = try SQLiteShopDatabase(path: path)
        func order(_ id: String, _ lines: [(String, String)]) -> Order {
            Order(id: id, placedAt: Instant(seconds: 1_700_000_000), customerId: "c", email: nil, status: .placed,
                  currency: Currency(code: "DKK")!, total: 100, refunded: 0, country: nil,
                  lines: lines.map { OrderLine(productId: $0.0, productName: $0.1, quantity: 2, unitPrice: 50, returnedQuantity: 0) })
        }
        func table(_ sql: String) async throws -> String { try await database.text(sql) ?? "" }
        let pairsSQL = "SELECT group_concat(product_id || ':' || name || '=' || line_count, ' ') FROM (SELECT * FROM line_products ORDER BY ref)"
        let productsSQL = "SELECT group_concat(id || ':' || name || '=' || line_count, ' ') FROM (SELECT * FROM products ORDER BY id)"

        _ = try await store.replaceOrders([order("A", [("P1", "One")]), order("B", [("P1", "One"), ("P2", "Two")]),
                                           order("C", [("P2", "Two")])])
        #expect(try await table(pairsSQL) == "P1:One=2 P2:Two=2")
        #expect(try await table(productsSQL) == "P1:One=2 P2:Two=2")

        // C now sells P3: P2 keeps B's line.
        _ = try await store.replaceOrders([order("C", [("P3", "Three")])])
        #expect(try await table(pairsSQL) == "P1:One=2 P2:Two=1 P3:Three=1")

        // B drops P2: its last line goes, and so do its pair and its product.
        _ = try await store.replaceOrders([order("B", [("P1", "One")])])
        #expect(try await table(pairsSQL) == "P1:One=2 P3:Three=1")
        #expect(try await table(productsSQL) == "P1:One=2 P3:Three=1")

        // A renames P1: both names are stored (B still says "One"); the product takes the new one.
        _ = try await store.replaceOrders([order("A", [("P1", "Uno")])])
        #expect(try await table(pairsSQL) == "P1:One=1 P3:Three=1 P1:Uno=1")
        #expect(try await table(productsSQL) == "P1:Uno=2 P3:Three=1")
        #expect(try await store.allOrders().map { $0.lines.map(\.productName) } == [["Uno"], ["One"], ["Three"]])

        // The same orders again change nothing, not even the pair numbers.
        let before = try await table("SELECT group_concat(ref, ',') FROM line_products")
        #expect(try await store.replaceOrders([order("A", [("P1", "Uno")]), order("B", [("P1", "One")])])
                == ReplaceSummary(unchanged: 2))
        #expect(try await table("SELECT group_concat(ref, ',') FROM line_products") == before)
        #expect(try await store.counts() == StoreCounts(orders: 3, lines: 3, products: 2))
    }

    /// A streamed import that sends an order twice: the first version's pair is written, then its only line is
    /// replaced within the same transaction, so the pair ends with no line and must not stay behind.
    @Test("a pair added for an order that the same write replaces again is not left behind")
    func pairOfReplacedSend() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let path = scratch.path("shop.sqlite")
        let store = try SQLiteOrderStore(path: path)
        func order(_ product: String) -> Order {
            Order(id: "X", placedAt: Instant(seconds: 1_700_000_000), customerId: nil, email: "a@b.dk", status: .placed,
                  currency: Currency(code: "DKK")!, total: 10, refunded: 0, country: nil,
                  lines: [OrderLine(productId: product, productName: "n", quantity: 1, unitPrice: 10, returnedQuantity: 0)])
        }
        let source = OrderBatchSource(capacity: 2)
        async let written = store.replaceOrders(streaming: source)
        #expect(source.push(try OrderBatch([order("first")])))
        #expect(source.push(try OrderBatch([order("second")])))
        source.finish()
        #expect(try await written == ReplaceSummary(inserted: 1))
        let database = try SQLiteShopDatabase(path: path)
        #expect(try await database.text("SELECT group_concat(product_id || '=' || line_count) FROM line_products") == "second=1")
        #expect(try await database.text("SELECT group_concat(id || '=' || line_count) FROM products") == "second=1")
    }

    /// Batches packed the importer's way, each line with its pair key (product number << 32 | name number):
    /// product 3 alternates between two names line by line (the cache by product number must tell them apart),
    /// product 4 has no name (name number -1), a line without a key is looked up by its bytes, and a product
    /// number past `PairKeyCache.limit` is not cached. Read back, every line has the bytes it was sent with.
    @Test("lines with pair keys store the bytes they were sent with, a product alternating between two names included")
    func pairKeys() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let store = try SQLiteOrderStore(path: scratch.path("shop.sqlite"))
        let lines: [(product: String, name: String, key: Int64)] = [
            ("P3", "Mug – red", 3 << 32 | 5), ("P3", "Mug – blue", 3 << 32 | 6), ("P3", "Mug – red", 3 << 32 | 5),
            ("P4", "", 4 << 32 | 0xFFFF_FFFF), ("P3", "Mug – blue", 3 << 32 | 6), ("P5", "Cup", -1),
            ("P9", "Big", Int64(PairKeyCache.limit + 1) << 32 | 7), ("P9", "Big", Int64(PairKeyCache.limit + 1) << 32 | 7),
        ]
        var expected: [Order] = []
        var batches: [OrderBatch] = []
        for (i, l) in lines.enumerated() {
            var batch = OrderBatch()
            let id = "o\(i)"
            try Array(id.utf8).withUnsafeBufferPointer { idBytes in
                try Array("DKK".utf8).withUnsafeBufferPointer { currency in
                    try batch.appendOrder(id: idBytes, placedAt: 1_700_000_000 + Int64(i), customerId: nil, email: nil,
                                          cancelled: false, currency: currency, total: 100, refunded: 0, shopTotal: 100,
                                          shopRefunded: 0, rate: nil, country: nil)
                }
            }
            try Array(l.product.utf8).withUnsafeBufferPointer { product in
                try Array(l.name.utf8).withUnsafeBufferPointer { name in
                    try batch.appendLine(productId: product, productName: name, quantity: 2, unitPrice: 50,
                                         returnedQuantity: 0, pairKey: l.key)
                }
            }
            batches.append(batch)
            expected.append(Order(id: id, placedAt: Instant(seconds: 1_700_000_000 + Int64(i)), customerId: nil, email: nil,
                                  status: .placed, currency: Currency(code: "DKK")!, total: 100, refunded: 0, country: nil,
                                  lines: [OrderLine(productId: l.product, productName: l.name, quantity: 2, unitPrice: 50,
                                                    returnedQuantity: 0)]))
        }
        let source = OrderBatchSource(capacity: 2)
        async let written = store.replaceOrders(streaming: source)
        for batch in batches { #expect(source.push(batch)) }
        source.finish()
        #expect(try await written == ReplaceSummary(inserted: lines.count))
        #expect(try await store.allOrders() == expected.sorted { StoreContent.precedes($0.id, $1.id) })
    }

    @Test("the pair-key cache answers only the key it was given for a product number")
    func pairKeyCache() {
        var cache = PairKeyCache()
        #expect(cache.ref(3 << 32 | 5) == nil)
        cache.set(3 << 32 | 5, 17)
        #expect(cache.ref(3 << 32 | 5) == 17)
        #expect(cache.ref(3 << 32 | 6) == nil)  // same product, another name
        cache.set(3 << 32 | 6, 18)
        #expect(cache.ref(3 << 32 | 6) == 18 && cache.ref(3 << 32 | 5) == nil)
        cache.set(-1, 1)
        #expect(cache.ref(-1) == nil)
        let far = Int64(PairKeyCache.limit) << 32
        cache.set(far, 2)
        #expect(cache.ref(far) == nil)
    }

    // MARK: Upgrading a file

    /// A file at the v6 schema, as the earlier version wrote it: two shops, lines in `order_lines` (out of key
    /// order on purpose), a product under two names, a negative price, an order without lines, and text that
    /// is only equal after Unicode normalisation. Expected orders are written out by hand.
    @Test("an older file's order_lines move into their orders: every order and count reads back the same")
    func migration() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let path = scratch.path("old.sqlite")
        let thresholds = try ShopSettings.Thresholds().storedJSON()
        try SQLiteShopDatabase.writeEarlierVersion(path: path, upTo: "v6-shop-handles", then: """
            INSERT INTO shop (id, name, time_zone, currency, locale, thresholds, handle)
                VALUES (1, 'One', 'Europe/Copenhagen', 'DKK', 'da_DK', '\(thresholds)', 'default'),
                       (2, 'Two', 'Europe/Oslo', 'NOK', 'nb_NO', '\(thresholds)', 'two');
            INSERT INTO shop_revision (shop_id, instance, counter) VALUES (1, 'aaaa', 3), (2, 'bbbb', 5);
            INSERT INTO orders (shop_id, id, placed_at, customer_id, email, status, currency, total, refunded,
                                shop_total, shop_refunded, rate, country) VALUES
                (1, 'o1', 1700000000, 'c1', NULL, 'placed', 'DKK', 1000, 0, 1000, 0, NULL, 'DK'),
                (1, 'o2', 1700000100, NULL, 'x@y.dk', 'cancelled', 'EUR', 500, 100, 3730, 746, '7.46', NULL),
                (1, 'o3', 1700000200, 'c2', NULL, 'placed', 'DKK', 0, 0, 0, 0, NULL, NULL),
                (2, 'o1', 1700000300, 'n1', NULL, 'placed', 'NOK', 200, 0, 200, 0, NULL, 'NO');
            INSERT INTO order_lines (shop_id, order_id, line_no, product_id, product_name, quantity, unit_price,
                                     returned_quantity) VALUES
                (1, 'o2', 0, 'SKU-1', 'Kaffe', 1, 500, 0),
                (1, 'o1', 1, 'caf\u{E9}', '', 3, -50, 1),
                (1, 'o1', 0, 'SKU-1', 'Kaffe', 2, 525, 0),
                (1, 'o2', 1, 'SKU-1', 'Kaffe 500 g', 1000000000, 0, 1000000000),
                (1, 'o2', 2, 'cafe\u{301}', '', 1, 1, 0),
                (2, 'o1', 0, 'SKU-1', 'Kaffe', 4, 50, 0);
            INSERT INTO products (shop_id, id, name, line_count) VALUES
                (1, 'SKU-1', 'Kaffe 500 g', 3), (1, 'caf\u{E9}', '', 1), (1, 'cafe\u{301}', '', 1), (2, 'SKU-1', 'Kaffe', 1);
            """)
        let dkk = Currency(code: "DKK")!
        func line(_ id: String, _ name: String, _ q: Int64, _ p: Int64, _ r: Int64) -> OrderLine {
            OrderLine(productId: id, productName: name, quantity: q, unitPrice: p, returnedQuantity: r)
        }
        let expected = [
            Order(id: "o1", placedAt: Instant(seconds: 1_700_000_000), customerId: "c1", email: nil, status: .placed,
                  currency: dkk, total: 1000, refunded: 0, country: "DK",
                  lines: [line("SKU-1", "Kaffe", 2, 525, 0), line("caf\u{E9}", "", 3, -50, 1)]),
            Order(id: "o2", placedAt: Instant(seconds: 1_700_000_100), customerId: nil, email: "x@y.dk", status: .cancelled,
                  currency: Currency(code: "EUR")!, total: 500, refunded: 100, shopTotal: 3730, shopRefunded: 746,
                  rate: "7.46", country: nil,
                  lines: [line("SKU-1", "Kaffe", 1, 500, 0), line("SKU-1", "Kaffe 500 g", 1_000_000_000, 0, 1_000_000_000),
                          line("cafe\u{301}", "", 1, 1, 0)]),
            Order(id: "o3", placedAt: Instant(seconds: 1_700_000_200), customerId: "c2", email: nil, status: .placed,
                  currency: dkk, total: 0, refunded: 0, country: nil, lines: []),
        ]
        let store = try SQLiteOrderStore(path: path)
        let orders = try await store.allOrders()
        #expect(orders == expected)
        // Compared by bytes: the decomposed product id did not turn into the precomposed one.
        #expect(orders.map { $0.lines.map { Array($0.productId.utf8) } } == expected.map { $0.lines.map { Array($0.productId.utf8) } })
        #expect(try await store.counts() == StoreCounts(orders: 3, lines: 5, products: 3))
        #expect(try await store.revision() == "aaaa-3", "the move changes no content")
        let second = try SQLiteShopDatabase(path: path).orderStore(shop: "two")
        #expect(try await second.allOrders().map { $0.lines } == [[line("SKU-1", "Kaffe", 4, 50, 0)]])
        #expect(try await second.counts() == StoreCounts(orders: 1, lines: 1, products: 1))

        let database = try SQLiteShopDatabase(path: path)
        #expect(try await database.text("SELECT count(*) FROM sqlite_master WHERE name = 'order_lines'") == "0")
        // Pairs per shop, numbered in key order of (order id, line number), with their line counts.
        #expect(try await database.text("""
            SELECT group_concat(shop_id || '/' || ref || ':' || product_id || ':' || name || '=' || line_count, ' ')
            FROM (SELECT * FROM line_products ORDER BY shop_id, ref)
            """) == "1/0:SKU-1:Kaffe=2 1/1:caf\u{E9}:=1 1/2:SKU-1:Kaffe 500 g=1 1/3:cafe\u{301}:=1 2/0:SKU-1:Kaffe=1")
        #expect(try await database.text("SELECT group_concat(line_count) FROM (SELECT line_count FROM orders ORDER BY shop_id, id)") == "2,3,0,1")

        // Written again as they are, the migrated orders are unchanged; one changed line replaces its order.
        #expect(try await store.replaceOrders(expected) == ReplaceSummary(unchanged: 3))
        var changed = expected[1]
        changed.lines[0].quantity = 2
        #expect(try await store.replaceOrders([changed]) == ReplaceSummary(replaced: 1))
        #expect(try await store.allOrders()[1] == changed)
    }
}
