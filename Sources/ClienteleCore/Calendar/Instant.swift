/// A point in time: whole seconds since 1970-01-01T00:00:00Z. Orders are stored as instants; the shop's
/// calendar is applied when a report asks for days, months or hours.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since the Unix epoch (UTC).
    public var seconds: Int64

    /// The instant `seconds` after the Unix epoch.
    public init(seconds: Int64) { self.seconds = seconds }

    public static func < (a: Instant, b: Instant) -> Bool { a.seconds < b.seconds }

    /// ISO 8601 in UTC, e.g. `2024-03-05T17:22:10Z`.
    public var description: String { iso8601(offsetSeconds: 0) }

    /// ISO 8601 with the given UTC offset, e.g. `2024-11-05T15:28:20+01:00` (`Z` is never used for a zero
    /// offset when `zulu` is false: `+00:00`).
    public func iso8601(offsetSeconds: Int, zulu: Bool = true) -> String {
        let local = seconds + Int64(offsetSeconds)
        let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let secOfDay = Int(local - Int64(days) * 86_400)
        let date = ShopDate(dayNumber: days)
        let h = secOfDay / 3600, m = (secOfDay % 3600) / 60, s = secOfDay % 60
        var out = date.description + "T" + ShopDate.pad(h, 2) + ":" + ShopDate.pad(m, 2) + ":" + ShopDate.pad(s, 2)
        if offsetSeconds == 0 && zulu {
            out += "Z"
        } else {
            let sign = offsetSeconds < 0 ? "-" : "+"
            let a = abs(offsetSeconds)
            out += sign + ShopDate.pad(a / 3600, 2) + ":" + ShopDate.pad((a % 3600) / 60, 2)
        }
        return out
    }

    /// Elapsed days from `self` to `later` (fractional: seconds ÷ 86 400).
    public func days(until later: Instant) -> Double { Double(later.seconds - seconds) / 86_400 }
}
