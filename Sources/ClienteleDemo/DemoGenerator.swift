import ClienteleCore

/// The mutable state of one generation run: the day-by-day simulation behind `DemoShop.generate`.
///
/// Each shop day gets a fixed number of orders (the day weights spread `orderCount` exactly). The day's
/// slots go first to customers whose next order is due (a min-heap by next order day; any that do not fit
/// wait for the next day), a few to anonymous orders, and the rest to new customers. After each order a
/// customer drops out with their own probability (buy-till-you-die) or is scheduled again.
struct DemoGenerator {
    /// One order of the current day before it is built.
    private struct Slot {
        var instant: Int64
        var sequence: Int32
        /// 0 anonymous, 1 new customer, 2 returning customer.
        var kind: UInt8
        var entry: CustomerEntry
    }

    static let countries = ["DK", "SE", "NO", "DE"]
    /// Shipping per currency: free from the threshold up, else the fee (minor units).
    private static let shipping: [(threshold: Int64, fee: Int64)] = [(49_900, 3_900), (6_900, 595), (74_900, 5_900), (74_900, 5_900)]
    private static let firstNames = [
        "anne", "mette", "kirsten", "hanne", "lene", "susanne", "camilla", "louise", "maria", "sofie", "emma",
        "ida", "freja", "laura", "julie", "karen", "signe", "line", "lars", "jens", "peter", "michael", "henrik",
        "thomas", "soeren", "niels", "rasmus", "mads", "jakob", "anders", "mikkel", "frederik", "christian",
        "martin", "morten", "jesper", "kasper", "emil", "oliver", "ole",
    ]
    private static let lastNames = [
        "nielsen", "jensen", "hansen", "pedersen", "andersen", "christensen", "larsen", "soerensen", "rasmussen",
        "joergensen", "petersen", "madsen", "kristensen", "olsen", "thomsen", "christiansen", "poulsen",
        "johansen", "moeller", "mortensen", "knudsen", "jakobsen", "lund", "holm", "schmidt", "friis", "berg",
        "dahl", "vestergaard", "kjaer",
    ]
    private static let domains = [
        "gmail.com", "gmail.com", "gmail.com", "gmail.com", "gmail.com", "gmail.com", "hotmail.com", "hotmail.com",
        "hotmail.com", "hotmail.dk", "outlook.dk", "outlook.com", "live.dk", "live.dk", "icloud.com", "icloud.com",
        "yahoo.dk", "mail.dk", "mail.dk", "jubii.dk", "stofanet.dk", "youmail.dk",
    ]

    private let shop: DemoShop
    private let catalogue: DemoCatalogue
    private let cycles: [Int]
    private let currencies: [Currency]
    private let rates: [ExchangeRate?]
    private let rateTexts: [String?]
    private var rng: DemoRandom
    private var heap = CustomerHeap()
    private var summary: DemoSummary
    private var nextCustomer: UInt32 = 0
    private var nextOrder = 0
    private var slots: [Slot] = []
    private var picked: [Int] = []
    private var currencySeen = [false, false, false, false]
    private let hourCumulative: [Double]

    init(shop: DemoShop) {
        self.shop = shop
        let catalogue = DemoCatalogue(count: shop.productCount)
        self.catalogue = catalogue
        cycles = catalogue.consumables.map { catalogue.items[$0].cycleDays }
        let codes = ["DKK", "EUR", "SEK", "NOK"]
        currencies = codes.map { Currency(code: $0)! }
        rates = codes.map { code in shop.exchangeRates.first { $0.currency.code == code } }
        rateTexts = rates.map { $0?.description }
        rng = DemoRandom(seed: DemoRandom.mix(shop.seed ^ 0xD3_30_5E_ED))
        summary = DemoSummary(period: shop.period, products: catalogue.items.count)
        var total = 0.0
        var cumulative: [Double] = []
        for w in DemoShop.hourWeights { total += w; cumulative.append(total) }
        hourCumulative = cumulative.map { $0 / total }
    }

    mutating func run(_ body: (Order) throws -> Void) rethrows -> DemoSummary {
        let period = shop.period
        let days = period.dayCount
        guard days > 0, shop.orderCount > 0 else { return summary }
        // Spread the orders over the days exactly: day i gets round(N·W(i)) − round(N·W(i−1)).
        var weights: [Double] = []
        weights.reserveCapacity(days)
        var total = 0.0
        for i in 0..<days {
            let w = DemoShop.dayWeight(period.start.adding(days: i), progress: Double(i) / Double(days))
            total += w
            weights.append(total)
        }
        let n = Double(shop.orderCount)
        var assigned = 0
        let calendar = shop.calendar
        var dayStart = calendar.startOfDay(period.start)
        for i in 0..<days {
            let date = period.start.adding(days: i)
            let upTo = i == days - 1 ? shop.orderCount : Int((n * weights[i] / total).rounded())
            let count = upTo - assigned
            assigned = upTo
            let nextStart = calendar.startOfDay(date.adding(days: 1))
            guard count > 0 else { dayStart = nextStart; continue }
            planDay(date: date, count: count, dayStart: dayStart, nextStart: nextStart)
            let blackWeek = DemoShop.isBlackWeek(date)
            for k in slots.indices {
                let order = makeOrder(slots[k], day: date.dayNumber, blackWeek: blackWeek)
                try body(order)
            }
            dayStart = nextStart
        }
        summary.currenciesUsed = (1..<4).filter { currencySeen[$0] }.map { currencies[$0].code }.sorted()
        return summary
    }

    /// Fills `slots` with the day's orders: due customers first, then anonymous and new ones, each at a
    /// time drawn from the hour profile, sorted by time.
    private mutating func planDay(date: ShopDate, count: Int, dayStart: Int64, nextStart: Int64) {
        slots.removeAll(keepingCapacity: true)
        var anonymous = 0
        for _ in 0..<count where rng.chance(0.03) { anonymous += 1 }
        var free = count - anonymous
        while free > 0, let top = heap.first, top.day <= date.dayNumber {
            slots.append(Slot(instant: 0, sequence: 0, kind: 2, entry: heap.pop()))
            free -= 1
        }
        let placeholder = CustomerEntry(day: 0, number: 0, orders: 0, flags: 0)
        for _ in 0..<free { slots.append(Slot(instant: 0, sequence: 0, kind: 1, entry: placeholder)) }
        for _ in 0..<anonymous { slots.append(Slot(instant: 0, sequence: 0, kind: 0, entry: placeholder)) }

        let calendar = shop.calendar
        let startOffset = Int64(calendar.offset(at: dayStart))
        let steady = startOffset == Int64(calendar.offset(at: nextStart - 1))
        let midnightLocal = Int64(date.dayNumber) * 86_400
        for k in slots.indices {
            let u = rng.unit()
            var hour = 0
            while hour < 23 && hourCumulative[hour] <= u { hour += 1 }
            let local = midnightLocal + Int64(hour * 3600 + rng.below(3600))
            var instant: Int64
            if steady {
                instant = local - startOffset
            } else {
                let guess = local - Int64(calendar.offset(at: local - startOffset))
                instant = local - Int64(calendar.offset(at: guess))
            }
            instant = min(max(instant, dayStart), nextStart - 1)
            slots[k].instant = instant
            slots[k].sequence = Int32(k)
        }
        slots.sort { ($0.instant, $0.sequence) < ($1.instant, $1.sequence) }
    }

    /// Builds one order and schedules the customer's next one.
    private mutating func makeOrder(_ slot: Slot, day: Int, blackWeek: Bool) -> Order {
        let orderId = String(1001 + nextOrder)
        nextOrder += 1
        let cancelled = rng.chance(0.015)
        var entry = slot.entry
        var traits: CustomerTraits? = nil
        if slot.kind == 1 {
            entry = CustomerEntry(day: day, number: nextCustomer, orders: 0, flags: 0)
            nextCustomer += 1
        }
        if slot.kind != 0 {
            traits = CustomerTraits(seed: shop.seed, number: entry.number, consumables: catalogue.consumables, cycles: cycles)
        }

        // Who and where.
        var customerId: String? = nil
        var email: String? = nil
        var countryIndex = 0
        var currencyIndex = 0
        // Now and then a registered customer checks out as a guest: by METRICS.md's identity rule that
        // order belongs to another customer (the e-mail).
        var checkoutAsGuest = false
        if let t = traits {
            checkoutAsGuest = !t.isGuest && rng.chance(0.01)
            if !t.isGuest && !checkoutAsGuest { customerId = String(100_000 + Int(entry.number)) }
            email = makeEmail(t, number: entry.number)
            countryIndex = t.country
            currencyIndex = t.currency
        } else if rng.chance(0.1) {
            countryIndex = 1 + rng.below(3)
        }
        let currency = currencies[currencyIndex]

        // What: the consumable of a replenisher, else a few products by popularity, plus companions.
        picked.removeAll(keepingCapacity: true)
        var extra: Int
        if let t = traits, t.consumable >= 0 {
            picked.append(t.consumable)
            extra = rng.chance(0.3) ? 1 + rng.below(2) : 0
        } else if traits == nil {
            extra = rng.chance(0.7) ? 1 : 2
        } else {
            let u = rng.unit()
            extra = u < 0.46 ? 1 : u < 0.74 ? 2 : u < 0.88 ? 3 : u < 0.95 ? 4 : u < 0.98 ? 5 : 6
        }
        for _ in 0..<extra {
            for _ in 0..<4 {
                let p = catalogue.pick(&rng)
                if !picked.contains(p) { picked.append(p); break }
            }
        }
        let chosen = picked.count
        for k in 0..<chosen {
            let item = catalogue.items[picked[k]]
            if item.companion >= 0 && !picked.contains(item.companion) && rng.chance(item.companionChance) {
                picked.append(item.companion)
            }
        }

        var lines: [OrderLine] = []
        lines.reserveCapacity(picked.count)
        var subtotal: Int64 = 0
        var returnedValue: Int64 = 0
        for p in picked {
            let item = catalogue.items[p]
            let u = rng.unit()
            let quantity: Int64 = u < 0.82 ? 1 : u < 0.95 ? 2 : u < 0.99 ? 3 : 4
            let price = currencyIndex == 0 ? item.price : convertPrice(item.price, to: currencyIndex)
            var returned: Int64 = 0
            if !cancelled && rng.chance(item.returnRate) {
                returned = quantity == 1 ? 1 : 1 + Int64(rng.below(Int(quantity)))
            }
            subtotal += quantity * price
            returnedValue += returned * price
            lines.append(OrderLine(productId: item.id, productName: item.name, quantity: quantity,
                                   unitPrice: price, returnedQuantity: returned))
        }

        // Discounts: a welcome code on some first orders, Black Friday week, the odd campaign.
        var percent: Int64 = 0
        if blackWeek && rng.chance(0.3) {
            percent = 20
        } else if entry.orders == 0 && customerId != nil && rng.chance(0.15) {
            percent = 10
        } else if rng.chance(0.04) {
            percent = 15
        }
        let discount = (subtotal * percent + 50) / 100
        let afterDiscount = subtotal - discount
        let rule = DemoGenerator.shipping[currencyIndex]
        let shipping = afterDiscount < rule.threshold ? rule.fee : 0
        let total = afterDiscount + shipping
        var refunded: Int64 = 0
        if !cancelled {
            if returnedValue > 0 {
                refunded = min(total, returnedValue * (100 - percent) / 100)
            } else if rng.chance(0.012) {
                refunded = min(total, shipping > 0 ? shipping : total / 10)
            }
        }

        var shopTotal = total, shopRefunded = refunded
        var rateText: String? = nil
        if currencyIndex != 0, let rate = rates[currencyIndex] {
            shopTotal = rate.convert(total, to: shop.currency) ?? 0
            shopRefunded = rate.convert(refunded, to: shop.currency) ?? 0
            rateText = rateTexts[currencyIndex]
        }
        let instant = Instant(seconds: slot.instant)
        let order = Order(id: orderId, placedAt: instant, customerId: customerId, email: email,
                          status: cancelled ? .cancelled : .placed, currency: currency, total: total,
                          refunded: refunded, shopTotal: shopTotal, shopRefunded: shopRefunded, rate: rateText,
                          country: DemoGenerator.countries[countryIndex], lines: lines)

        // Count it.
        summary.orders += 1
        summary.lines += lines.count
        if summary.firstOrder == nil { summary.firstOrder = instant }
        summary.lastOrder = instant
        if cancelled { summary.cancelledOrders += 1 }
        if traits == nil { summary.anonymousOrders += 1 }
        if traits != nil && customerId == nil { summary.guestEmailOrders += 1 }
        if currencyIndex != 0 { summary.foreignCurrencyOrders += 1; currencySeen[currencyIndex] = true }
        if lines.contains(where: { $0.returnedQuantity > 0 }) { summary.ordersWithReturns += 1 }
        if refunded > 0 { summary.refundedOrders += 1 }
        // Bit 0: the customer's own key is counted; bit 1: the e-mail key of their guest checkouts.
        let countedBit: UInt32 = checkoutAsGuest ? 2 : 1
        if traits != nil && !cancelled && entry.flags & countedBit == 0 {
            summary.customers += 1
            entry.flags |= countedBit
        }

        // Next order, unless the customer drops out or it would fall after the end date.
        if let t = traits, !rng.chance(t.dropout) {
            let gap: Int
            if t.segment == .replenisher {
                gap = Int((t.meanGap * (0.85 + 0.3 * rng.unit())).rounded())
            } else {
                gap = Int(rng.exponential(mean: t.meanGap).rounded())
            }
            let next = day + max(1, gap)
            if next <= shop.endDate.dayNumber {
                heap.push(CustomerEntry(day: next, number: entry.number, orders: entry.orders + 1, flags: entry.flags))
                summary.peakLiveCustomers = max(summary.peakLiveCustomers, heap.count)
            }
        }
        return order
    }

    /// A DKK price in another currency at the demo rate, rounded to its minor unit.
    private func convertPrice(_ price: Int64, to currencyIndex: Int) -> Int64 {
        guard let rate = rates[currencyIndex] else { return price }
        var numerator = price, denominator = rate.mantissa
        for _ in 0..<rate.scale { numerator *= 10 }
        for _ in 0..<currencies[currencyIndex].minorDigits { numerator *= 10 }
        for _ in 0..<shop.currency.minorDigits { denominator *= 10 }
        return (numerator + denominator / 2) / denominator
    }

    /// The customer's e-mail, now and then with stray capitals or spaces as typed at checkout.
    private mutating func makeEmail(_ t: CustomerTraits, number: UInt32) -> String {
        let first = DemoGenerator.firstNames[t.firstName % DemoGenerator.firstNames.count]
        let last = DemoGenerator.lastNames[t.lastName % DemoGenerator.lastNames.count]
        let domain = DemoGenerator.domains[t.domain % DemoGenerator.domains.count]
        let digits = String(number + 11)
        var local: String
        switch t.emailStyle {
        case 0: local = first + "." + last + digits
        case 1: local = first + digits
        case 2: local = first + "_" + last + digits
        default: local = String(first.first!) + last + digits
        }
        let email = local + "@" + domain
        guard rng.chance(0.05) else { return email }
        switch rng.below(4) {
        case 0: return first.prefix(1).uppercased() + email.dropFirst()
        case 1: return email + " "
        case 2: return " " + email.uppercased()
        default: return local + "@" + domain.prefix(1).uppercased() + domain.dropFirst()
        }
    }
}
