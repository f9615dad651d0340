/// A period as a user asks for it (a preset, or custom from/to dates, an as-of date and a comparison), before
/// it is resolved in the shop's calendar (METRICS.md, "Period"). The CLI's `--period/--from/--to/--as-of/--compare`
/// and the server's `?period=&from=&to=&asOf=&compare=` both parse into it, so both read them by the same rules.
public struct PeriodRequest: Sendable, Equatable {
    /// The preset (nil: custom dates, or the default last-12-months).
    public var preset: Period.Preset?
    /// First day of a custom period, as written (`YYYY-MM-DD`).
    public var from: String?
    /// Last day of a custom period (inclusive), as written.
    public var to: String?
    /// The as-of date as written; nil means today in the shop's calendar.
    public var asOf: String?
    /// The comparison period asked for.
    public var comparison: Period.Comparison?

    /// A request from its parts as written.
    public init(preset: Period.Preset? = nil, from: String? = nil, to: String? = nil, asOf: String? = nil,
                comparison: Period.Comparison? = nil) {
        self.preset = preset
        self.from = from
        self.to = to
        self.asOf = asOf
        self.comparison = comparison
    }

    /// How the parameters are named in messages: the CLI says `--from`, the API says `from`.
    public struct Names: Sendable {
        /// The period preset's name.
        public var period: String
        /// The custom start's name.
        public var from: String
        /// The custom end's name.
        public var to: String
        /// The as-of date's name.
        public var asOf: String
        /// The CLI's flags.
        public static let flags = Names(period: "--period", from: "--from", to: "--to", asOf: "--as-of")
        /// The API's query parameters.
        public static let query = Names(period: "period", from: "from", to: "to", asOf: "asOf")
    }

    /// The sentence that says what is wrong with the request, or nil when it can be resolved.
    public func problem(names: Names) -> String? {
        if preset != nil && (from != nil || to != nil) {
            return "Give either \(names.period) or \(names.from)/\(names.to), not both."
        }
        if (from == nil) != (to == nil) {
            return "A custom period needs both \(names.from) and \(names.to) (both inclusive), e.g. \(names.from) 2025-01-01 \(names.to) 2025-03-31."
        }
        for (name, value) in [(names.from, from), (names.to, to), (names.asOf, asOf)] {
            if let value, ShopDate(iso: value) == nil {
                return "\(name) \"\(value)\" is not a date: write it as YYYY-MM-DD, e.g. 2025-09-14."
            }
        }
        if let from, let to, let a = ShopDate(iso: from), let b = ShopDate(iso: to), b < a {
            return "\(names.to) \(to) is before \(names.from) \(from)."
        }
        return nil
    }

    /// The as-of date: the one written, else `today` (the caller's clock, in the shop's calendar).
    public func asOfDate(today: ShopDate) -> ShopDate {
        asOf.flatMap { ShopDate(iso: $0) } ?? today
    }

    /// The period (default: last 12 months), the as-of date and the comparison period. Call after `problem`
    /// returned nil; dates that cannot be read fall back to the defaults.
    public func resolve(today: ShopDate) -> (period: Period, asOf: ShopDate, comparison: Period?) {
        let asOf = asOfDate(today: today)
        let p: Period
        if let from, let to, let a = ShopDate(iso: from), let b = ShopDate(iso: to) {
            p = Period(from: a, through: b)
        } else {
            p = Period.preset(preset ?? .last12Months, asOf: asOf)
        }
        return (p, asOf, comparison.map { p.comparison($0) })
    }
}
