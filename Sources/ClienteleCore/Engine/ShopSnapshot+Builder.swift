extension ShopSnapshot {
    /// Builds a snapshot from orders fed one at a time (the store streams them), then sorts once in `build`.
    public struct Builder: Sendable {
        /// The shop's calendar the day, month and offset columns are computed in.
        public let calendar: ShopCalendar
        /// The reporting currency, when known (used to convert foreign-currency line prices).
        public let currency: Currency?

        // Columns in arrival order.
        var instant: ContiguousArray<Int64> = []
        var total: ContiguousArray<Int64> = []
        var refunded: ContiguousArray<Int64> = []
        var customer: ContiguousArray<Int32> = []
        var day: ContiguousArray<Int32> = []
        var month: ContiguousArray<Int32> = []
        var offset: ContiguousArray<Int32> = []
        var email: ContiguousArray<Int32> = []
        var country: ContiguousArray<Int32> = []
        var orderCurrency: ContiguousArray<UInt16> = []
        var lineEnd: ContiguousArray<UInt32> = []
        var orderIds = StringTable()

        var lineProduct: ContiguousArray<Int32> = []
        var lineQuantity: ContiguousArray<Int32> = []
        var lineUnitPrice: ContiguousArray<Int64> = []
        var lineReturned: ContiguousArray<Int32> = []

        // Interning (build time only; reports never hash).
        var customerIndex = TableInterner()
        var customerKeys = StringTable()
        var emailIndex = TableInterner()
        var emails = StringTable()
        var productIndex = TableInterner()
        var productIds = StringTable()
        var productNames = StringTable()
        var countryIndex = TableInterner()
        var countries = StringTable()
        var currencyIndex: [String: UInt16] = [:]
        var currencies = StringTable()
        var rates: [String: ExchangeRate] = [:]

        var cancelledDays: ContiguousArray<Int32> = []
        var cachedDay = Int.min
        var cachedMonth: Int32 = 0

        /// A builder for a shop with `calendar` and reporting `currency`.
        public init(calendar: ShopCalendar, currency: Currency? = nil) {
            self.calendar = calendar
            self.currency = currency
        }

        /// Orders added so far (cancelled ones excluded).
        public var orderCount: Int { instant.count }

        /// Reserves room for about `orders` orders with `lines` lines in all.
        public mutating func reserveCapacity(orders: Int, lines: Int) {
            for a in [\Builder.instant, \Builder.total, \Builder.refunded] as [WritableKeyPath<Builder, ContiguousArray<Int64>>] {
                self[keyPath: a].reserveCapacity(orders)
            }
            for a in [\Builder.customer, \Builder.day, \Builder.month, \Builder.offset, \Builder.email, \Builder.country]
                as [WritableKeyPath<Builder, ContiguousArray<Int32>>] {
                self[keyPath: a].reserveCapacity(orders)
            }
            orderCurrency.reserveCapacity(orders)
            lineEnd.reserveCapacity(orders)
            orderIds.reserve(strings: orders, bytesPerString: 8)
            lineProduct.reserveCapacity(lines); lineQuantity.reserveCapacity(lines)
            lineUnitPrice.reserveCapacity(lines); lineReturned.reserveCapacity(lines)
        }

        /// Adds one order. A cancelled order is only counted (METRICS.md, "Cancelled orders are dropped
        /// before anything else").
        public mutating func add(_ order: Order) {
            let t = order.placedAt.seconds
            let off = calendar.offset(at: t)
            let local = t + Int64(off)
            let d = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
            if order.isCancelled {
                cancelledDays.append(Int32(clamping: d))
                return
            }
            if d != cachedDay {
                cachedDay = d
                cachedMonth = Int32(clamping: ShopDate(dayNumber: d).monthIndex)
            }
            instant.append(t)
            total.append(order.shopTotal)
            refunded.append(order.shopRefunded)
            day.append(Int32(clamping: d))
            month.append(cachedMonth)
            offset.append(Int32(clamping: off))

            if let key = Self.customerKey(order) {
                customer.append(customerIndex.intern(key, into: &customerKeys))
            } else {
                customer.append(-1)
            }
            if let e = Self.normalisedEmail(order.email) {
                email.append(emailIndex.intern(e, into: &emails))
            } else {
                email.append(-1)
            }
            if let c = order.country.map(CustomerIdentity.trim), !c.isEmpty {
                country.append(countryIndex.intern(c.uppercased(), into: &countries))
            } else {
                country.append(-1)
            }
            let code = order.currency.code
            if let ci = currencyIndex[code] {
                orderCurrency.append(ci)
            } else {
                let ci = UInt16(truncatingIfNeeded: currencies.count)
                currencies.append(code)
                currencyIndex[code] = ci
                orderCurrency.append(ci)
            }
            orderIds.append(order.id)

            let rate = conversionRate(of: order)
            for line in order.lines {
                let known = productIds.count
                let p = productIndex.intern(line.productId, into: &productIds)
                // A new product's name is the one of the first line that names it.
                if Int(p) == known { productNames.append(line.productName) }
                lineProduct.append(p)
                lineQuantity.append(Int32(clamping: line.quantity))
                lineReturned.append(Int32(clamping: line.returnedQuantity))
                lineUnitPrice.append(shopUnitPrice(line.unitPrice, order: order, rate: rate))
            }
            precondition(lineProduct.count <= Int(UInt32.max), "more than 4 billion order lines")
            lineEnd.append(UInt32(truncatingIfNeeded: lineProduct.count))
        }

        /// `Order.customerKey`, skipping the trimming and lower-casing work for text that needs none.
        @inline(__always)
        static func customerKey(_ order: Order) -> String? {
            if let id = order.customerId, isTrimmed(id) { return id }
            if order.customerId == nil || order.customerId!.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                if let e = order.email, isTrimmed(e), isLowerASCII(e) { return e }
            }
            return order.customerKey
        }

        /// `CustomerIdentity.normalisedEmail`, skipping the work for text that needs none.
        @inline(__always)
        static func normalisedEmail(_ email: String?) -> String? {
            if let e = email, isTrimmed(e), isLowerASCII(e) { return e }
            return CustomerIdentity.normalisedEmail(email)
        }

        /// Non-empty, and neither end is a space, a tab or (possibly) part of a no-break space.
        @inline(__always)
        static func isTrimmed(_ s: String) -> Bool {
            guard let first = s.utf8.first, let last = s.utf8.last else { return false }
            return first != 0x20 && first != 0x09 && first != 0xC2 && last != 0x20 && last != 0x09 && last != 0xA0
        }

        /// ASCII without upper-case letters (lower-casing would not change it).
        @inline(__always)
        static func isLowerASCII(_ s: String) -> Bool {
            s.utf8.allSatisfy { $0 < 0x80 && ($0 < 0x41 || $0 > 0x5A) }
        }

        /// The order's exchange rate when its amounts need converting, parsed once per distinct rate text.
        mutating func conversionRate(of order: Order) -> ExchangeRate? {
            guard let target = currency, order.currency != target, let text = order.rate else { return nil }
            let key = order.currency.code + " " + text
            if let r = rates[key] { return r }
            guard let r = ExchangeRate(currency: order.currency, text: Substring(text)) else { return nil }
            rates[key] = r
            return r
        }

        /// A unit price in the reporting currency: converted with the order's rate (halves away from zero),
        /// else scaled like the order total, else as given (a home-currency order).
        func shopUnitPrice(_ price: Int64, order: Order, rate: ExchangeRate?) -> Int64 {
            if let target = currency, order.currency == target { return price }
            if let rate, let target = currency, let v = rate.convert(price, to: target) { return v }
            if order.total != 0 && order.total != order.shopTotal {
                let n = Int128(price) * Int128(order.shopTotal)
                let d = Int128(order.total)
                var q = n / d
                let r = n % d
                if r != 0 && r.magnitude * 2 >= d.magnitude { q += (n < 0) != (d < 0) ? -1 : 1 }
                return Int64(clamping: q)
            }
            return price
        }

        /// Sorts the orders by (customer, instant, order id), customers by key in code-point order, and
        /// returns the snapshot.
        public func build(sourceVersion: String = "") -> ShopSnapshot {
            var s = ShopSnapshot(timeZone: calendar.identifier, currencyCode: currency?.code ?? "", sourceVersion: sourceVersion)
            let n = instant.count
            let customers = customerKeys.count

            // Customers in code-point order of their keys.
            var byKey = ContiguousArray<Int32>(0..<Int32(customers))
            customerKeys.bytes.withUnsafeBufferPointer { kb in
                let ko = customerKeys.offsets
                byKey.sort { StringTable.less(kb, ko, Int($0), kb, ko, Int($1)) }
            }
            var rank = ContiguousArray<Int32>(repeating: 0, count: customers)
            for (r, c) in byKey.enumerated() { rank[Int(c)] = Int32(r) }

            // Counting sort by customer rank; anonymous orders form the last bucket.
            var start = ContiguousArray<UInt32>(repeating: 0, count: customers + 2)
            for c in customer { start[c < 0 ? customers + 1 : Int(rank[Int(c)]) + 1] += 1 }
            for i in 0..<(customers + 1) { start[i + 1] += start[i] }
            var fill = start
            var perm = ContiguousArray<Int32>(repeating: 0, count: n)
            for i in 0..<n {
                let c = customer[i]
                let b = c < 0 ? customers : Int(rank[Int(c)])
                perm[Int(fill[b])] = Int32(i)
                fill[b] += 1
            }
            // Within a bucket: by instant, then order id by code point.
            instant.withUnsafeBufferPointer { inst in
                orderIds.bytes.withUnsafeBufferPointer { ib in
                    let io = orderIds.offsets
                    for b in 0...customers {
                        let lo = Int(start[b]), hi = Int(start[b + 1])
                        if hi - lo < 2 { continue }
                        perm[lo..<hi].sort { x, y in
                            let a = inst[Int(x)], c = inst[Int(y)]
                            if a != c { return a < c }
                            return StringTable.less(ib, io, Int(x), ib, io, Int(y))
                        }
                    }
                }
            }

            s.identifiedOrderCount = Int(start[customers])
            s.customerOrderStart = ContiguousArray(start[0...customers])
            var keys = StringTable()
            keys.reserve(strings: customers, bytesPerString: customerKeys.bytes.count / max(1, customers))
            for c in byKey { keys.append(from: customerKeys, index: Int(c)) }
            s.customerKeys = keys

            func gather<T>(_ column: ContiguousArray<T>) -> ContiguousArray<T> {
                column.withUnsafeBufferPointer { src in
                    ContiguousArray<T>(unsafeUninitializedCapacity: n) { dst, count in
                        for i in 0..<n { (dst.baseAddress! + i).initialize(to: src[Int(perm[i])]) }
                        count = n
                    }
                }
            }
            s.orderInstant = gather(instant)
            s.orderTotal = gather(total)
            s.orderRefunded = gather(refunded)
            s.orderDay = gather(day)
            s.orderMonth = gather(month)
            s.orderUTCOffset = gather(offset)
            s.orderEmail = gather(email)
            s.orderCountry = gather(country)
            s.orderCurrency = gather(orderCurrency)
            var cust = gather(customer)
            for i in 0..<n where cust[i] >= 0 { cust[i] = rank[Int(cust[i])] }
            s.orderCustomer = cust

            var ids = StringTable()
            ids.reserve(strings: n, bytesPerString: orderIds.bytes.count / max(1, n))
            var lineStart = ContiguousArray<UInt32>()
            lineStart.reserveCapacity(n + 1)
            lineStart.append(0)
            var lp = ContiguousArray<Int32>(), lq = ContiguousArray<Int32>(), lr = ContiguousArray<Int32>()
            var lu = ContiguousArray<Int64>()
            let lines = lineProduct.count
            lp.reserveCapacity(lines); lq.reserveCapacity(lines); lr.reserveCapacity(lines); lu.reserveCapacity(lines)
            for i in 0..<n {
                let o = Int(perm[i])
                ids.append(from: orderIds, index: o)
                let a = o == 0 ? 0 : Int(lineEnd[o - 1]), b = Int(lineEnd[o])
                lp.append(contentsOf: lineProduct[a..<b])
                lq.append(contentsOf: lineQuantity[a..<b])
                lr.append(contentsOf: lineReturned[a..<b])
                lu.append(contentsOf: lineUnitPrice[a..<b])
                lineStart.append(UInt32(truncatingIfNeeded: lp.count))
            }
            s.orderIds = ids
            s.orderLineStart = lineStart
            s.lineProduct = lp
            s.lineQuantity = lq
            s.lineReturnedQuantity = lr
            s.lineUnitPrice = lu

            s.emails = emails
            s.productIds = productIds
            s.productNames = productNames
            s.countries = countries
            s.currencies = currencies
            s.cancelledOrderDay = ContiguousArray(cancelledDays.sorted())
            return s
        }
    }
}
