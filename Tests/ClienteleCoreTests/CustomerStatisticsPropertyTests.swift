import Foundation
import Testing
@testable import ClienteleCore

/// Properties of the customer statistics on a few hundred random shops (seeded, reproducible), and
/// agreement with a naive re-implementation over plain `[Order]` that shares no code with the engine:
/// Foundation's `Calendar` for shop dates, dictionaries keyed by code points, sorting per query.
@Suite struct CustomerStatisticsPropertyTests {
    static let shops = 300

    @Test(arguments: 0..<shops)
    func theEngineAgreesWithANaiveReimplementation(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed))
        let shop = RandomShop(&rng)
        let snapshot = ShopSnapshot(orders: shop.orders, calendar: ShopCalendar(identifier: shop.timeZone)!,
                                    currency: Fixture.dkk, sourceVersion: "seed \(seed)")
        let stats = CustomerStatistics.compute(snapshot: snapshot, period: shop.period, asOf: shop.period.lastDay, top: shop.top,
                                               comparison: shop.comparison.map { shop.period.comparison($0) },
                                               thresholds: .init(), currency: Fixture.dkk, timeZone: shop.timeZone)
        let naive = NaiveCustomerStatistics(orders: shop.orders, timeZone: shop.timeZone)
        let expected = naive.figures(shop.period, top: shop.top)
        let context = Comment(rawValue: "seed \(seed), \(shop.timeZone), \(shop.period), \(shop.orders.count) orders")

        expected.check(stats.summary, context)
        #expect(stats.segments.map(\.customers) == expected.segmentCustomers, context)
        #expect(stats.segments.map(\.revenue.minorUnits) == expected.segmentRevenue, context)
        #expect(stats.months.map(\.label) == expected.months.map(\.label), context)
        #expect(stats.months.map(\.customers) == expected.months.map(\.customers), context)
        #expect(stats.months.map(\.new) == expected.months.map(\.new), context)
        #expect(stats.topCustomers.map(\.customer) == expected.top.map(\.key), context)
        #expect(stats.topCustomers.map(\.orders) == expected.top.map(\.orders), context)
        #expect(stats.topCustomers.map(\.revenue.minorUnits) == expected.top.map(\.revenue), context)
        #expect(stats.topCustomers.map(\.averageOrderValue.minorUnits) == expected.top.map(\.averageOrderValue), context)
        #expect(stats.topCustomers.map(\.email) == expected.top.map(\.email), context)
        #expect(stats.topCustomers.map(\.firstOrderText) == expected.top.map(\.firstOrder), context)
        #expect(stats.topCustomers.map(\.lastOrderText) == expected.top.map(\.lastOrder), context)
        if let kind = shop.comparison {
            let c = try #require(stats.comparison)
            naive.figures(shop.period.comparison(kind), top: 0).check(c.summary, context)
        } else {
            #expect(stats.comparison == nil)
        }

        // Invariants.
        #expect(stats.segments.map(\.customers).reduce(0, +) == stats.uniqueCustomers, context)
        if stats.totals.identifiedRevenue.minorUnits != 0 {
            let sum = stats.segments.compactMap(\.revenueShare).reduce(0, +)
            #expect(abs(sum - 1) <= 1e-9, context)
        }
        for m in stats.months { #expect(m.new + m.returning == m.customers, context) }

        // The snapshot survives its file format.
        if seed % 10 == 0 { #expect(try ShopSnapshot(serialized: snapshot.serialized()) == snapshot, context) }

        try Self.checkTableAgreesWithJSON(stats, context)
    }

    /// Parses the JSON and finds the same figures, formatted in `en_US`, in the table.
    static func checkTableAgreesWithJSON(_ stats: CustomerStatistics, _ context: Comment) throws {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(stats.json().utf8)) as? [String: Any])
        let table = stats.table(shopName: "Random", locale: "en_US", colour: false)
        let lines = table.split(separator: "\n").map(String.init)
        func line(_ prefix: String) -> String? { lines.first { $0.hasPrefix(prefix) } }
        /// Whether the card line `label` shows `value` as a whole cell (cells are separated by two spaces).
        func card(_ label: String, _ value: String) -> Bool { (line(label).map { $0 + "  " } ?? "").contains(" " + value + "  ") }
        func fields(_ l: String?) -> [String] { l?.split(separator: " ").map(String.init) ?? [] }

        let totals = try #require(root["totals"] as? [String: Any])
        #expect(card("Orders", groupedInteger(totals["orders"] as! Int)), context)
        #expect(card("Revenue", money(totals["revenue"] as! String) + " DKK"), context)
        #expect(card("Net revenue", money(totals["netRevenue"] as! String) + " DKK"), context)
        #expect(card("Unique customers", groupedInteger(root["uniqueCustomers"] as! Int)), context)
        let clv = root["averageCLV"] as? String
        #expect(card("Average CLV", clv.map { money($0) + " DKK" } ?? "–"), context)
        let rate = root["repeatRate"] as? Double
        let rateText = rate.map { percent($0) + " (" + (root["repeatRateColour"] as! String) + ")" } ?? "–"
        #expect(card("Repeat rate", rateText), context)
        let days = root["averageDaysBetweenFirstAndSecondOrder"] as? Double
        #expect(card("Average days", days.map { oneDecimal($0) } ?? "–"), context)

        for s in try #require(root["segments"] as? [[String: Any]]) {
            let f = fields(line(s["segment"] as! String + " "))
            #expect(f.count == 6, context)
            guard f.count == 6 else { continue }
            #expect(f[2] == groupedInteger(s["customers"] as! Int), context)
            #expect(f[3] == ((s["share"] as? Double).map(percent) ?? "–"), context)
            #expect(f[4] == money(s["revenue"] as! String), context)
            #expect(f[5] == ((s["revenueShare"] as? Double).map(percent) ?? "–"), context)
        }
        for m in try #require(root["months"] as? [[String: Any]]) {
            let f = fields(line(m["month"] as! String + " "))
            #expect(f.count == 6, context)
            guard f.count == 6 else { continue }
            #expect(f[1] == groupedInteger(m["customers"] as! Int) && f[2] == groupedInteger(m["new"] as! Int)
                    && f[3] == groupedInteger(m["returning"] as! Int), context)
            #expect(f[4] == ((m["returningShare"] as? Double).map(percent) ?? "–"), context)
            #expect(f[5] == ((m["colour"] as? String) ?? "–"), context)
        }
        for t in try #require(root["topCustomers"] as? [[String: Any]]) {
            let row = lines.first { $0.hasPrefix("\(t["rank"] as! Int)  ") && $0.contains(t["customer"] as! String) }
            #expect(row?.contains(" " + money(t["revenue"] as! String) + " ") == true, context)
            #expect(row?.contains(" " + money(t["averageOrderValue"] as! String) + " ") == true, context)
        }
    }

    // en_US formats written out independently of the engine's formatter.
    static func groupedInteger(_ n: Int) -> String {
        let digits = Array(String(n.magnitude))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func money(_ plain: String) -> String {
        let parts = plain.split(separator: ".")
        return groupedInteger(Int(parts[0])!) + "." + parts[1]
    }

    static func oneDecimal(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded(.toNearestOrAwayFromZero))
        return groupedInteger(tenths / 10) + "." + String(tenths % 10)
    }

    static func percent(_ x: Double) -> String { oneDecimal(x * 100) + "%" }
}

/// A seeded SplitMix64 generator.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) < p * 1_000_000 }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }
}

/// A random shop: tricky keys (code-point ties, guest orders, blank e-mails), revenue ties, cancelled
/// orders, instants near month edges in several time zones, and a random period, top length and comparison.
struct RandomShop {
    var timeZone: String
    var orders: [Order] = []
    var period: Period
    var top: Int
    var comparison: Period.Comparison?

    static let zones = ["UTC", "Europe/Copenhagen", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham"]
    static let ids = ["1", "2", "10", "Z", "a", "é", "e\u{301}", "ä", " 7 ", "B", "b", "42"]
    static let emails = ["x@a.dk", " X@A.dk ", "y@b.se", "Y@B.SE", "   ", "", "z@c.no", "42"]
    static let totals: [Int64] = [0, 1, 5, 100, 250, 999, 1_000, 12_345, 50_000]

    init(_ rng: inout SplitMix64) {
        timeZone = rng.pick(Self.zones)
        let first = ShopDate(iso: "2023-01-01")!.dayNumber, last = ShopDate(iso: "2025-12-31")!.dayNumber
        // A few shared instants (same-time ties), plus month-edge instants around local midnight.
        let shared = (0..<4).map { _ in Int64(rng.int(first..<last)) * 86_400 + Int64(rng.int(0..<86_400)) }
        let count = rng.int(0..<70)
        for i in 0..<count {
            var t: Int64
            switch rng.int(0..<4) {
            case 0: t = rng.pick(shared)
            case 1:
                let d = ShopDate(dayNumber: rng.int(first..<last)).firstOfMonth
                t = Int64(d.dayNumber) * 86_400 + Int64(rng.int(-50_000..<50_000))
            default: t = Int64(rng.int(first..<last)) * 86_400 + Int64(rng.int(0..<86_400))
            }
            let total = rng.pick(Self.totals)
            orders.append(Order(id: String(rng.int(0..<1_000)) + "-" + String(i), placedAt: Instant(seconds: t),
                                customerId: rng.chance(0.55) ? rng.pick(Self.ids) : nil,
                                email: rng.chance(0.7) ? rng.pick(Self.emails) : nil,
                                status: rng.chance(0.1) ? .cancelled : .placed, currency: Fixture.dkk,
                                total: total, refunded: Int64(rng.int(0..<Int(total + 1))) / 3))
        }
        let start = ShopDate(dayNumber: rng.int(first..<last))
        period = Period(start: start, end: start.adding(days: rng.int(0..<500)))
        top = rng.int(0..<9)
        comparison = rng.pick([nil, .previous, .lastYear])
    }
}

/// The customer statistics written the obvious way over `[Order]`.
struct NaiveCustomerStatistics {
    struct Row {
        var id: String
        var instant: Int64
        var key: [UInt32]?
        var email: String?
        var total: Int64
        var refunded: Int64
        var date: ShopDate
        var text: String
    }

    var rows: [Row] = []

    init(orders: [Order], timeZone: String) {
        let zone = TimeZone(identifier: timeZone)!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let blank = CharacterSet(charactersIn: " \t\u{00A0}")
        for o in orders where o.status != .cancelled {
            let when = Date(timeIntervalSince1970: TimeInterval(o.placedAt.seconds))
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: when)
            let id = o.customerId?.trimmingCharacters(in: blank) ?? ""
            let mail = o.email?.trimmingCharacters(in: blank).lowercased() ?? ""
            let key: String? = !id.isEmpty ? id : (!mail.isEmpty ? mail : nil)
            let off = zone.secondsFromGMT(for: when)
            let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
                + (off < 0 ? "-" : "+") + String(format: "%02d:%02d", abs(off) / 3600, abs(off) % 3600 / 60)
            rows.append(Row(id: o.id, instant: o.placedAt.seconds, key: key.map { $0.unicodeScalars.map(\.value) },
                            email: mail.isEmpty ? nil : mail, total: o.total, refunded: o.refunded,
                            date: ShopDate(year: c.year!, month: c.month!, day: c.day!)!, text: text))
        }
    }

    static func before(_ a: Row, _ b: Row) -> Bool {
        a.instant != b.instant ? a.instant < b.instant : a.id.unicodeScalars.map(\.value).lexicographicallyPrecedes(b.id.unicodeScalars.map(\.value))
    }

    struct Top { var key: String; var orders: Int; var revenue: Int64; var averageOrderValue: Int64; var email: String?; var firstOrder: String; var lastOrder: String }
    struct MonthRow { var label: String; var customers: Int; var new: Int }

    struct Figures {
        var orders = 0, anonymousOrders = 0
        var revenue: Int64 = 0, netRevenue: Int64 = 0
        var customers = 0, repeaters = 0
        var averageCLV: Int64?
        var averageDays: Double?
        var segmentCustomers = [0, 0, 0]
        var segmentRevenue: [Int64] = [0, 0, 0]
        var months: [MonthRow] = []
        var top: [Top] = []

        func check(_ s: CustomerStatistics.Summary, _ context: Comment) {
            #expect(s.totals.orders == orders && s.totals.anonymousOrders == anonymousOrders, context)
            #expect(s.totals.revenue.minorUnits == revenue && s.totals.netRevenue.minorUnits == netRevenue, context)
            #expect(s.uniqueCustomers == customers && s.repeatCustomers == repeaters, context)
            #expect(s.repeatRate == (customers == 0 ? nil : Double(repeaters) / Double(customers)), context)
            #expect(s.averageCLV?.minorUnits == averageCLV, context)
            switch (s.averageDaysBetweenFirstAndSecondOrder, averageDays) {
            case (nil, nil): break
            case let (a?, b?): #expect(abs(a - b) <= 1e-9 * max(1, abs(b)), context)
            default: Issue.record("average days: \(String(describing: s.averageDaysBetweenFirstAndSecondOrder)) vs \(String(describing: averageDays)); \(context)")
            }
        }
    }

    /// Half away from zero for non-negative sums: ⌊(2n + d) ÷ 2d⌋.
    static func rounded(_ n: Int64, _ d: Int) -> Int64 { (2 * n + Int64(d)) / (2 * Int64(d)) }

    func figures(_ p: Period, top: Int) -> Figures {
        var f = Figures()
        let inP = rows.filter { $0.date >= p.start && $0.date < p.end }
        f.orders = inP.count
        f.anonymousOrders = inP.filter { $0.key == nil }.count
        f.revenue = inP.map(\.total).reduce(0, +)
        f.netRevenue = f.revenue - inP.map(\.refunded).reduce(0, +)
        var byCustomer: [[UInt32]: [Row]] = [:]
        for r in inP { if let k = r.key { byCustomer[k, default: []].append(r) } }
        f.customers = byCustomer.count
        var identified: Int64 = 0
        var gaps: [Double] = []
        var tops: [Top] = []
        for (key, list) in byCustomer {
            let sorted = list.sorted(by: Self.before)
            let rev = sorted.map(\.total).reduce(0, +)
            identified += rev
            if sorted.count >= 2 { f.repeaters += 1; gaps.append(Double(sorted[1].instant - sorted[0].instant) / 86_400) }
            let seg = sorted.count == 1 ? 0 : sorted.count <= 3 ? 1 : 2
            f.segmentCustomers[seg] += 1
            f.segmentRevenue[seg] += rev
            var keyText = ""
            keyText.unicodeScalars.append(contentsOf: key.map { Unicode.Scalar($0)! })
            tops.append(Top(key: keyText, orders: sorted.count, revenue: rev, averageOrderValue: Self.rounded(rev, sorted.count),
                            email: sorted.last!.email, firstOrder: sorted.first!.text, lastOrder: sorted.last!.text))
        }
        if f.customers > 0 { f.averageCLV = Self.rounded(identified, f.customers) }
        if !gaps.isEmpty { f.averageDays = gaps.reduce(0, +) / Double(gaps.count) }
        tops.sort { a, b in
            if a.revenue != b.revenue { return a.revenue > b.revenue }
            if a.orders != b.orders { return a.orders > b.orders }
            return a.key.unicodeScalars.map(\.value).lexicographicallyPrecedes(b.key.unicodeScalars.map(\.value))
        }
        f.top = Array(tops.prefix(top))

        // Months overlapping P; first order ever over every non-cancelled order.
        if p.end > p.start {
            var firstEver: [[UInt32]: Row] = [:]
            for r in rows {
                guard let k = r.key else { continue }
                if let e = firstEver[k], !Self.before(r, e) { continue }
                firstEver[k] = r
            }
            var (y, m) = (p.start.year, p.start.month)
            let last = p.lastDay
            while (y, m) <= (last.year, last.month) {
                let keys = Set(inP.filter { $0.key != nil && $0.date.year == y && $0.date.month == m }.map { $0.key! })
                let new = keys.filter { let d = firstEver[$0]!.date; return d.year == y && d.month == m }.count
                f.months.append(MonthRow(label: String(format: "%04d-%02d", y, m), customers: keys.count, new: new))
                (y, m) = m == 12 ? (y + 1, 1) : (y, m + 1)
            }
        }
        return f
    }
}
