import Testing
@testable import ClienteleCore

/// Small written-out shops for hand-computed tests.
enum Fixture {
    static let dkk = Currency(code: "DKK")!
    static let eur = Currency(code: "EUR")!
    static let jpy = Currency(code: "JPY")!
    static let copenhagen = ShopCalendar(identifier: "Europe/Copenhagen")!

    /// Parses `YYYY-MM-DDTHH:MM:SS` followed by `Z` or `±HH:MM` into an instant (independent of the core's
    /// calendar code: plain arithmetic on the written offset).
    static func instant(_ text: String) -> Instant {
        let a = Array(text.utf8)
        func n(_ r: Range<Int>) -> Int64 { Int64(String(decoding: a[r], as: UTF8.self))! }
        let date = ShopDate(year: Int(n(0..<4)), month: Int(n(5..<7)), day: Int(n(8..<10)))!
        var t = Int64(date.dayNumber) * 86_400 + n(11..<13) * 3600 + n(14..<16) * 60 + n(17..<19)
        if a.count > 19 && a[19] != UInt8(ascii: "Z") {
            let sign: Int64 = a[19] == UInt8(ascii: "-") ? -1 : 1
            t -= sign * (n(20..<22) * 3600 + n(23..<25) * 60)
        }
        return Instant(seconds: t)
    }

    /// `2.50` → 250 minor units of `currency`.
    static func minor(_ text: String, _ currency: Currency = dkk) -> Int64 {
        Money.parseMinorUnits(Substring(text), digits: currency.minorDigits)!
    }

    /// An order placed at `at` (ISO 8601) for `total` (a decimal string).
    static func order(_ id: String, _ at: String, customer: String? = nil, email: String? = nil, total: String = "100.00",
                      refunded: String = "0.00", cancelled: Bool = false, currency: Currency = dkk,
                      lines: [OrderLine] = []) -> Order {
        Order(id: id, placedAt: instant(at), customerId: customer, email: email,
              status: cancelled ? .cancelled : .placed, currency: currency,
              total: minor(total, currency), refunded: minor(refunded, currency), lines: lines)
    }

    static func date(_ text: String) -> ShopDate { ShopDate(iso: text)! }

    /// The customer statistics of `orders` over `[from, through]` in `calendar`.
    static func stats(_ orders: [Order], from: String, through: String, asOf: String? = nil,
                      calendar: ShopCalendar = .utc, top: Int = 20, comparison: Period.Comparison? = nil,
                      thresholds: ShopSettings.Thresholds = .init(), currency: Currency = dkk) -> CustomerStatistics {
        let period = Period(from: date(from), through: date(through))
        let snapshot = ShopSnapshot(orders: orders, calendar: calendar, currency: currency)
        return CustomerStatistics.compute(snapshot: snapshot, period: period, asOf: date(asOf ?? through), top: top,
                                          comparison: comparison.map { period.comparison($0) }, thresholds: thresholds,
                                          currency: currency, timeZone: calendar.identifier)
    }

    /// `n` minor units of DKK.
    static func money(_ n: Int64) -> Money { Money(minorUnits: n, currency: dkk) }
}
