import ClienteleCore

/// How a privacy request names the customers it is about (docs/privacy.md, "Who is forgotten"). Customers are
/// the customer keys of METRICS.md ("Customer identity"): an order's trimmed customer id, else its trimmed,
/// lower-cased e-mail.
public enum CustomerMatch: Hashable, Sendable {
    /// Every customer with at least one order carrying this e-mail (both sides trimmed and lower-cased, as the
    /// identity rule does), with all of that customer's orders: a registered customer's orders under other
    /// e-mails or none are theirs too.
    case email(String)
    /// The customer with exactly this key (compared by bytes, as reports show it).
    case customerKey(String)
    /// Every customer whose latest order, cancelled ones included, was placed before this instant (the
    /// retention limit).
    case lastOrderBefore(Instant)

    /// The retention limit of `years` as of `today` (docs/privacy.md): the first day kept (the same day `years`
    /// years earlier) and the instant it starts in the shop's calendar; customers whose last order is before it
    /// are forgotten (`lastOrderBefore`).
    public static func retentionCutoff(years: Int, today: ShopDate, calendar: ShopCalendar) -> (date: ShopDate, instant: Instant) {
        let date = today.adding(years: -years)
        return (date, Instant(seconds: calendar.startOfDay(date)))
    }
}

/// Why customers were forgotten, as the privacy log records it.
public enum PrivacyAction: String, Hashable, Sendable, CaseIterable {
    /// A request to forget one person (`clientele customer forget`, the dashboard's forget form).
    case forget
    /// The shop's retention limit (`clientele customer anonymise-inactive`, or after an import).
    case retention
}

/// What forgetting changed.
public struct ForgetSummary: Hashable, Sendable {
    /// Distinct customer keys whose orders were anonymised (how much the customer count drops).
    public var customers: Int
    /// Orders whose customer id, e-mail and country were erased (they stay in the totals as anonymous orders).
    public var orders: Int
    /// Saved audiences deleted because their name or filter mentioned a forgotten customer, by name.
    public var audiencesDeleted: [String]

    /// A summary of `customers` customers, `orders` orders and the audiences deleted.
    public init(customers: Int = 0, orders: Int = 0, audiencesDeleted: [String] = []) {
        self.customers = customers
        self.orders = orders
        self.audiencesDeleted = audiencesDeleted
    }

    /// Whether nothing changed.
    public var isEmpty: Bool { orders == 0 && audiencesDeleted.isEmpty }
}

/// One line of a store's privacy log: when customers were forgotten, why, and how many. It never holds an
/// e-mail, a customer id or anything else that names a person.
public struct PrivacyLogEntry: Hashable, Sendable {
    /// When (given by the caller; stores have no clock).
    public var at: Instant
    /// Why.
    public var action: PrivacyAction
    /// Customers forgotten.
    public var customers: Int
    /// Orders anonymised.
    public var orders: Int
    /// Saved audiences deleted.
    public var audiences: Int

    /// An entry for `summary`, done at `at` for `action`.
    public init(at: Instant, action: PrivacyAction, summary: ForgetSummary) {
        self.init(at: at, action: action, customers: summary.customers, orders: summary.orders,
                  audiences: summary.audiencesDeleted.count)
    }

    /// An entry of the given counts.
    public init(at: Instant, action: PrivacyAction, customers: Int, orders: Int, audiences: Int) {
        self.at = at
        self.action = action
        self.customers = customers
        self.orders = orders
        self.audiences = audiences
    }
}

/// Finds the orders of the customers some `CustomerMatch`es name, in two passes over the stored orders'
/// identity fields (every store runs the same rule, so they agree byte for byte):
///
/// 1. `note(customerId:email:placedAt:)` for every stored order (only when `needsFirstPass`), then
///    `endFirstPass()`: learns the customer keys of the e-mails asked for, and each customer's latest order.
/// 2. `select(orderId:customerId:email:)` for every stored order: `true` for the orders to anonymise.
///
/// The rule is the identity rule of METRICS.md, applied in Swift rather than SQL, so that trimming
/// (spaces, tabs, no-break spaces) and lower-casing (Unicode, not only ASCII) are exactly the engine's.
public struct CustomerSelection: Sendable {
    private var emails: Set<String> = []
    private var keys: Set<ByteString> = []
    private var cutoff: Int64? = nil
    private var latest: [ByteString: Int64] = [:]
    private var selectedKeys: Set<ByteString> = []
    /// The ids of the orders `select` chose, in the order they were chosen.
    public private(set) var selectedOrderIds: [String] = []
    /// Every name the chosen customers go by, lower-cased: their keys, the e-mails of their orders and the
    /// e-mails asked for (what `AudienceMentions` looks for in saved audiences).
    public private(set) var identifiers: Set<String> = []

    /// A selection of the customers `matches` name (their union).
    public init(_ matches: [CustomerMatch]) {
        for match in matches {
            switch match {
            case .email(let e):
                if let normalised = CustomerIdentity.normalisedEmail(e) {
                    emails.insert(normalised)
                    identifiers.insert(normalised)
                }
            case .customerKey(let k):
                keys.insert(ByteString(k))
                identifiers.insert(k.lowercased())
            case .lastOrderBefore(let instant):
                cutoff = max(cutoff ?? Int64.min, instant.seconds)
            }
        }
    }

    /// Whether pass 1 is needed (an e-mail or a retention limit was asked for).
    public var needsFirstPass: Bool { !emails.isEmpty || cutoff != nil }

    /// Pass 1: one stored order's identity fields and time.
    public mutating func note(customerId: String?, email: String?, placedAt: Instant) {
        guard let key = CustomerIdentity.key(customerId: customerId, email: email) else { return }
        let k = ByteString(key)
        if cutoff != nil {
            let t = placedAt.seconds
            if let seen = latest[k] {
                if t > seen { latest[k] = t }
            } else {
                latest[k] = t
            }
        }
        if !emails.isEmpty, let e = CustomerIdentity.normalisedEmail(email), emails.contains(e) {
            keys.insert(k)
        }
    }

    /// The end of pass 1: the customers whose latest order is before the retention cutoff join the selection.
    public mutating func endFirstPass() {
        if let cutoff {
            for (key, t) in latest where t < cutoff { keys.insert(key) }
            latest = [:]
        }
    }

    /// Pass 2: whether the order belongs to a selected customer (it is then recorded).
    public mutating func select(orderId: String, customerId: String?, email: String?) -> Bool {
        guard !keys.isEmpty, let key = CustomerIdentity.key(customerId: customerId, email: email) else { return false }
        let k = ByteString(key)
        guard keys.contains(k) else { return false }
        selectedOrderIds.append(orderId)
        if selectedKeys.insert(k).inserted { identifiers.insert(key.lowercased()) }
        if let e = CustomerIdentity.normalisedEmail(email) { identifiers.insert(e) }
        return true
    }

    /// Distinct customers among the selected orders.
    public var customerCount: Int { selectedKeys.count }

    /// The saved audiences (of `audiences`) to delete with the selected customers: those whose name or filter
    /// mentions one of `identifiers` (`AudienceMentions`), also when no order was selected.
    public func audiencesToDelete(_ audiences: [SavedAudience]) -> [SavedAudience] {
        guard !identifiers.isEmpty else { return [] }
        let mentions = AudienceMentions(identifiers)
        return audiences.filter { mentions.mentioned(in: $0) }
    }

    /// The summary of this selection, with the audiences deleted.
    public func summary(audiencesDeleted: [String]) -> ForgetSummary {
        ForgetSummary(customers: customerCount, orders: selectedOrderIds.count, audiencesDeleted: audiencesDeleted)
    }

    /// `order` with every personal field erased: customer id, e-mail and country (amounts, lines and id stay).
    public static func anonymised(_ order: Order) -> Order {
        var o = order
        o.customerId = nil
        o.email = nil
        o.country = nil
        return o
    }
}
