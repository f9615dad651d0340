import Foundation

/// The shop's calendar: an IANA time zone turned once into a table of UTC-offset transitions, so that the
/// shop date, hour and weekday of an instant cost a binary search and integer arithmetic, never a
/// Foundation `Calendar` call in a hot loop (STYLE.md, "The engine").
public struct ShopCalendar: Sendable, Hashable {
    /// The IANA identifier, e.g. `Europe/Copenhagen`.
    public let identifier: String
    /// Instants (seconds since the epoch) at which the offset changes, ascending.
    let transitions: [Int64]
    /// `offsets[i]` is the UTC offset in seconds from `transitions[i - 1]` up to `transitions[i]`;
    /// `offsets[0]` applies before the first transition, `offsets.last` after the last.
    let offsets: [Int32]

    /// The calendar of an IANA time zone; `nil` when the identifier is unknown.
    public init?(identifier: String) {
        guard !identifier.isEmpty, let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        // Transitions from 1900 to 2200 cover any order history; outside that the nearest offset holds.
        let startDate = Date(timeIntervalSince1970: -2_208_988_800)   // 1900-01-01
        let endDate = Date(timeIntervalSince1970: 7_258_118_400)      // 2200-01-01
        var transitions: [Int64] = []
        var offsets: [Int32] = [Int32(zone.secondsFromGMT(for: startDate))]
        var cursor = startDate
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < endDate {
            let t = Int64(next.timeIntervalSince1970.rounded(.down))
            let offset = Int32(zone.secondsFromGMT(for: next))
            if offset != offsets.last! {
                transitions.append(t)
                offsets.append(offset)
            }
            cursor = next
        }
        self.transitions = transitions
        self.offsets = offsets
    }

    /// UTC, the default shop calendar.
    public static let utc = ShopCalendar(identifier: "UTC")!

    /// The UTC offset in seconds at `instant`.
    @inline(__always)
    public func offset(at instant: Int64) -> Int {
        var lo = 0, hi = transitions.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if transitions[mid] <= instant { lo = mid + 1 } else { hi = mid }
        }
        return Int(offsets[lo])
    }

    /// The UTC offset in seconds at `instant`.
    public func offset(at instant: Instant) -> Int { offset(at: instant.seconds) }

    /// Local seconds since 1970-01-01T00:00 wall-clock time.
    @inline(__always)
    public func localSeconds(_ instant: Int64) -> Int64 { instant + Int64(offset(at: instant)) }

    /// The shop date's day number of an instant.
    @inline(__always)
    public func dayNumber(of instant: Int64) -> Int {
        let l = localSeconds(instant)
        return Int(l >= 0 ? l / 86_400 : (l - 86_399) / 86_400)
    }

    /// The shop date of an instant.
    public func date(of instant: Instant) -> ShopDate { ShopDate(dayNumber: dayNumber(of: instant.seconds)) }

    /// The hour of day (0–23) in the shop's time zone.
    public func hour(of instant: Instant) -> Int {
        let l = localSeconds(instant.seconds)
        let s = l % 86_400
        return Int((s < 0 ? s + 86_400 : s) / 3600)
    }

    /// The first instant of a shop date (local midnight, or the first existing instant when midnight is skipped).
    public func startOfDay(_ date: ShopDate) -> Int64 {
        let wall = Int64(date.dayNumber) * 86_400
        // The answer lies within ±2 days of the wall-clock value; binary search the first instant whose
        // shop date is on or after `date`.
        var lo = wall - 2 * 86_400, hi = wall + 2 * 86_400
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if dayNumber(of: mid) >= date.dayNumber { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// The instants `[start, end)` a period covers.
    public func instantRange(of period: Period) -> Range<Int64> {
        let a = startOfDay(period.start), b = startOfDay(period.end)
        return a..<max(a, b)
    }

    /// ISO 8601 text of an instant with the shop's offset at that instant, e.g. `2024-11-05T15:28:20+01:00`.
    public func iso8601(_ instant: Instant) -> String {
        instant.iso8601(offsetSeconds: offset(at: instant.seconds), zulu: false)
    }
}
