/// A half-open range `[start, end)` of shop dates (METRICS.md, "Period").
public struct Period: Hashable, Sendable, CustomStringConvertible {
    /// The first day in the period.
    public var start: ShopDate
    /// The first day after the period.
    public var end: ShopDate

    /// The period `[start, end)`.
    public init(start: ShopDate, end: ShopDate) {
        self.start = start
        self.end = end
    }

    /// The period from `from` to `to`, both inclusive: `[from, to + 1 day)`.
    public init(from: ShopDate, through to: ShopDate) {
        self.init(start: from, end: to.adding(days: 1))
    }

    /// The last day in the period (inclusive), as `--to` takes it.
    public var lastDay: ShopDate { end.adding(days: -1) }

    /// Number of days in the period.
    public var dayCount: Int { end.dayNumber - start.dayNumber }

    /// Whether the period holds no day.
    public var isEmpty: Bool { end <= start }

    /// Whether `date` lies in the period.
    public func contains(_ date: ShopDate) -> Bool { date >= start && date < end }

    /// The window of equal length immediately before this one (METRICS.md: the previous period `P'`).
    public var previous: Period { Period(start: start.adding(days: -dayCount), end: start) }

    /// This period shifted back one calendar year (the same period last year).
    public var sameLastYear: Period { Period(start: start.adding(years: -1), end: end.adding(years: -1)) }

    public var description: String { "\(start)..\(lastDay)" }

    /// The presets of METRICS.md, relative to an as-of date.
    public enum Preset: String, CaseIterable, Sendable {
        case thisYear = "this-year"
        case lastYear = "last-year"
        case thisMonth = "this-month"
        case lastMonth = "last-month"
        case last3Months = "last-3-months"
        case last12Months = "last-12-months"
    }

    /// The period a preset names, as of `asOf` (METRICS.md, "Period").
    public static func preset(_ preset: Preset, asOf: ShopDate) -> Period {
        let c = asOf.components
        let through = asOf.adding(days: 1)
        switch preset {
        case .thisYear:
            return Period(start: ShopDate(year: c.year, month: 1, day: 1)!, end: through)
        case .lastYear:
            return Period(start: ShopDate(year: c.year - 1, month: 1, day: 1)!, end: ShopDate(year: c.year, month: 1, day: 1)!)
        case .thisMonth:
            return Period(start: asOf.firstOfMonth, end: through)
        case .lastMonth:
            let first = asOf.firstOfMonth
            return Period(start: first.adding(months: -1), end: first)
        case .last3Months:
            return Period(start: asOf.adding(months: -3), end: through)
        case .last12Months:
            return Period(start: asOf.adding(months: -12), end: through)
        }
    }

    /// How a comparison period is derived.
    public enum Comparison: String, CaseIterable, Sendable {
        case previous
        case lastYear = "last-year"
    }

    /// The comparison period of this one.
    public func comparison(_ kind: Comparison) -> Period {
        switch kind {
        case .previous: return previous
        case .lastYear: return sameLastYear
        }
    }
}
