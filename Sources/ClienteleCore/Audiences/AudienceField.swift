/// One field an audience filter can test (METRICS.md, "Audiences"): its name, what it means, and how to
/// read it for a customer. Adding a field (an RFM segment, a predicted value) is one entry in `all`.
public struct AudienceField: Sendable {
    /// The name as written in filters, e.g. `last_order`.
    public let name: String
    /// Other accepted spellings.
    public let aliases: [String]
    /// What the field means, for `clientele audience fields` and the docs.
    public let summary: String
    /// How the field is read and compared.
    public let kind: Kind
    /// For a date field whose values lie after the as-of date (`next_order`, `reminder_due`): `within 7d`
    /// means from the as-of date up to, not including, 7 days later, instead of the last 7 days.
    public let looksAhead: Bool

    /// The kinds of value a field has; each decides which operators apply.
    public enum Kind: Sendable {
        /// A whole count (`=`, `!=`, `<`, `<=`, `>`, `>=`, `between`).
        case count(@Sendable (AudienceContext, Int) -> Int64?)
        /// Money in minor units of the shop's currency; filters write amounts in major units (`1000.50`).
        case money(@Sendable (AudienceContext, Int) -> Int64?)
        /// A real number (a probability, a score).
        case number(@Sendable (AudienceContext, Int) -> Double?)
        /// A shop date as a day number (`before`, `after`, `within`, comparisons, `between`).
        case date(@Sendable (AudienceContext, Int) -> Int?)
        /// One of a fixed set of values (`=`, `!=`, `in`, `not in`); the closure gives the value's index.
        case category([CategoryValue], @Sendable (AudienceContext, Int) -> Int?)
        /// Free text (`=`, `!=`, `in`, `contains`, `starts with`, `ends with`), compared case-insensitively.
        case text(@Sendable (AudienceContext, Int) -> String?)
        /// A product the customer bought (`bought "P00042"`).
        case product
    }

    /// One value of a category field: the name shown and other accepted spellings.
    public struct CategoryValue: Sendable {
        /// The value's name, e.g. `slipping-away`.
        public let name: String
        /// Other accepted spellings, e.g. `slipping_away`.
        public let aliases: [String]

        /// A value `name` also written as `aliases`.
        public init(_ name: String, _ aliases: [String] = []) {
            self.name = name
            self.aliases = aliases
        }
    }

    /// A field named `name`.
    public init(_ name: String, aliases: [String] = [], _ summary: String, _ kind: Kind, looksAhead: Bool = false) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.kind = kind
        self.looksAhead = looksAhead
    }

    /// What kind of value, in words (for error messages and the field list).
    public var kindName: String {
        switch kind {
        case .count: return "a number"
        case .money: return "an amount"
        case .number: return "a number"
        case .date: return "a date"
        case .category: return "one of a set of values"
        case .text: return "text"
        case .product: return "a product id"
        }
    }

    /// Every field, in the order the docs list them.
    public static let all: [AudienceField] = [
        AudienceField("orders", "orders up to the as-of date", .count { ctx, c in Int64(ctx.profiles.orders[c]) }),
        AudienceField("revenue", "lifetime revenue (gross order totals) in the shop's currency",
                      .money { ctx, c in ctx.profiles.revenue[c] }),
        AudienceField("aov", aliases: ["average_order_value"], "average order value: revenue ÷ orders",
                      .money { ctx, c in ctx.averageOrderValue(c) }),
        AudienceField("items", "units bought (sum of line quantities)", .count { ctx, c in ctx.profiles.items[c] }),
        AudienceField("first_order", "the shop date of the first order", .date { ctx, c in ctx.firstOrderDay(c) }),
        AudienceField("last_order", "the shop date of the last order up to the as-of date",
                      .date { ctx, c in ctx.lastOrderDay(c) }),
        AudienceField("group", "one-time, loyal, frequent or vip (METRICS.md, \"Groups\")",
                      .category(CustomerGroup.allCases.map { g in
                          CategoryValue(g.rawValue, g == .oneTime ? ["one_time", "onetime", "one"] : [])
                      }, { ctx, c in ctx.profiles.group[c].index })),
        AudienceField("stage", "new, active, slipping-away or lost (METRICS.md, \"Stage\")",
                      .category(LifecycleStage.allCases.map { s in
                          CategoryValue(s.rawValue, s == .slippingAway ? ["slipping_away", "slipping"] : [])
                      }, { ctx, c in ctx.profiles.stage[c].index })),
        AudienceField("bought", "bought the product with this id (any order up to the as-of date)", .product),
        AudienceField("country", "the country of the latest order that has one (two letters)",
                      .text { ctx, c in ctx.country(ofCustomer: c) }),
        AudienceField("email", aliases: ["e-mail"], "the e-mail of the latest order that has one",
                      .text { ctx, c in ctx.email(ofCustomer: c) }),
        AudienceField("customer", aliases: ["customer_id"], "the customer key (customer id or e-mail)",
                      .text { ctx, c in ctx.snapshot.customerKey(c) }),
        AudienceField("rfm", aliases: ["rfm_segment"], "the RFM segment (METRICS.md, \"RFM\"), e.g. champions, at-risk",
                      .category(RFM.Segment.allCases.map(Self.rfmValue), { ctx, c in
                          ctx.rfm?.segment(ofCustomer: c).flatMap { s in RFM.Segment.allCases.firstIndex(of: s) }
                      })),
        AudienceField("r_score", "the RFM recency score, 1–5 (5: most recent)",
                      .count { ctx, c in ctx.rfm?.score(ofCustomer: c).map { Int64($0.recency) } }),
        AudienceField("f_score", "the RFM frequency score, 1–5", .count { ctx, c in ctx.rfm?.score(ofCustomer: c).map { Int64($0.frequency) } }),
        AudienceField("m_score", "the RFM monetary score, 1–5", .count { ctx, c in ctx.rfm?.score(ofCustomer: c).map { Int64($0.monetary) } }),
        AudienceField("reminder_due", aliases: ["reminder"],
                      "the next purchase-cycle reminder's due date (the rule of report due); within 7d: due in the next 7 days",
                      .date { ctx, c in ctx.reminderDueDay(c) }, looksAhead: true),
        AudienceField("p_alive", aliases: ["palive", "probability_alive"],
                      "P(alive): the probability the customer is still active (the predictive model; clientele fit)",
                      .number { ctx, c in ctx.predictions?.probabilityAlive(c) }),
        AudienceField("predicted_clv", aliases: ["clv"],
                      "predicted CLV over the next 12 months (1 % a month discount) in the shop's currency (the predictive model)",
                      .money { ctx, c in ctx.predictions?.clv(c) }),
        AudienceField("expected_purchases", "expected purchase days in the next 90 days (the predictive model)",
                      .number { ctx, c in ctx.predictions?.expectedPurchases(c) }),
        AudienceField("next_order", aliases: ["next_order_date"],
                      "the expected date of the next order (the predictive model); within 30d: in the next 30 days",
                      .date { ctx, c in ctx.predictions?.nextOrderDay(c) }, looksAhead: true),
    ]

    /// The fields read from `AudienceContext.rfm`.
    static let rfmFields: Set<String> = ["rfm", "r_score", "f_score", "m_score"]
    /// The fields read from `AudienceContext.predictions` (which the caller supplies from a fitted model).
    public static let predictionFields: Set<String> = ["p_alive", "predicted_clv", "expected_purchases", "next_order"]
    /// The fields read from `AudienceContext.reminderDue`.
    static let reminderFields: Set<String> = ["reminder_due"]

    /// An RFM segment as a filter value: `Potential loyalists` is written `potential-loyalists` (also with
    /// `_` or as the quoted name), `Can't lose them` is `cant-lose-them`.
    static func rfmValue(_ s: RFM.Segment) -> CategoryValue {
        let lower = s.rawValue.lowercased()
        let kebab = String(lower.filter { $0 != "'" }.map { $0 == " " ? "-" : $0 })
        return CategoryValue(kebab, [lower, String(kebab.map { $0 == "-" ? "_" : $0 })])
    }

    /// The field called `name` (or one of its aliases), case-insensitively.
    public static func named(_ name: String) -> AudienceField? {
        let n = name.lowercased()
        return all.first { $0.name == n || $0.aliases.contains(n) }
    }
}
