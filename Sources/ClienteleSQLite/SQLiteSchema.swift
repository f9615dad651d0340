internal import GRDB

/// The database schema: append-only, named migrations. Never edit a registered migration; add a new one.
enum SQLiteSchema {
    /// `PRAGMA application_id` of a Clientele database ("Clnt").
    static let applicationId: Int32 = 0x436C_6E74

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-shops-orders-lines") { db in
            try db.execute(sql: """
                PRAGMA application_id = \(applicationId);

                -- A shop and its settings. One row (id 1) for now.
                CREATE TABLE shop (
                    id INTEGER PRIMARY KEY CHECK (id >= 1),
                    name TEXT NOT NULL,
                    time_zone TEXT NOT NULL CHECK (time_zone <> ''),
                    currency TEXT CHECK (currency IS NULL OR length(currency) = 3),
                    locale TEXT NOT NULL,
                    thresholds TEXT NOT NULL CHECK (json_valid(thresholds))
                ) STRICT;

                -- One row per order; amounts in minor units; placed_at in seconds since the Unix epoch.
                CREATE TABLE orders (
                    shop_id INTEGER NOT NULL REFERENCES shop(id),
                    id TEXT NOT NULL CHECK (id <> ''),
                    placed_at INTEGER NOT NULL,
                    customer_id TEXT,
                    email TEXT,
                    status TEXT NOT NULL CHECK (status IN ('placed', 'cancelled')),
                    currency TEXT NOT NULL CHECK (length(currency) = 3),
                    total INTEGER NOT NULL CHECK (total >= 0),
                    refunded INTEGER NOT NULL CHECK (refunded >= 0 AND refunded <= total),
                    shop_total INTEGER NOT NULL CHECK (shop_total >= 0),
                    shop_refunded INTEGER NOT NULL CHECK (shop_refunded >= 0 AND shop_refunded <= shop_total),
                    rate TEXT,
                    country TEXT CHECK (country IS NULL OR length(country) = 2),
                    PRIMARY KEY (shop_id, id)
                ) STRICT, WITHOUT ROWID;

                -- An order's lines, numbered from 0 in the order given. product_name is kept per line so
                -- that every line reads back exactly as imported; products holds the latest name.
                CREATE TABLE order_lines (
                    shop_id INTEGER NOT NULL,
                    order_id TEXT NOT NULL,
                    line_no INTEGER NOT NULL CHECK (line_no >= 0),
                    product_id TEXT NOT NULL CHECK (product_id <> ''),
                    product_name TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    unit_price INTEGER NOT NULL,
                    returned_quantity INTEGER NOT NULL CHECK (returned_quantity >= 0 AND returned_quantity <= quantity),
                    PRIMARY KEY (shop_id, order_id, line_no),
                    FOREIGN KEY (shop_id, order_id) REFERENCES orders(shop_id, id) ON DELETE CASCADE
                ) STRICT, WITHOUT ROWID;

                -- Every product some stored line refers to: its latest non-empty name and how many stored
                -- lines refer to it (rows at zero are deleted in the same transaction).
                CREATE TABLE products (
                    shop_id INTEGER NOT NULL REFERENCES shop(id),
                    id TEXT NOT NULL CHECK (id <> ''),
                    name TEXT NOT NULL,
                    line_count INTEGER NOT NULL CHECK (line_count >= 0),
                    PRIMARY KEY (shop_id, id)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-store-revision") { db in
            try db.execute(sql: """
                -- A token that changes with every write that changes content: the instance is random per
                -- database file, the counter goes up in the same transaction as the change.
                CREATE TABLE store_revision (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    instance TEXT NOT NULL,
                    counter INTEGER NOT NULL CHECK (counter >= 0)
                ) STRICT;
                INSERT INTO store_revision (id, instance, counter) VALUES (1, lower(hex(randomblob(16))), 0);
                """)
        }
        migrator.registerMigration("v3-audiences") { db in
            try db.execute(sql: """
                -- Saved audience filters, by name (compared by bytes). Times in seconds since the Unix epoch,
                -- given by the caller. Audiences do not change the store revision: no snapshot depends on them.
                CREATE TABLE audiences (
                    shop_id INTEGER NOT NULL REFERENCES shop(id),
                    name TEXT NOT NULL CHECK (name <> ''),
                    filter TEXT NOT NULL CHECK (filter <> ''),
                    built_in INTEGER NOT NULL CHECK (built_in IN (0, 1)),
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (shop_id, name)
                ) STRICT, WITHOUT ROWID;

                -- The version of the built-in audience set each shop was last seeded with (no row: never).
                CREATE TABLE audience_seed (
                    shop_id INTEGER PRIMARY KEY REFERENCES shop(id),
                    version INTEGER NOT NULL CHECK (version >= 0)
                ) STRICT;
                """)
        }
        migrator.registerMigration("v4-privacy") { db in
            try db.execute(sql: """
                -- The shop's retention limit in years (docs/privacy.md); NULL: none.
                ALTER TABLE shop ADD COLUMN retention_years INTEGER
                    CHECK (retention_years IS NULL OR retention_years BETWEEN 1 AND 100);

                -- When customers were forgotten, why, and how many: counts only, never an e-mail or a name.
                -- happened_at in seconds since the Unix epoch, given by the caller; id keeps the order of entries.
                CREATE TABLE privacy_log (
                    id INTEGER PRIMARY KEY,
                    shop_id INTEGER NOT NULL REFERENCES shop(id),
                    happened_at INTEGER NOT NULL,
                    action TEXT NOT NULL CHECK (action IN ('forget', 'retention')),
                    customers INTEGER NOT NULL CHECK (customers >= 0),
                    orders INTEGER NOT NULL CHECK (orders >= 0),
                    audiences INTEGER NOT NULL CHECK (audiences >= 0)
                ) STRICT;

                -- The ids of anonymised orders: an import that brings one back (an older export) has its customer
                -- id, e-mail and country erased again in the same transaction. An order id names no one.
                CREATE TABLE forgotten_orders (
                    shop_id INTEGER NOT NULL REFERENCES shop(id),
                    order_id TEXT NOT NULL CHECK (order_id <> ''),
                    PRIMARY KEY (shop_id, order_id)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v5-access") { db in
            try db.execute(sql: """
                -- API tokens (only the SHA-256 of the secret is kept), dashboard users (only a password-KDF
                -- hash) and their sessions (only the SHA-256 of the cookie). Times in seconds since the Unix epoch.
                CREATE TABLE api_tokens (
                    id TEXT PRIMARY KEY CHECK (id <> ''),
                    shop_id INTEGER NOT NULL REFERENCES shop(id),
                    name TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
                    hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
                    created_at INTEGER NOT NULL
                ) STRICT;
                CREATE TABLE users (
                    shop_id INTEGER NOT NULL REFERENCES shop(id),
                    name TEXT NOT NULL CHECK (name <> ''),
                    role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
                    password_hash TEXT NOT NULL CHECK (password_hash <> ''),
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (shop_id, name)
                ) STRICT, WITHOUT ROWID;
                CREATE TABLE sessions (
                    hash TEXT PRIMARY KEY CHECK (length(hash) = 64),
                    shop_id INTEGER NOT NULL,
                    user_name TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
                    csrf TEXT NOT NULL CHECK (csrf <> ''),
                    expires_at INTEGER NOT NULL,
                    FOREIGN KEY (shop_id, user_name) REFERENCES users(shop_id, name) ON DELETE CASCADE
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v6-shop-handles") { db in
            try db.execute(sql: """
                -- Several shops per database. Each shop is named by a unique handle (1-64 characters of a-z, 0-9,
                -- - and _); the one shop of an older database is "default".
                ALTER TABLE shop ADD COLUMN handle TEXT NOT NULL DEFAULT 'default'
                    CHECK (length(handle) BETWEEN 1 AND 64 AND handle NOT GLOB '*[^a-z0-9_-]*');
                CREATE UNIQUE INDEX shop_handle ON shop (handle);

                -- A revision token per shop: a write to one shop changes only its own counter, and every shop has
                -- a random instance of its own, so two shops never share a token. The default shop keeps the
                -- database's former token (snapshot files built from it stay valid).
                CREATE TABLE shop_revision (
                    shop_id INTEGER PRIMARY KEY REFERENCES shop(id) ON DELETE CASCADE,
                    instance TEXT NOT NULL,
                    counter INTEGER NOT NULL CHECK (counter >= 0)
                ) STRICT;
                INSERT INTO shop_revision (shop_id, instance, counter)
                    SELECT shop.id, store_revision.instance, store_revision.counter
                    FROM shop JOIN store_revision ON store_revision.id = 1;
                DROP TABLE store_revision;
                """)
        }
        migrator.registerMigration("v7-packed-lines") { db in
            try db.execute(sql: """
                -- The distinct (product id, product name) pairs that stored lines name, numbered per shop, with how
                -- many stored lines name each (rows at zero are deleted in the same transaction). An order's lines
                -- are packed into its row (orders.lines, see LinePacking): a line names its pair by ref, so the
                -- product's id and name are not repeated per line, and the store writes one row per order.
                CREATE TABLE line_products (
                    shop_id INTEGER NOT NULL REFERENCES shop(id),
                    ref INTEGER NOT NULL CHECK (ref >= 0),
                    product_id TEXT NOT NULL CHECK (product_id <> ''),
                    name TEXT NOT NULL,
                    line_count INTEGER NOT NULL CHECK (line_count >= 0),
                    PRIMARY KEY (shop_id, ref)
                ) STRICT, WITHOUT ROWID;
                CREATE UNIQUE INDEX line_products_pair ON line_products (shop_id, product_id, name);
                ALTER TABLE orders ADD COLUMN line_count INTEGER NOT NULL DEFAULT 0 CHECK (line_count >= 0);
                ALTER TABLE orders ADD COLUMN lines BLOB NOT NULL DEFAULT x'00';
                """)
            try packStoredLines(db)
            try db.execute(sql: "DROP TABLE order_lines")
        }
        return migrator
    }()

    /// Moves every row of `order_lines` into its order's packed `lines` (the v7 migration), shop by shop, in
    /// key order; the pairs are numbered in the order they are met.
    static func packStoredLines(_ db: Database) throws {
        let statement = try db.makeStatement(sql: """
            SELECT shop_id, order_id, product_id, product_name, quantity, unit_price, returned_quantity
            FROM order_lines ORDER BY shop_id, order_id, line_no
            """)
        let update = try db.makeStatement(sql: "UPDATE orders SET line_count = ?3, lines = ?4 WHERE shop_id = ?1 AND id = ?2")
        let l = RawStatement(handle: statement.sqliteStatement)
        let u = RawStatement(handle: update.sqliteStatement)
        defer {
            l.reset()
            u.reset()
        }
        var pairs = LineProducts()
        var counts = PairCounts()
        var shop: Int64 = -1
        var order = ""
        var count = 0
        var body: [UInt8] = []
        func flush() throws {
            guard count > 0 else { return }
            var packed: [UInt8] = []
            LinePacking.appendVarint(UInt64(count), to: &packed)
            packed += body
            u.reset()
            u.bind(1, shop)
            u.bind(2, order)
            u.bind(3, Int64(count))
            try packed.withUnsafeBytes { bytes in
                u.bindBlobStatic(4, bytes.baseAddress!, count: bytes.count)
                _ = try u.step()
                u.reset()
                u.bindNull(4)
            }
            count = 0
            body.removeAll(keepingCapacity: true)
        }
        while try l.step() {
            let lineShop = l.int64(0)
            if lineShop != shop || !l.textEquals(1, order) {
                try flush()
                if lineShop != shop {
                    try pairs.insertAdded(db, shopId: shop)
                    try counts.apply(db, shopId: shop, pairs: pairs)
                    pairs = LineProducts()
                    counts = PairCounts()
                    shop = lineShop
                }
                order = l.text(1)
            }
            let ref = pairs.ref(productId: l.textBytes(2), name: l.textBytes(3))
            counts.wrote(ref)
            LinePacking.appendLine(ref: ref, quantity: l.int64(4), unitPrice: l.int64(5), returned: l.int64(6), to: &body)
            count += 1
        }
        try flush()
        try pairs.insertAdded(db, shopId: shop)
        try counts.apply(db, shopId: shop, pairs: pairs)
    }

    /// Marks a content change of shop `shopId` inside the current write transaction.
    static func bumpRevision(_ db: Database, shopId: Int64) throws {
        try db.execute(sql: "UPDATE shop_revision SET counter = counter + 1 WHERE shop_id = ?", arguments: [shopId])
    }
}
