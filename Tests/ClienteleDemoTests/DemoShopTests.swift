import ClienteleCore
import ClienteleDemo
import Testing

@Suite struct DemoShopTests {
    let shop = DemoFixture.shop
    let calendar = DemoFixture.shop.calendar

    @Test func theSameSeedGivesTheSameOrdersAndAnotherSeedDiffers() {
        let small = DemoShop(endDate: DemoFixture.endDate, orderCount: 3_000, seed: 7)
        var first: [Order] = [], second: [Order] = [], other: [Order] = []
        small.generate { first.append($0) }
        small.generate { second.append($0) }
        DemoShop(endDate: DemoFixture.endDate, orderCount: 3_000, seed: 8).generate { other.append($0) }
        #expect(first.count == 3_000)
        #expect(first == second)
        #expect(first != other)
        // The default shop is reproducible too (the fixture was generated separately).
        var again: [Order] = []
        shop.generate { again.append($0) }
        #expect(again == DemoFixture.orders)
    }

    @Test(arguments: [0, 1, 7, 500, 12_000, 50_000])
    func exactlyTheRequestedNumberOfOrdersWithSequentialIds(count: Int) {
        var orders = 0
        var ids: [String] = []
        let summary = DemoShop(endDate: DemoFixture.endDate, orderCount: count).generate { order in
            orders += 1
            if ids.count < 3 { ids.append(order.id) }
        }
        #expect(orders == count)
        #expect(summary.orders == count)
        #expect(ids == Array(["1001", "1002", "1003"].prefix(count)))
    }

    @Test func ordersAscendInTimeInsideTheThreeYearsBeforeTheEndDate() throws {
        let orders = DemoFixture.orders
        let period = shop.period
        // Three years back from 2025-06-30, both ends included.
        #expect(period.start == ShopDate(iso: "2022-07-01")!)
        #expect(period.lastDay == DemoFixture.endDate)
        for (a, b) in zip(orders, orders.dropFirst()) {
            #expect(a.placedAt <= b.placedAt, "\(a.id) then \(b.id)")
        }
        for order in orders {
            #expect(period.contains(calendar.date(of: order.placedAt)), "\(order.id) at \(order.placedAt)")
        }
        // The history really spans the three years: the first and last days hold orders.
        let first = calendar.date(of: try #require(orders.first).placedAt)
        let last = calendar.date(of: try #require(orders.last).placedAt)
        #expect(first.dayNumber - period.start.dayNumber <= 2)
        #expect(period.lastDay.dayNumber - last.dayNumber <= 2)
        #expect(Set(orders.map(\.id)).count == orders.count)
        #expect(orders.map(\.id) == (0..<orders.count).map { String(1001 + $0) })
    }

    @Test func theDefaultShopHasAFewThousandCustomersAndTheSummaryAgreesWithTheOrders() {
        let orders = DemoFixture.orders
        let s = DemoFixture.summary
        let keys = Set(DemoFixture.placed.compactMap(\.customerKey))
        #expect(orders.count == DemoShop.defaultOrderCount)
        #expect((2_500...8_000).contains(keys.count))
        #expect(s.customers == keys.count)
        #expect(s.lines == orders.reduce(0) { $0 + $1.lines.count })
        #expect(s.cancelledOrders == orders.filter(\.isCancelled).count)
        #expect(s.anonymousOrders == orders.filter { $0.customerKey == nil }.count)
        #expect(s.guestEmailOrders == orders.filter { $0.customerId == nil && $0.email != nil }.count)
        #expect(s.foreignCurrencyOrders == orders.filter { $0.currency.code != "DKK" }.count)
        #expect(s.ordersWithReturns == orders.filter { $0.lines.contains { $0.returnedQuantity > 0 } }.count)
        #expect(s.refundedOrders == orders.filter { $0.refunded > 0 }.count)
        #expect(s.firstOrder == orders.first?.placedAt)
        #expect(s.lastOrder == orders.last?.placedAt)
        #expect(s.currenciesUsed == ["EUR", "NOK", "SEK"])
        #expect(s.products == 200)
    }

    @Test func mostCustomersBuyOnceAndALoyalCoreBuysOftenForYears() {
        var orders: [String: [Instant]] = [:]
        for o in DemoFixture.placed { if let k = o.customerKey { orders[k, default: []].append(o.placedAt) } }
        let oneTime = orders.values.filter { $0.count == 1 }.count
        let share = Double(oneTime) / Double(orders.count)
        #expect(share >= 0.58 && share <= 0.72, "one-time share \(share)")
        // Loyal core: at least 1 % of customers with 10+ orders spread over more than a year.
        let loyal = orders.values.filter { $0.count >= 10 && $0.first!.days(until: $0.last!) > 365 }.count
        #expect(Double(loyal) / Double(orders.count) >= 0.01, "loyal \(loyal)")
    }

    @Test func customersStopBuying() {
        // Buy-till-you-die: among customers with 2+ orders who started in the first year, many have no
        // order in the last year although their usual gap is far shorter than a year.
        var orders: [String: [Instant]] = [:]
        for o in DemoFixture.placed { if let k = o.customerKey { orders[k, default: []].append(o.placedAt) } }
        let firstYearEnd = calendar.startOfDay(shop.period.start.adding(years: 1))
        let lastYearStart = calendar.startOfDay(shop.endDate.adding(years: -1))
        let early = orders.values.filter { $0.count >= 3 && $0.first!.seconds < firstYearEnd }
        let stopped = early.filter { times in
            let meanGap = times.first!.days(until: times.last!) / Double(times.count - 1)
            return meanGap < 120 && times.last!.seconds < lastYearStart
        }
        #expect(early.count >= 100)
        #expect(Double(stopped.count) / Double(early.count) >= 0.15, "\(stopped.count) of \(early.count)")
    }

    @Test func novemberAndDecemberCarryClearlyMoreOrdersPerDay() {
        var peak = 0, peakDays = Set<Int>()
        var all = 0
        for o in DemoFixture.orders {
            let d = calendar.date(of: o.placedAt)
            all += 1
            if d.month == 11 || d.month == 12 { peak += 1; peakDays.insert(d.dayNumber) }
        }
        // Peak days: 61 per year in the three Nov–Dec seasons the span covers.
        let peakDayCount = (0..<shop.period.dayCount).filter {
            let m = shop.period.start.adding(days: $0).month
            return m == 11 || m == 12
        }.count
        let peakRate = Double(peak) / Double(peakDayCount)
        let meanRate = Double(all) / Double(shop.period.dayCount)
        #expect(peakRate >= 1.3 * meanRate, "\(peakRate) vs \(meanRate)")
        // Black Friday is the busiest day of its year.
        var perDay: [Int: Int] = [:]
        for o in DemoFixture.orders { perDay[calendar.date(of: o.placedAt).dayNumber, default: 0] += 1 }
        let bf = ShopDate(iso: "2024-11-29")!
        let best2024 = perDay.filter { ShopDate(dayNumber: $0.key).year == 2024 }.max { $0.value < $1.value }!
        #expect(best2024.key == bf.dayNumber)
    }

    @Test func eveningsAndSundaysAreBusyNightsQuiet() {
        var hours = [Int](repeating: 0, count: 24)
        var weekdays = [Int](repeating: 0, count: 8)
        for o in DemoFixture.orders {
            hours[calendar.hour(of: o.placedAt)] += 1
            weekdays[calendar.date(of: o.placedAt).isoWeekday] += 1
        }
        let evening = hours[19] + hours[20] + hours[21]
        let night = hours[3] + hours[4] + hours[5]
        #expect(evening > 8 * night, "evening \(evening), night \(night)")
        #expect(weekdays[7] > weekdays[6] && weekdays[7] > weekdays[5] && weekdays[7] > weekdays[3])
    }

    @Test func productPairsAreBoughtTogetherWithHighLift() throws {
        let catalogue = shop.catalogue()
        let orders = DemoFixture.placed
        let n = Double(orders.count)
        func lift(_ a: String, _ b: String) -> (Double, Int) {
            var withA = 0, withB = 0, both = 0
            for o in orders {
                let hasA = o.lines.contains { $0.productId == a }, hasB = o.lines.contains { $0.productId == b }
                if hasA { withA += 1 }
                if hasB { withB += 1 }
                if hasA && hasB { both += 1 }
            }
            guard withA > 0, withB > 0 else { return (0, 0) }
            return ((Double(both) / Double(withA)) / (Double(withB) / n), both)
        }
        let shoes = try #require(catalogue.first { $0.name == "Løbesko Fjord Trail" })
        let socks = try #require(catalogue.first { $0.name == "Løbesokker Merino 2-pak" })
        #expect(shoes.companionId == socks.id)
        let (l, support) = lift(shoes.id, socks.id)
        #expect(l >= 5, "lift \(l)")
        #expect(support >= 30, "support \(support)")
        // Every configured pair shows a clear lift.
        for p in catalogue where p.companionId != nil {
            #expect(lift(p.id, p.companionId!).0 >= 3, "\(p.name)")
        }
        // An unrelated pair does not.
        let a = catalogue[0], b = catalogue[4]
        #expect(a.companionId != b.id && b.companionId != a.id)
        #expect(lift(a.id, b.id).0 < 3)
    }

    @Test func consumablesAreReboughtOnTheirCycle() throws {
        let consumables = shop.catalogue().filter { $0.cycleDays != nil }
        #expect(Set(consumables.map { $0.cycleDays! }) == [30, 42, 60])
        for product in consumables {
            var last: [String: Instant] = [:]
            var gaps: [Double] = []
            for o in DemoFixture.placed where o.lines.contains(where: { $0.productId == product.id }) {
                guard let k = o.customerKey else { continue }
                if let previous = last[k] { gaps.append(previous.days(until: o.placedAt)) }
                last[k] = o.placedAt
            }
            let cycle = Double(product.cycleDays!)
            let median = try #require(DemoFixture.median(gaps))
            #expect(gaps.count >= 50, "\(product.name): \(gaps.count) gaps")
            #expect(abs(median - cycle) <= 0.3 * cycle, "\(product.name): median \(median), cycle \(cycle)")
        }
    }

    @Test func theMessOfRealExportsIsPresentInPlausibleShares() {
        let orders = DemoFixture.orders
        let n = Double(orders.count)
        func share(_ p: (Order) -> Bool) -> Double { Double(orders.filter(p).count) / n }
        let cancelled = share(\.isCancelled)
        let anonymous = share { $0.customerId == nil && $0.email == nil }
        let guest = share { $0.customerId == nil && $0.email != nil }
        let foreign = share { $0.currency.code != "DKK" }
        let returns = share { $0.lines.contains { $0.returnedQuantity > 0 } }
        let refunds = share { $0.refunded > 0 }
        #expect(cancelled >= 0.008 && cancelled <= 0.025, "cancelled \(cancelled)")
        #expect(anonymous >= 0.02 && anonymous <= 0.04, "anonymous \(anonymous)")
        #expect(guest >= 0.05 && guest <= 0.25, "guest \(guest)")
        #expect(foreign >= 0.015 && foreign <= 0.05, "foreign \(foreign)")
        #expect(returns >= 0.03 && returns <= 0.15, "returns \(returns)")
        #expect(refunds >= returns && refunds <= 0.18, "refunds \(refunds)")
        // Partial refunds exist besides full ones, and a goodwill refund without a return.
        #expect(orders.contains { $0.refunded > 0 && $0.refunded < $0.total })
        #expect(orders.contains { $0.refunded > 0 && !$0.lines.contains { $0.returnedQuantity > 0 } })
        // Countries: mostly Denmark, some Sweden, Norway, Germany.
        let dk = share { $0.country == "DK" }
        #expect(dk >= 0.85 && dk <= 0.97)
        for c in ["SE", "NO", "DE"] { #expect(orders.contains { $0.country == c }, "\(c)") }
        // E-mails with stray capitals or spaces, which the identity rule folds into one customer.
        let messy = orders.compactMap(\.email).filter { $0 != $0.lowercased() || $0.hasPrefix(" ") || $0.hasSuffix(" ") }
        #expect(Double(messy.count) / n >= 0.01)
        var spellings: [String: Set<String>] = [:]
        for o in orders where o.customerId == nil { if let e = o.email { spellings[o.customerKey!, default: []].insert(e) } }
        #expect(spellings.values.contains { $0.count > 1 })
        // A registered customer's guest checkout: the same e-mail without the customer id (another customer
        // by the identity rule).
        let registeredEmails = Set(orders.filter { $0.customerId != nil }.compactMap { CustomerIdentity.normalisedEmail($0.email) })
        let guestCheckouts = orders.filter { $0.customerId == nil && registeredEmails.contains(CustomerIdentity.normalisedEmail($0.email) ?? "") }
        #expect(guestCheckouts.count >= 20, "\(guestCheckouts.count)")
        // Discounted orders exist (total below the lines' sum).
        #expect(orders.contains { o in o.total < o.lines.reduce(0) { $0 + $1.quantity * $1.unitPrice } })
    }

    @Test func everyOrderSatisfiesTheImportInvariants() throws {
        let shopCurrency = shop.currency
        let rates = Dictionary(uniqueKeysWithValues: shop.exchangeRates.map { ($0.currency.code, $0) })
        let shipping: [String: (Int64, Int64)] = ["DKK": (49_900, 3_900), "EUR": (6_900, 595), "SEK": (74_900, 5_900), "NOK": (74_900, 5_900)]
        for o in DemoFixture.orders {
            #expect(!o.lines.isEmpty)
            #expect(Int(o.customerId ?? "0") != nil, "customer id \(o.customerId ?? "")")
            for line in o.lines {
                #expect(line.quantity > 0)
                #expect(line.returnedQuantity >= 0 && line.returnedQuantity <= line.quantity)
                #expect(line.unitPrice > 0)
                #expect(!line.productName.isEmpty)
            }
            #expect(o.refunded >= 0 && o.refunded <= o.total, "order \(o.id)")
            if o.isCancelled { #expect(o.lines.allSatisfy { $0.returnedQuantity == 0 }) }
            // order_total = lines − discount (0, 10, 15 or 20 %) + shipping (under the free-shipping threshold).
            let sum = o.lines.reduce(Int64(0)) { $0 + $1.quantity * $1.unitPrice }
            let (threshold, fee) = try #require(shipping[o.currency.code])
            let explained = [Int64(0), 10, 15, 20].contains { pct in
                let after = sum - (sum * pct + 50) / 100
                return o.total == after + (after < threshold ? fee : 0)
            }
            #expect(explained, "order \(o.id): total \(o.total), lines \(sum)")
            if o.currency == shopCurrency {
                #expect(o.rate == nil && o.shopTotal == o.total && o.shopRefunded == o.refunded)
            } else {
                let rate = try #require(rates[o.currency.code])
                #expect(o.rate == rate.description)
                #expect(o.shopTotal == rate.convert(o.total, to: shopCurrency))
                #expect(o.shopRefunded == rate.convert(o.refunded, to: shopCurrency))
            }
        }
    }

    @Test func theCatalogueScalesWithTheOrdersAndHasUniqueIdsAndNames() {
        let small = shop.catalogue()
        #expect(small.count == 200)
        #expect(Set(small.map(\.id)).count == small.count)
        #expect(Set(small.map(\.name)).count == small.count)
        let big = DemoShop(endDate: DemoFixture.endDate, orderCount: 10_000_000)
        #expect(big.productCount == 5_000)
        let products = big.catalogue()
        #expect(products.count == 5_000)
        #expect(Set(products.map(\.name)).count == 5_000)
        #expect(DemoShop(endDate: DemoFixture.endDate, orderCount: 1_000_000).productCount > 1_000)
    }

    @Test func popularityIsSkewed() {
        var units: [String: Int] = [:]
        for o in DemoFixture.placed { for l in o.lines { units[l.productId, default: 0] += 1 } }
        let sorted = units.values.sorted(by: >)
        let top10 = sorted.prefix(10).reduce(0, +), all = sorted.reduce(0, +)
        // Zipf-like: the top 5 % of products carry far more than 5 % of the lines.
        #expect(Double(top10) / Double(all) >= 0.25)
        #expect(sorted.count >= 150)
    }

    @Test func stateStaysBoundedForAMillionOrders() {
        // The generator keeps only customers who will order again; a million orders must not keep
        // hundreds of thousands of customers alive.
        var count = 0
        let summary = DemoShop(endDate: DemoFixture.endDate, orderCount: 1_000_000, seed: 3).generate { _ in count += 1 }
        #expect(count == 1_000_000)
        #expect(summary.customers > 200_000)
        #expect(summary.peakLiveCustomers < summary.customers / 4, "peak \(summary.peakLiveCustomers)")
    }
}
