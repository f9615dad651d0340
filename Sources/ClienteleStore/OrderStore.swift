import ClienteleCore

/// Where a shop's orders and settings live. Every implementation passes the same contract suite
/// (`StoreContract` in the tests): SQLite on a file, the in-memory reference store, PostgreSQL.
///
/// All writes are atomic: `replaceOrders` either stores every given order or none.
public protocol OrderStore: Sendable {
    /// The shop's settings; defaults (time zone UTC, no currency) for a new store.
    func loadSettings() async throws -> ShopSettings
    /// Replaces the shop's settings.
    func saveSettings(_ settings: ShopSettings) async throws
    /// Inserts the given orders, replacing any stored order with the same id (a later export is newer
    /// data), in one transaction: all or nothing. Importing the same orders twice changes nothing.
    func replaceOrders(_ orders: [Order]) async throws -> ReplaceSummary
    /// Like `replaceOrders`, for orders that arrive in batches while they are read (`OrderBatchSource`): one
    /// transaction over every batch, committed when the producer finishes, rolled back when it fails or any
    /// order breaks a rule. An id sent again (in a later batch or the same one) replaces the earlier order;
    /// the summary counts each id once, comparing its final order with what the store held before.
    func replaceOrders(streaming source: OrderBatchSource) async throws -> ReplaceSummary
    /// Calls `body` with every stored order (lines included), in ascending order id.
    func scanOrders(_ body: (Order) throws -> Void) async throws
    /// Counts of what the store holds.
    func counts() async throws -> StoreCounts
    /// An opaque token that changes whenever the store's content (orders or settings) changes: caches
    /// derived from the store (the engine's snapshot file) compare it to know whether they are stale.
    /// Two stores never share a token, even when one was deleted and created anew at the same path.
    func revision() async throws -> String
    /// A checksum of the store's whole content (settings and orders with their lines), independent of
    /// insertion order and row ids: equal checksums mean equal content.
    func contentChecksum() async throws -> String

    // MARK: Audiences (saving one changes no revision: the snapshot does not depend on audiences)

    /// The saved audiences, in ascending name by bytes.
    func listAudiences() async throws -> [SavedAudience]
    /// Inserts `audience`, or replaces the saved audience with the same name (bytes); checks
    /// `SavedAudience.validate` first.
    func saveAudience(_ audience: SavedAudience) async throws
    /// Deletes the audience called `name` (bytes); `false` when there is none.
    func deleteAudience(name: String) async throws -> Bool
    /// The version of the built-in audience set this store was last seeded with; 0 when never.
    func audienceSeedVersion() async throws -> Int
    /// In one transaction, only when the store's seed version is below `version`: inserts each of
    /// `audiences` whose name is not taken, and records `version`. Returns the names inserted (none when
    /// another process seeded first). Deleted built-ins are not brought back by a later call with the same version.
    func seedAudiences(_ audiences: [SavedAudience], version: Int) async throws -> [String]

    // MARK: Privacy (docs/privacy.md)

    /// Every stored order, lines included, of the customers `match` names (`CustomerSelection`), in ascending
    /// order id (by bytes): what the store holds about them.
    func ordersOf(customer match: CustomerMatch) async throws -> [Order]
    /// In one transaction: erases the customer id, e-mail and country of every order of the customers `matches`
    /// name (`CustomerSelection`; ids, times, amounts and lines stay, so the orders count on as anonymous orders),
    /// deletes the saved audiences whose name or filter mentions them (`AudienceMentions`), and, when anything
    /// changed, appends a privacy-log entry with the counts (never a name) at `at`. The revision changes when an
    /// order changed. A database store also makes sure the old bytes are gone from its files where it can.
    func forget(customers matches: [CustomerMatch], action: PrivacyAction, at: Instant) async throws -> ForgetSummary
    /// The privacy log, oldest first.
    func privacyLog() async throws -> [PrivacyLogEntry]
}

extension OrderStore {
    /// Applies the shop's retention limit (docs/privacy.md) as of `today`: forgets every customer whose last
    /// order is before the same day `retentionYears` earlier. Nil when the shop has no limit; otherwise the
    /// first day kept and what was forgotten (possibly nothing). After `clientele import` and a dashboard upload.
    public func applyRetentionLimit(now: Instant) async throws -> (years: Int, firstDayKept: ShopDate, summary: ForgetSummary)? {
        let settings = try await loadSettings()
        guard let years = settings.retentionYears else { return nil }
        let calendar = settings.calendar ?? .utc
        let cutoff = CustomerMatch.retentionCutoff(years: years, today: calendar.date(of: now), calendar: calendar)
        let summary = try await forget(customers: [.lastOrderBefore(cutoff.instant)], action: .retention, at: now)
        return (years, cutoff.date, summary)
    }

    /// The orders of the customers `match` names, found with two scans of every order (`scanOrders`).
    public func ordersOf(customer match: CustomerMatch) async throws -> [Order] {
        var selection = CustomerSelection([match])
        if selection.needsFirstPass {
            try await scanOrders { selection.note(customerId: $0.customerId, email: $0.email, placedAt: $0.placedAt) }
            selection.endFirstPass()
        }
        var orders: [Order] = []
        try await scanOrders { order in
            if selection.select(orderId: order.id, customerId: order.customerId, email: order.email) { orders.append(order) }
        }
        return orders
    }
}

/// What `replaceOrders` did.
public struct ReplaceSummary: Hashable, Sendable {
    /// Orders whose id was not in the store.
    public var inserted: Int
    /// Orders that replaced a stored order with different content.
    public var replaced: Int
    /// Orders identical to the stored order with the same id.
    public var unchanged: Int

    /// A summary of `inserted`, `replaced` and `unchanged` orders.
    public init(inserted: Int = 0, replaced: Int = 0, unchanged: Int = 0) {
        self.inserted = inserted
        self.replaced = replaced
        self.unchanged = unchanged
    }
}

/// How much a store holds.
public struct StoreCounts: Hashable, Sendable {
    /// Orders, cancelled included.
    public var orders: Int
    /// Order lines.
    public var lines: Int
    /// Distinct products.
    public var products: Int

    /// Counts of `orders`, `lines` and `products`.
    public init(orders: Int, lines: Int, products: Int) {
        self.orders = orders
        self.lines = lines
        self.products = products
    }
}
