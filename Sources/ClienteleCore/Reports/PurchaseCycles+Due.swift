/// The customers due for a purchase-cycle reminder (METRICS.md, "Purchase cycles": "the customers due for
/// one are listed and exportable").
///
/// The rule: for each product with a cycle and each identified customer who has bought it, take the
/// customer's last order containing it up to the end of the as-of day (so they have not bought it again
/// since). The reminder is due at that order's instant + the product's reminder offset
/// (max(median − 7 days, median ÷ 2)); its due date is the shop date of that instant. The customer is due
/// when the due date lies in the window `[as-of, as-of + within days)`: the as-of day and the following
/// `within − 1` days. Reminders that fell due before the as-of date are not listed (they belonged to an
/// earlier window), so running the list every `within` days lists each reminder exactly once.
public struct DueReminders: Sendable, Equatable {
    /// The as-of date: the window's first day, and the last day of orders looked at.
    public var asOf: ShopDate
    /// Length of the window in days.
    public var withinDays: Int
    /// The shop's IANA time zone.
    public var timeZone: String
    /// The products with a cycle the reminders are for.
    public var cycles: PurchaseCycles
    /// The reminders: due date asc, then customer key asc, then product id asc.
    public var reminders: [Reminder]

    /// The window's last day.
    public var lastDay: ShopDate { asOf.adding(days: withinDays - 1) }

    /// One customer due for a reminder about one product.
    public struct Reminder: Sendable, Equatable {
        /// The customer key.
        public var customer: String
        /// The customer's normalised e-mail: that of their latest order (up to the as-of day) with one;
        /// `nil` when no order of theirs has one.
        public var email: String?
        /// The shop's product id.
        public var productId: String
        /// The product's name.
        public var productName: String
        /// The shop's id of the last order containing the product.
        public var lastOrderId: String
        /// When that order was placed.
        public var lastPurchase: Instant
        /// The shop's UTC offset at `lastPurchase`, in seconds.
        public var lastPurchaseUTCOffset: Int
        /// The product's cycle (median gap) in days.
        public var cycleDays: Double
        /// The reminder offset in days.
        public var reminderAfterDays: Double
        /// The shop date the reminder falls on.
        public var dueDate: ShopDate
        /// How many orders of the customer (up to the as-of day) contain the product.
        public var purchases: Int

        /// `lastPurchase` in ISO 8601 with the shop's offset at that instant.
        public var lastPurchaseText: String { lastPurchase.iso8601(offsetSeconds: lastPurchaseUTCOffset, zulu: false) }
    }

    /// Computes the reminders due in `[asOf, asOf + withinDays)` (see the type's rule); a pure function of its
    /// arguments. `calendar` turns due instants into shop dates; `minGaps` is the cycles' threshold.
    public static func compute(snapshot s: ShopSnapshot, asOf: ShopDate, withinDays: Int, calendar: ShopCalendar,
                               minGaps: Int = 4) -> DueReminders {
        let cycles = PurchaseCycles.compute(snapshot: s, asOf: asOf, timeZone: calendar.identifier, minGaps: minGaps)
        let window = max(1, withinDays)
        let productCount = s.productIds.count
        var cycleOf = [Int32](repeating: -1, count: productCount)
        var offsetSeconds = [Int64](repeating: 0, count: cycles.products.count)
        for (k, p) in cycles.products.enumerated() {
            cycleOf[p.productIndex] = Int32(k)
            offsetSeconds[k] = Int64((p.reminderAfterDays * 86_400).rounded(.toNearestOrAwayFromZero))
        }
        let end = Int32(clamping: asOf.dayNumber + 1)
        let first = asOf.dayNumber, last = asOf.dayNumber + window   // [first, last)
        let ranks = BestSellers.productRanks(s)

        struct Row { var customer: Int32; var order: Int; var product: Int; var cycle: Int; var due: Int; var purchases: Int }
        var rows: [Row] = []
        if !cycles.products.isEmpty {
            var lastOrder = [Int32](repeating: -1, count: productCount)
            var count = [Int32](repeating: 0, count: productCount)
            var touched: [Int] = []
            for c in 0..<s.customerCount {
                touched.removeAll(keepingCapacity: true)
                // Orders are in time order: the last order containing a product overwrites earlier ones.
                for i in s.orders(ofCustomer: c) where s.orderDay[i] < end {
                    for l in s.lines(ofOrder: i) {
                        let p = Int(s.lineProduct[l])
                        if cycleOf[p] < 0 || lastOrder[p] == Int32(i) { continue }
                        if count[p] == 0 { touched.append(p) }
                        count[p] += 1
                        lastOrder[p] = Int32(i)
                    }
                }
                for p in touched {
                    let i = Int(lastOrder[p])
                    let k = Int(cycleOf[p])
                    let due = calendar.dayNumber(of: s.orderInstant[i] + offsetSeconds[k])
                    if due >= first && due < last {
                        rows.append(Row(customer: Int32(c), order: i, product: p, cycle: k, due: due, purchases: Int(count[p])))
                    }
                    lastOrder[p] = -1
                    count[p] = 0
                }
            }
        }
        rows.sort { a, b in
            if a.due != b.due { return a.due < b.due }
            if a.customer != b.customer { return a.customer < b.customer }
            return ranks[a.product] < ranks[b.product]
        }
        var emailOf: [Int32: String?] = [:]
        let reminders: [Reminder] = rows.map { r in
            let email: String?
            if let e = emailOf[r.customer] {
                email = e
            } else {
                var found: String?
                for i in s.orders(ofCustomer: Int(r.customer)).reversed() where s.orderDay[i] < end {
                    if let e = s.email(ofOrder: i) { found = e; break }
                }
                emailOf[r.customer] = .some(found)
                email = found
            }
            let cycle = cycles.products[r.cycle]
            return Reminder(customer: s.customerKey(Int(r.customer)), email: email, productId: cycle.productId,
                            productName: cycle.name, lastOrderId: s.orderId(r.order),
                            lastPurchase: Instant(seconds: s.orderInstant[r.order]),
                            lastPurchaseUTCOffset: Int(s.orderUTCOffset[r.order]),
                            cycleDays: cycle.medianDays, reminderAfterDays: cycle.reminderAfterDays,
                            dueDate: ShopDate(dayNumber: r.due), purchases: r.purchases)
        }
        return DueReminders(asOf: asOf, withinDays: window, timeZone: calendar.identifier, cycles: cycles,
                            reminders: reminders)
    }
}
