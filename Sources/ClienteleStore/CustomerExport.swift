import ClienteleCore

/// Everything a shop stores about one person, for a right-of-access request (docs/privacy.md, "Export"): the
/// customers the request names (`CustomerMatch`), every stored order of theirs with its lines exactly as stored
/// (cancelled ones included), the saved audiences each customer is in as of a date, and what Clientele derives
/// from them. `clientele customer export` and `GET /api/v1/customers/{key}/export` print its `json()`.
public struct CustomerExport: Sendable {
    /// The shop's display name.
    public var shopName: String
    /// What the request named.
    public var request: CustomerMatch
    /// The date audience membership is judged at.
    public var asOf: ShopDate
    /// The shop's calendar (timestamps are written with its offset).
    public var calendar: ShopCalendar
    /// The shop's reporting currency, when set.
    public var shopCurrency: Currency?
    /// The orders, by time (then id).
    public var orders: [Order]
    /// The audiences each customer (by key) is in as of `asOf`.
    public var audiences: [String: [String]]
    /// Saved audiences that could not be judged (a filter on predicted values without a current fit, or one
    /// that no longer reads), by name.
    public var audiencesNotEvaluated: [String]

    /// The format tag written first, so that a later change of shape is visible.
    public static let format = "clientele-customer-export-v1"

    /// What Clientele derives from a person's orders and where it is kept (the export's `derived` list).
    public static let derivedNote = [
        "Reports, audiences, lifecycle stages, groups and predictions are computed from these orders when they are shown; none of them is stored per person.",
        "The engine's snapshot file beside the database (PATH.snapshot; for PostgreSQL in the user's cache directory) holds a copy of customer keys, e-mails and countries for speed. It is rebuilt from the database, and deleted and rebuilt when a customer is forgotten.",
        "A saved fit of the predictive model (PATH.model.json) holds parameters for the whole shop, nothing about one person.",
        "The privacy log records when customers were forgotten and how many, never who.",
    ]

    /// An export of `orders` (the store's `ordersOf(customer:)` for `request`).
    public init(shopName: String, request: CustomerMatch, asOf: ShopDate, calendar: ShopCalendar, shopCurrency: Currency?,
                orders: [Order], audiences: [String: [String]] = [:], audiencesNotEvaluated: [String] = []) {
        self.shopName = shopName
        self.request = request
        self.asOf = asOf
        self.calendar = calendar
        self.shopCurrency = shopCurrency
        self.orders = orders.sorted { a, b in
            a.placedAt != b.placedAt ? a.placedAt < b.placedAt : StoreContent.precedes(a.id, b.id)
        }
        self.audiences = audiences
        self.audiencesNotEvaluated = audiencesNotEvaluated
    }

    /// The customer keys of the orders, in the order of each customer's first order.
    public var customerKeys: [String] {
        var seen = Set<ByteString>(), keys: [String] = []
        for order in orders {
            if let key = order.customerKey, seen.insert(ByteString(key)).inserted { keys.append(key) }
        }
        return keys
    }

    /// Which of `saved` each of `keys` is in as of `asOf` (METRICS.md, "Audiences"), and the audiences that could
    /// not be judged: filters on predicted values when `predictions` is nil, and filters that no longer parse.
    public static func memberships(snapshot: ShopSnapshot, keys: [String], saved: [SavedAudience], asOf: ShopDate,
                                   thresholds: ShopSettings.Thresholds, currency: Currency, calendar: ShopCalendar,
                                   predictions: PredictedValues? = nil) -> (audiences: [String: [String]], notEvaluated: [String]) {
        let ids = keys.compactMap { key in snapshot.customer(withKey: key).map { (key, $0) } }
        var out: [String: [String]] = [:]
        var notEvaluated: [String] = []
        guard !ids.isEmpty else { return ([:], []) }
        var ctx = AudienceContext(snapshot: snapshot, asOf: asOf, thresholds: thresholds, currency: currency)
        ctx.calendar = calendar
        ctx.predictions = predictions
        for audience in saved {
            guard let filter = try? AudienceFilter(audience.filter), !filter.usesPredictions || predictions != nil else {
                notEvaluated.append(audience.name)
                continue
            }
            let mask = filter.customers(in: ctx)
            for (key, c) in ids where mask[c] { out[key, default: []].append(audience.name) }
        }
        return (out, notEvaluated)
    }

    /// The export as ordered JSON: format, shop, request, asOf, customers, orders, audiencesNotEvaluated, derived.
    public var jsonValue: JSONValue {
        let request: JSONValue
        switch self.request {
        case .email(let e): request = .object([("email", .string(CustomerIdentity.normalisedEmail(e) ?? e))])
        case .customerKey(let k): request = .object([("customer", .string(k))])
        case .lastOrderBefore(let t): request = .object([("lastOrderBefore", .string(t.description))])
        }
        return .object([
            ("export", .string(Self.format)),
            ("shop", .string(shopName)),
            ("request", request),
            ("asOf", .string(asOf.description)),
            ("customers", .array(customerKeys.map(customerJSON))),
            ("orders", .array(orders.map(orderJSON))),
            ("audiencesNotEvaluated", .array(audiencesNotEvaluated.map { .string($0) })),
            ("derived", .array(Self.derivedNote.map { .string($0) })),
        ])
    }

    /// `jsonValue` as text.
    public func json() -> String { jsonValue.rendered() }

    private func customerJSON(_ key: String) -> JSONValue {
        let mine = orders.filter { $0.customerKey.map { StoreContent.sameBytes($0, key) } ?? false }
        func distinct(_ values: [String?]) -> [JSONValue] {
            var seen = Set<ByteString>(), out: [JSONValue] = []
            for case let v? in values where seen.insert(ByteString(v)).inserted { out.append(.string(v)) }
            return out
        }
        return .object([
            ("key", .string(key)),
            ("customerIds", .array(distinct(mine.map { $0.customerId.map(CustomerIdentity.trim).flatMap { $0.isEmpty ? nil : $0 } }))),
            ("emails", .array(distinct(mine.map { $0.email }))),
            ("countries", .array(distinct(mine.map { $0.country }))),
            ("orders", .int(mine.count)),
            ("cancelledOrders", .int(mine.filter(\.isCancelled).count)),
            ("firstOrder", .string(mine.first.map { calendar.iso8601($0.placedAt) })),
            ("lastOrder", .string(mine.last.map { calendar.iso8601($0.placedAt) })),
            ("audiences", .array((audiences[key] ?? []).map { .string($0) })),
        ])
    }

    private func orderJSON(_ o: Order) -> JSONValue {
        let digits = o.currency.minorDigits
        let shopDigits = shopCurrency?.minorDigits ?? digits
        return .object([
            ("id", .string(o.id)),
            ("placedAt", .string(calendar.iso8601(o.placedAt))),
            ("status", .string(o.status.rawValue)),
            ("customer", .string(o.customerKey)),
            ("customerId", .string(o.customerId)),
            ("email", .string(o.email)),
            ("country", .string(o.country)),
            ("currency", .string(o.currency.code)),
            ("total", .string(Money.decimalString(o.total, digits: digits))),
            ("refunded", .string(Money.decimalString(o.refunded, digits: digits))),
            ("shopCurrency", .string(shopCurrency?.code)),
            ("shopTotal", .string(Money.decimalString(o.shopTotal, digits: shopDigits))),
            ("shopRefunded", .string(Money.decimalString(o.shopRefunded, digits: shopDigits))),
            ("rate", .string(o.rate)),
            ("lines", .array(o.lines.map { l in
                .object([
                    ("productId", .string(l.productId)),
                    ("productName", .string(l.productName)),
                    ("quantity", .int(Int(l.quantity))),
                    ("unitPrice", .string(Money.decimalString(l.unitPrice, digits: digits))),
                    ("returnedQuantity", .int(Int(l.returnedQuantity))),
                ])
            })),
        ])
    }
}
