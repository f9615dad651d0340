/// A shop's settings (METRICS.md, "Ground rules" and "Lifecycle and groups"): passed in, never read from a global.
public struct ShopSettings: Hashable, Sendable, Codable {
    /// The shop's display name.
    public var name: String
    /// The IANA time zone every calendar notion is taken in.
    public var timeZone: String
    /// The reporting currency's ISO 4217 code; `nil` until set or taken from the first import.
    public var currency: String?
    /// The locale money and numbers are shown in, e.g. `da_DK`.
    public var locale: String
    /// The thresholds of METRICS.md, with their defaults.
    public var thresholds: Thresholds
    /// The retention limit (docs/privacy.md): customers whose last order is more than this many years old are
    /// anonymised; `nil` (the default) keeps customers until they are forgotten one by one.
    public var retentionYears: Int?

    /// The range of `retentionYears`.
    public static let retentionYearsRange = 1...100

    /// Settings with METRICS.md's defaults: time zone UTC, no currency yet, locale `en_US_POSIX`, no retention limit.
    public init(name: String = "My shop", timeZone: String = "UTC", currency: String? = nil,
                locale: String = "en_US_POSIX", thresholds: Thresholds = Thresholds(), retentionYears: Int? = nil) {
        self.name = name
        self.timeZone = timeZone
        self.currency = currency
        self.locale = locale
        self.thresholds = thresholds
        self.retentionYears = retentionYears
    }

    /// The shop's calendar; `nil` if the stored time zone is unknown to this system.
    public var calendar: ShopCalendar? { ShopCalendar(identifier: timeZone) }

    /// The reporting currency, when set.
    public var reportingCurrency: Currency? { currency.flatMap { Currency(code: $0) } }

    /// Every threshold METRICS.md names, with its default.
    public struct Thresholds: Hashable, Sendable, Codable {
        /// Repeat rate at or above which the card is green (30 %).
        public var repeatRateGreen: Double = 0.30
        /// Repeat rate at or above which the card is yellow (15 %).
        public var repeatRateYellow: Double = 0.15
        /// Returning share at or above which a month is green (30 %).
        public var returningShareGreen: Double = 0.30
        /// Returning share below which a month is red (15 %).
        public var returningShareRed: Double = 0.15
        /// Segment bounds: one-time is exactly 1 order, returning up to this many, loyal above (3).
        public var returningMaxOrders: Int = 3
        /// Default number of top customers (20).
        public var topCustomers: Int = 20
        /// Days after the first order during which a customer is New (30).
        public var newCustomerDays: Int = 30
        /// Active while days since the last order ≤ this × usual interval (1.5).
        public var activeFactor: Double = 1.5
        /// Slipping away while days since the last order ≤ this × usual interval (2).
        public var slippingFactor: Double = 2.0
        /// Usual interval when the shop has no repeat customers (90 days).
        public var defaultIntervalDays: Double = 90
        /// VIP: top share of customers by lifetime revenue (10 %).
        public var vipTopShare: Double = 0.10
        /// Frequent: at least this many orders per year of tenure (4).
        public var frequentOrdersPerYear: Double = 4
        /// Minimum tenure in days for per-year figures (30).
        public var minimumTenureDays: Int = 30

        /// The defaults of METRICS.md.
        public init() {}

        /// Decodes stored thresholds; a threshold missing from the stored form (written by an older
        /// version) takes its default.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Thresholds()
            repeatRateGreen = try c.decodeIfPresent(Double.self, forKey: .repeatRateGreen) ?? d.repeatRateGreen
            repeatRateYellow = try c.decodeIfPresent(Double.self, forKey: .repeatRateYellow) ?? d.repeatRateYellow
            returningShareGreen = try c.decodeIfPresent(Double.self, forKey: .returningShareGreen) ?? d.returningShareGreen
            returningShareRed = try c.decodeIfPresent(Double.self, forKey: .returningShareRed) ?? d.returningShareRed
            returningMaxOrders = try c.decodeIfPresent(Int.self, forKey: .returningMaxOrders) ?? d.returningMaxOrders
            topCustomers = try c.decodeIfPresent(Int.self, forKey: .topCustomers) ?? d.topCustomers
            newCustomerDays = try c.decodeIfPresent(Int.self, forKey: .newCustomerDays) ?? d.newCustomerDays
            activeFactor = try c.decodeIfPresent(Double.self, forKey: .activeFactor) ?? d.activeFactor
            slippingFactor = try c.decodeIfPresent(Double.self, forKey: .slippingFactor) ?? d.slippingFactor
            defaultIntervalDays = try c.decodeIfPresent(Double.self, forKey: .defaultIntervalDays) ?? d.defaultIntervalDays
            vipTopShare = try c.decodeIfPresent(Double.self, forKey: .vipTopShare) ?? d.vipTopShare
            frequentOrdersPerYear = try c.decodeIfPresent(Double.self, forKey: .frequentOrdersPerYear) ?? d.frequentOrdersPerYear
            minimumTenureDays = try c.decodeIfPresent(Int.self, forKey: .minimumTenureDays) ?? d.minimumTenureDays
        }
    }
}
