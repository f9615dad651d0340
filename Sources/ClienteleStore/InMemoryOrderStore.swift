import ClienteleCore

/// The reference `OrderStore`: everything in memory, lost when the process ends. Same contract as the
/// database stores (ids compared by bytes, all-or-nothing batches, the same checksum for the same content).
public actor InMemoryOrderStore: OrderStore {
    private var settings: ShopSettings
    private var orders: [ByteString: Order] = [:]
    /// This store's identity in revision tokens, and its change counter.
    private let instance = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    private var changes = 0
    private var audiences: [ByteString: SavedAudience] = [:]
    private var seedVersion = 0
    /// Tokens, users and sessions (`InMemoryOrderStore+Access.swift`).
    var access = InMemoryAccess()

    /// An empty store with the given settings (METRICS.md defaults unless told otherwise).
    public init(settings: ShopSettings = ShopSettings()) {
        self.settings = settings
    }

    /// The shop's settings.
    public func loadSettings() -> ShopSettings { settings }

    /// Replaces the shop's settings.
    public func saveSettings(_ settings: ShopSettings) {
        if settings != self.settings { changes += 1 }
        self.settings = settings
    }

    /// The revision token: this store's random instance id and its change counter.
    public func revision() -> String { "\(instance)-\(changes)" }

    /// Inserts or replaces the orders, all or nothing (the whole batch is checked before anything changes).
    public func replaceOrders(_ batch: [Order]) throws -> ReplaceSummary {
        // Check the whole batch first: nothing changes unless every order is acceptable.
        var seen = Set<ByteString>(minimumCapacity: batch.count)
        for order in batch {
            try StoreContent.validate(order)
            guard seen.insert(ByteString(order.id)).inserted else { throw StoreContent.duplicateError(order.id) }
        }
        var summary = ReplaceSummary()
        for order in batch {
            let key = ByteString(order.id)
            if let old = orders[key] {
                if StoreContent.sameContent(old, order) {
                    summary.unchanged += 1
                    continue
                }
                summary.replaced += 1
            } else {
                summary.inserted += 1
            }
            orders[key] = order
        }
        if summary.inserted + summary.replaced > 0 { changes += 1 }
        return summary
    }

    /// Calls `body` with every order in ascending id (by bytes).
    public nonisolated func scanOrders(_ body: (Order) throws -> Void) async throws {
        // A consistent copy taken on the actor; `body` runs outside it.
        for order in await sortedOrders() { try body(order) }
    }

    /// Counts of orders, lines and distinct product ids.
    public func counts() -> StoreCounts {
        var products = Set<ByteString>()
        var lines = 0
        for order in orders.values {
            lines += order.lines.count
            for line in order.lines { products.insert(ByteString(line.productId)) }
        }
        return StoreCounts(orders: orders.count, lines: lines, products: products.count)
    }

    /// The `StoreChecksum` of settings, orders and audiences.
    public func contentChecksum() -> String {
        StoreChecksum.checksum(settings: settings, orders: sortedOrders(), audiences: listAudiences(),
                               audienceSeedVersion: seedVersion)
    }

    // MARK: Audiences

    /// The saved audiences in ascending name by bytes.
    public func listAudiences() -> [SavedAudience] {
        audiences.values.sorted { StoreContent.precedes($0.name, $1.name) }
    }

    /// Inserts or replaces the audience with the same name.
    public func saveAudience(_ audience: SavedAudience) throws {
        try SavedAudience.validate(audience)
        audiences[ByteString(audience.name)] = audience
    }

    /// Deletes the audience called `name`; `false` when there is none.
    public func deleteAudience(name: String) -> Bool {
        audiences.removeValue(forKey: ByteString(name)) != nil
    }

    /// The built-in audience seed version (0: never seeded).
    public func audienceSeedVersion() -> Int { seedVersion }

    /// Seeds the audiences whose names are free when the seed version is below `version`.
    public func seedAudiences(_ batch: [SavedAudience], version: Int) throws -> [String] {
        guard seedVersion < version else { return [] }
        for audience in batch { try SavedAudience.validate(audience) }
        var inserted: [String] = []
        for audience in batch where audiences[ByteString(audience.name)] == nil {
            audiences[ByteString(audience.name)] = audience
            inserted.append(audience.name)
        }
        seedVersion = version
        return inserted
    }

    private func sortedOrders() -> [Order] {
        orders.values.sorted { StoreContent.precedes($0.id, $1.id) }
    }
}
