/// A calendar day in the shop's time zone, counted as days since 1970-01-01 (proleptic Gregorian).
public struct ShopDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public var dayNumber: Int

    /// The day `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// The day with the given year, month (1–12) and day (1–31); `nil` when no such day exists.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= ShopDate.daysIn(year: year, month: month) else { return nil }
        self.dayNumber = ShopDate.daysFromCivil(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func < (a: ShopDate, b: ShopDate) -> Bool { a.dayNumber < b.dayNumber }

    /// Year, month and day of this date.
    public var components: (year: Int, month: Int, day: Int) { ShopDate.civil(fromDays: dayNumber) }
    /// The year.
    public var year: Int { components.year }
    /// The month, 1–12.
    public var month: Int { components.month }
    /// Day of the month.
    public var day: Int { components.day }

    /// ISO weekday: Monday 1 … Sunday 7.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let w = (dayNumber + 3) % 7
        return (w < 0 ? w + 7 : w) + 1
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let c = components
        return ShopDate.pad(c.year, 4) + "-" + ShopDate.pad(c.month, 2) + "-" + ShopDate.pad(c.day, 2)
    }

    /// The date `n` days later (earlier when negative).
    public func adding(days n: Int) -> ShopDate { ShopDate(dayNumber: dayNumber + n) }

    /// The date `n` calendar months later, the day clamped to the end of the month (Mar 31 − 1 month = Feb 28/29).
    public func adding(months n: Int) -> ShopDate {
        let c = components
        let total = c.year * 12 + (c.month - 1) + n
        let y = total >= 0 ? total / 12 : (total - 11) / 12
        let m = total - y * 12 + 1
        let d = min(c.day, ShopDate.daysIn(year: y, month: m))
        return ShopDate(dayNumber: ShopDate.daysFromCivil(year: y, month: m, day: d))
    }

    /// The date `n` calendar years later, Feb 29 clamped to Feb 28.
    public func adding(years n: Int) -> ShopDate { adding(months: 12 * n) }

    /// The first day of this date's month.
    public var firstOfMonth: ShopDate { let c = components; return ShopDate(dayNumber: ShopDate.daysFromCivil(year: c.year, month: c.month, day: 1)) }

    /// A month index (year × 12 + month − 1), handy as a dense key.
    public var monthIndex: Int { let c = components; return c.year * 12 + c.month - 1 }

    /// Days in the given month.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        default: return isLeap(year) ? 29 : 28
        }
    }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The civil date of a day number (H. Hinnant's algorithm).
    public static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(abs(v))
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
