import ClienteleCore
import Foundation

/// A realistic, deterministic demo webshop: a Danish home-and-body shop with three years of orders, streamed
/// in ascending time from a seed (same configuration and seed, same orders, on every run and platform).
public struct DemoShop: Sendable {
    /// Orders in the default demo shop: a few thousand customers over three years.
    public static let defaultOrderCount = 12_000
    /// The default seed.
    public static let defaultSeed: UInt64 = 42
    /// The default shop name.
    public static let defaultName = "Nordlys Hjem & Krop"
    /// Years of history that end on `endDate`, whatever the number of orders.
    public static let historyYears = 3

    /// Orders to generate, cancelled included (customers scale with it; the span stays three years).
    public var orderCount: Int
    /// The seed every random choice follows from.
    public var seed: UInt64
    /// The shop's display name.
    public var name: String
    /// The last shop day with orders (e.g. the as-of date); the history covers the three years up to it.
    public var endDate: ShopDate
    /// The shop's IANA time zone.
    public let timeZone: String
    /// The reporting currency.
    public let currency: Currency
    /// The demo rate table: DKK per unit of EUR, SEK and NOK.
    public let exchangeRates: [ExchangeRate]
    /// The shop calendar of `timeZone`.
    public let calendar: ShopCalendar

    /// A demo shop whose history ends on `endDate`.
    public init(endDate: ShopDate, orderCount: Int = DemoShop.defaultOrderCount, seed: UInt64 = DemoShop.defaultSeed,
                name: String = DemoShop.defaultName) {
        self.endDate = endDate
        self.orderCount = max(0, orderCount)
        self.seed = seed
        self.name = name
        self.timeZone = "Europe/Copenhagen"
        self.currency = Currency(code: "DKK")!
        self.exchangeRates = DemoShop.demoRates
        self.calendar = ShopCalendar(identifier: "Europe/Copenhagen") ?? .utc
    }

    /// The demo rates: EUR 7.46, SEK 0.65 and NOK 0.64 DKK per unit.
    public static let demoRates: [ExchangeRate] = [
        ExchangeRate(currency: Currency(code: "EUR")!, mantissa: 746, scale: 2),
        ExchangeRate(currency: Currency(code: "SEK")!, mantissa: 65, scale: 2),
        ExchangeRate(currency: Currency(code: "NOK")!, mantissa: 64, scale: 2),
    ]

    /// The shop days with orders: the three years that end on `endDate`, both ends included.
    public var period: Period {
        Period(start: endDate.adding(years: -DemoShop.historyYears).adding(days: 1), end: endDate.adding(days: 1))
    }

    /// Products in the catalogue: 200 for the default shop, growing with the square root of the orders, at most 5,000.
    public var productCount: Int {
        let scaled = 200 * (Double(orderCount) / Double(DemoShop.defaultOrderCount)).squareRoot()
        return min(5_000, max(200, Int(scaled.rounded())))
    }

    /// The shop's settings: name, time zone, currency DKK and Danish locale.
    public var settings: ShopSettings {
        ShopSettings(name: name, timeZone: timeZone, currency: currency.code, locale: "da_DK")
    }

    /// The catalogue the orders draw from.
    public func catalogue() -> [DemoProduct] { DemoCatalogue(count: productCount).publicProducts }

    /// Calls `body` with every order in ascending time, without holding them in memory, and returns what
    /// was generated. Memory stays flat: only customers who will order again are kept, a few bytes each.
    @discardableResult
    public func generate(_ body: (Order) throws -> Void) rethrows -> DemoSummary {
        var generator = DemoGenerator(shop: self)
        return try generator.run(body)
    }
}

extension DemoShop {
    /// The relative number of orders on a shop day: a growing trend, the November–December peak with Black
    /// Friday week, a quiet Christmas, January sales, a summer dip and busier Sundays and Mondays.
    static func dayWeight(_ date: ShopDate, progress: Double) -> Double {
        let c = date.components
        var season: Double
        switch c.month {
        case 1: season = 0.95
        case 2: season = 0.80
        case 3, 4: season = 0.90
        case 5: season = 0.95
        case 6: season = 0.85
        case 7: season = 0.72
        case 8: season = 0.85
        case 9: season = 0.95
        case 10: season = 1.00
        case 11: season = 1.40
        default:
            switch c.day {
            case ...20: season = 1.75
            case 21...23: season = 1.00
            case 24...26: season = 0.45
            default: season = 1.15
            }
        }
        if c.month == 11 || (c.month == 12 && c.day <= 2) {
            let blackFriday = DemoShop.blackFriday(year: c.year)
            // Black week on November's level, whichever month Cyber Monday falls in.
            switch date.dayNumber - blackFriday.dayNumber {
            case -4 ... -1: season = 1.4 * 1.5
            case 0: season = 1.4 * 4.0
            case 1, 2: season = 1.4 * 2.0
            case 3: season = 1.4 * 2.4
            default: break
            }
        }
        let weekday: [Double] = [1.08, 0.98, 0.96, 0.96, 0.84, 0.84, 1.32]
        let trend = 0.8 + 0.4 * progress
        return season * weekday[date.isoWeekday - 1] * trend
    }

    /// Black Friday: the day after the fourth Thursday of November.
    static func blackFriday(year: Int) -> ShopDate {
        let first = ShopDate(year: year, month: 11, day: 1)!
        let toThursday = (4 - first.isoWeekday + 7) % 7
        return first.adding(days: toThursday + 22)
    }

    /// Whether a day lies in Black Friday week (Monday before through Cyber Monday).
    static func isBlackWeek(_ date: ShopDate) -> Bool {
        let d = date.dayNumber - blackFriday(year: date.year).dayNumber
        return d >= -4 && d <= 3
    }

    /// Orders per hour of day in the shop's time zone: quiet nights, a lunch bump, a busy evening.
    static let hourWeights: [Double] = [
        1.2, 0.6, 0.3, 0.2, 0.2, 0.3, 0.8, 1.8, 2.8, 3.5, 4.0, 4.2,
        4.6, 4.4, 4.2, 4.2, 4.4, 4.8, 5.6, 6.8, 7.6, 7.2, 5.0, 2.8,
    ]
}
