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
    private var log: [PrivacyLogEntry] = []
    private var forgotten = Set<ByteString>()
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
            // A forgotten order brought back by an import has its personal fields erased again at once.
            orders[key] = forgotten.contains(key) ? CustomerSelection.anonymised(order) : order
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
                               audienceSeedVersion: seedVersion, privacyLog: log,
                               forgottenOrderIds: forgotten.map(\.value).sorted(by: StoreContent.precedes))
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

    // MARK: Privacy

    /// Anonymises the orders of the customers `matches` name, deletes the audiences that mention them and logs
    /// the counts (see `OrderStore.forget`).
    public func forget(customers matches: [CustomerMatch], action: PrivacyAction, at: Instant) -> ForgetSummary {
        var selection = CustomerSelection(matches)
        let sorted = sortedOrders()
        if selection.needsFirstPass {
            for order in sorted { selection.note(customerId: order.customerId, email: order.email, placedAt: order.placedAt) }
            selection.endFirstPass()
        }
        for order in sorted where selection.select(orderId: order.id, customerId: order.customerId, email: order.email) {
            orders[ByteString(order.id)] = CustomerSelection.anonymised(order)
            forgotten.insert(ByteString(order.id))
        }
        let doomed = selection.audiencesToDelete(listAudiences())
        for audience in doomed { audiences.removeValue(forKey: ByteString(audience.name)) }
        let summary = selection.summary(audiencesDeleted: doomed.map(\.name))
        if summary.orders > 0 { changes += 1 }
        if !summary.isEmpty { log.append(PrivacyLogEntry(at: at, action: action, summary: summary)) }
        return summary
    }

    /// The privacy log, oldest first.
    public func privacyLog() -> [PrivacyLogEntry] { log }

    private func sortedOrders() -> [Order] {
        orders.values.sorted { StoreContent.precedes($0.id, $1.id) }
    }
}
