import ClienteleCore

/// Each customer's purchase history reduced to what the models need (METRICS.md, "Predictive models"), as of
/// a calibration end date `D`: frequency x = repeat purchase days (orders on the same shop day count once,
/// the first purchase day is not a repeat), recency tₓ = time from the first to the last purchase day, T = time
/// from the first purchase day to `D`, the mean repeat spend (the mean value of the repeat purchase days, a
/// day's value being the sum of its orders), and the repeat purchase days in the holdout `(D, holdoutEnd]`.
///
/// Times are whole shop days (the hour of an order plays no part), stated in `unit`. Columns are indexed by
/// customer: the snapshot's dense customer id, or for transactions the position in `customerKeys`. A
/// customer whose first purchase is after `D` is excluded (`frequency` −1).
public struct PurchaseSummaries: Sendable, Equatable {
    /// The unit recency and T are stated in.
    public var unit: TimeUnit
    /// The calibration end `D` (inclusive: purchases on `D` count).
    public var calibrationEnd: ShopDate
    /// The holdout end (inclusive), or nil without a holdout.
    public var holdoutEnd: ShopDate?
    /// Minor units per major unit of the amounts (100 for cents).
    public var minorUnitsPerMajor: Int64
    /// The customers' keys when built from transactions (ascending by code point); empty for a snapshot.
    public var customerKeys: [String]
    /// Day number of each customer's first purchase day (`Int32.max` when excluded).
    public var firstPurchaseDay: ContiguousArray<Int32>
    /// Repeat purchase days up to `D`; −1 for an excluded customer.
    public var frequency: ContiguousArray<Int32>
    /// Days from the first to the last purchase day up to `D`.
    public var recencyDays: ContiguousArray<Int32>
    /// Days from the first purchase day to `D` (T in days).
    public var ageDays: ContiguousArray<Int32>
    /// Sum of the repeat purchase days' values up to `D`, in minor units.
    public var repeatSpend: ContiguousArray<Int64>
    /// Repeat purchase days in `(D, holdoutEnd]` (0 without a holdout).
    public var holdoutFrequency: ContiguousArray<Int32>
    /// Repeat purchase days of included customers per day, `repeatPurchasesPerDay[i]` on day `firstDay + i`,
    /// up to the holdout end (or `D`); the actual side of the tracking curve.
    public var repeatPurchasesPerDay: ContiguousArray<Int32>
    /// The earliest first purchase day of an included customer (the tracking curve's day 0).
    public var firstDay: ShopDate

    /// Number of customer slots (included or not).
    public var customerCount: Int { frequency.count }
    /// Whether customer `c` had a purchase up to `D`.
    @inline(__always) public func isIncluded(_ c: Int) -> Bool { frequency[c] >= 0 }
    /// Customers with a purchase up to `D`.
    public var includedCount: Int { frequency.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }
    /// Customers with at least one repeat purchase day up to `D`.
    public var repeatCustomerCount: Int { frequency.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }
    /// Recency tₓ of customer `c` in `unit`.
    @inline(__always) public func recency(_ c: Int) -> Double { Double(recencyDays[c]) / unit.days }
    /// T of customer `c` in `unit`.
    @inline(__always) public func age(_ c: Int) -> Double { Double(ageDays[c]) / unit.days }
    /// Mean repeat spend of customer `c` in major units; nil without repeat purchases.
    public func meanRepeatSpend(_ c: Int) -> Double? {
        let x = frequency[c]
        guard x > 0 else { return nil }
        return Double(repeatSpend[c]) / Double(minorUnitsPerMajor) / Double(x)
    }
    /// The holdout's length in `unit` (0 without a holdout).
    public var holdoutLength: Double {
        guard let holdoutEnd else { return 0 }
        return Double(holdoutEnd.dayNumber - calibrationEnd.dayNumber) / unit.days
    }

    /// The summaries of a shop's identified customers as of `calibrationEnd` (METRICS.md, "Predictive
    /// models"), indexed by the snapshot's dense customer id, with the holdout up to `holdoutEnd` when given.
    /// Amounts are the gross order totals (METRICS.md, "Revenue and CLV") in the snapshot's currency.
    public static func compute(snapshot s: ShopSnapshot, calibrationEnd: ShopDate, holdoutEnd: ShopDate? = nil,
                               unit: TimeUnit = .days, minorUnitsPerMajor: Int64 = 100) throws(FitError) -> PurchaseSummaries {
        var acc = try Accumulator(customers: s.customerCount, calibrationEnd: calibrationEnd, holdoutEnd: holdoutEnd)
        s.orderDay.withUnsafeBufferPointer { day in
        s.orderTotal.withUnsafeBufferPointer { total in
        s.customerOrderStart.withUnsafeBufferPointer { start in
            for c in 0..<s.customerCount {
                acc.add(customer: c, range: Int(start[c])..<Int(start[c + 1]), day: day, amount: total)
            }
        }}}
        return acc.finish(unit: unit, minorUnitsPerMajor: minorUnitsPerMajor, keys: [])
    }

    /// The summaries of plain transactions as of `calibrationEnd`, customers in ascending key order
    /// (`customerKeys`), with the holdout up to `holdoutEnd` when given.
    public static func compute(transactions: [Transaction], calibrationEnd: ShopDate, holdoutEnd: ShopDate? = nil,
                               unit: TimeUnit = .days, minorUnitsPerMajor: Int64 = 100) throws(FitError) -> PurchaseSummaries {
        // Intern the customer ids, then order by (customer key, date).
        var ids: [String: Int32] = [:]
        var keys: [String] = []
        var customerOf = ContiguousArray<Int32>()
        customerOf.reserveCapacity(transactions.count)
        for t in transactions {
            if let id = ids[t.customer] {
                customerOf.append(id)
            } else {
                let id = Int32(keys.count)
                ids[t.customer] = id
                keys.append(t.customer)
                customerOf.append(id)
            }
        }
        let sortedIds = keys.indices.sorted { keys[$0].unicodeScalars.lexicographicallyPrecedes(keys[$1].unicodeScalars) }
        var rank = [Int32](repeating: 0, count: keys.count)
        for (r, id) in sortedIds.enumerated() { rank[id] = Int32(r) }
        var order = Array(transactions.indices)
        order.sort { i, j in
            let ci = rank[Int(customerOf[i])], cj = rank[Int(customerOf[j])]
            if ci != cj { return ci < cj }
            return transactions[i].date < transactions[j].date
        }
        var days = ContiguousArray<Int32>(), amounts = ContiguousArray<Int64>()
        days.reserveCapacity(order.count)
        amounts.reserveCapacity(order.count)
        var starts = ContiguousArray<Int>(repeating: 0, count: keys.count + 1)
        for (k, i) in order.enumerated() {
            days.append(Int32(clamping: transactions[i].date.dayNumber))
            amounts.append(transactions[i].amountMinorUnits)
            starts[Int(rank[Int(customerOf[i])]) + 1] = k + 1
        }
        for c in 0..<keys.count where starts[c + 1] < starts[c] { starts[c + 1] = starts[c] }
        var acc = try Accumulator(customers: keys.count, calibrationEnd: calibrationEnd, holdoutEnd: holdoutEnd)
        days.withUnsafeBufferPointer { day in
        amounts.withUnsafeBufferPointer { amount in
            for c in 0..<keys.count { acc.add(customer: c, range: starts[c]..<starts[c + 1], day: day, amount: amount) }
        }}
        return acc.finish(unit: unit, minorUnitsPerMajor: minorUnitsPerMajor, keys: sortedIds.map { keys[$0] })
    }

    /// One pass over each customer's purchases in time order.
    struct Accumulator {
        let calibrationEnd: Int32
        let holdoutEnd: Int32
        let calibrationDate: ShopDate
        let holdoutDate: ShopDate?
        var first: ContiguousArray<Int32>
        var x: ContiguousArray<Int32>
        var recency: ContiguousArray<Int32>
        var age: ContiguousArray<Int32>
        var spend: ContiguousArray<Int64>
        var holdout: ContiguousArray<Int32>
        /// Every repeat purchase day of an included customer, for the per-day counts.
        var repeatList = ContiguousArray<Int32>()

        init(customers n: Int, calibrationEnd: ShopDate, holdoutEnd: ShopDate?) throws(FitError) {
            if let holdoutEnd, holdoutEnd <= calibrationEnd {
                throw FitError(.invalidInput, "The holdout end \(holdoutEnd) must be after the calibration end \(calibrationEnd).")
            }
            self.calibrationEnd = Int32(clamping: calibrationEnd.dayNumber)
            self.holdoutEnd = Int32(clamping: (holdoutEnd ?? calibrationEnd).dayNumber)
            calibrationDate = calibrationEnd
            holdoutDate = holdoutEnd
            first = ContiguousArray(repeating: Int32.max, count: n)
            x = ContiguousArray(repeating: -1, count: n)
            recency = ContiguousArray(repeating: 0, count: n)
            age = ContiguousArray(repeating: 0, count: n)
            spend = ContiguousArray(repeating: 0, count: n)
            holdout = ContiguousArray(repeating: 0, count: n)
        }

        @inline(__always)
        mutating func add(customer c: Int, range: Range<Int>, day: UnsafeBufferPointer<Int32>, amount: UnsafeBufferPointer<Int64>) {
            guard let lo = range.first else { return }
            let d0 = day[lo]
            guard d0 <= calibrationEnd else { return }
            var n: Int32 = 0, h: Int32 = 0
            var last = d0, prev = d0
            var money: Int64 = 0
            for i in range.dropFirst() {
                let d = day[i]
                if d > holdoutEnd { break }
                if d != prev {
                    prev = d
                    repeatList.append(d)
                    if d <= calibrationEnd { n += 1; last = d } else { h += 1 }
                }
                if d != d0 && d <= calibrationEnd { money &+= amount[i] }
            }
            first[c] = d0
            x[c] = n
            recency[c] = last - d0
            age[c] = calibrationEnd - d0
            spend[c] = money
            holdout[c] = h
        }

        func finish(unit: TimeUnit, minorUnitsPerMajor: Int64, keys: [String]) -> PurchaseSummaries {
            let start = first.min() ?? Int32.max
            let firstDay = start == Int32.max ? calibrationEnd : start
            var perDay = ContiguousArray<Int32>(repeating: 0, count: Int(holdoutEnd - firstDay) + 1)
            for d in repeatList { perDay[Int(d - firstDay)] += 1 }
            return PurchaseSummaries(
                unit: unit, calibrationEnd: calibrationDate, holdoutEnd: holdoutDate,
                minorUnitsPerMajor: max(1, minorUnitsPerMajor), customerKeys: keys,
                firstPurchaseDay: first, frequency: x, recencyDays: recency, ageDays: age, repeatSpend: spend,
                holdoutFrequency: holdout, repeatPurchasesPerDay: perDay, firstDay: ShopDate(dayNumber: Int(firstDay)))
        }
    }
}
