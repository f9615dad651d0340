/// Whether an order stands or was cancelled (cancelled orders are excluded from everything).
public enum OrderStatus: String, Hashable, Sendable, Codable {
    case placed
    case cancelled
}

/// One line of an order.
public struct OrderLine: Hashable, Sendable {
    /// The product or SKU id.
    public var productId: String
    /// The product's display name (may be empty).
    public var productName: String
    /// Units bought, > 0.
    public var quantity: Int64
    /// Unit price in minor units of the order's currency, as charged.
    public var unitPrice: Int64
    /// Units returned, 0 ≤ returned ≤ quantity.
    public var returnedQuantity: Int64

    /// A line of `quantity` × `productId` at `unitPrice` minor units.
    public init(productId: String, productName: String = "", quantity: Int64, unitPrice: Int64, returnedQuantity: Int64 = 0) {
        self.productId = productId
        self.productName = productName
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.returnedQuantity = returnedQuantity
    }
}

/// An order as imported: the order-level fields once, its lines, and its amounts both as placed and in the
/// shop's reporting currency.
public struct Order: Hashable, Sendable {
    /// The shop's order id, unique per shop.
    public var id: String
    /// When it was placed.
    public var placedAt: Instant
    /// The shop's customer id as given (trimmed), if any.
    public var customerId: String?
    /// The e-mail as given (trimmed), if any.
    public var email: String?
    /// Placed or cancelled.
    public var status: OrderStatus
    /// The currency the order was placed in.
    public var currency: Currency
    /// Order total in minor units of `currency` (VAT and shipping included, as charged).
    public var total: Int64
    /// Refunded amount in minor units of `currency`.
    public var refunded: Int64
    /// `total` converted to the shop's reporting currency (equal to `total` for a home-currency order).
    public var shopTotal: Int64
    /// `refunded` converted to the shop's reporting currency.
    public var shopRefunded: Int64
    /// The rate used when `currency` is not the reporting currency, as text (e.g. `7.46`); `nil` otherwise.
    public var rate: String?
    /// ISO 3166-1 alpha-2 billing country, if known.
    public var country: String?
    /// The order's lines.
    public var lines: [OrderLine]

    /// An order; `shopTotal`/`shopRefunded` default to `total`/`refunded` (a home-currency order).
    public init(id: String, placedAt: Instant, customerId: String? = nil, email: String? = nil,
                status: OrderStatus = .placed, currency: Currency, total: Int64, refunded: Int64 = 0,
                shopTotal: Int64? = nil, shopRefunded: Int64? = nil, rate: String? = nil,
                country: String? = nil, lines: [OrderLine] = []) {
        self.id = id
        self.placedAt = placedAt
        self.customerId = customerId
        self.email = email
        self.status = status
        self.currency = currency
        self.total = total
        self.refunded = refunded
        self.shopTotal = shopTotal ?? total
        self.shopRefunded = shopRefunded ?? refunded
        self.rate = rate
        self.country = country
        self.lines = lines
    }

    /// The customer this order belongs to (METRICS.md, "Identity is decided per order"): the trimmed
    /// customer id if non-empty, else the e-mail trimmed and lower-cased, else `nil` (anonymous).
    public var customerKey: String? { CustomerIdentity.key(customerId: customerId, email: email) }

    /// Whether the order is cancelled.
    public var isCancelled: Bool { status == .cancelled }
}

/// The identity rule of METRICS.md.
public enum CustomerIdentity {
    /// The customer key of an order: trimmed customer id if non-empty, else trimmed lower-cased e-mail if
    /// non-empty, else `nil` (anonymous).
    public static func key(customerId: String?, email: String?) -> String? {
        if let id = customerId.map(trim), !id.isEmpty { return id }
        if let e = email.map(trim), !e.isEmpty { return e.lowercased() }
        return nil
    }

    /// The e-mail as shown: trimmed and lower-cased; `nil` when blank.
    public static func normalisedEmail(_ email: String?) -> String? {
        guard let e = email.map(trim), !e.isEmpty else { return nil }
        return e.lowercased()
    }

    /// Trims spaces, tabs and no-break spaces at both ends.
    public static func trim(_ s: String) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{00A0}" }
        guard let first = s.firstIndex(where: { !isBlank($0) }) else { return "" }
        let last = s.lastIndex(where: { !isBlank($0) })!
        return String(s[first...last])
    }
}
