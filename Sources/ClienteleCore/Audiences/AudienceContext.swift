/// What an audience filter is evaluated over: the snapshot and every customer's profile as of a date
/// (METRICS.md, "Lifecycle and groups", "Audiences"). Figures from later reports (RFM segments,
/// predicted values) join here as optional columns, each read by one entry of `AudienceField.all`.
public struct AudienceContext: Sendable {
    /// The shop's orders.
    public let snapshot: ShopSnapshot
    /// Every customer's figures as of the as-of date.
    public let profiles: CustomerProfiles
    /// The shop's reporting currency (money values in filters are in it).
    public let currency: Currency
    /// RFM scores as of the same date, for the `rfm` fields; computed by `AudienceFilter.customers(in:)`
    /// when a filter uses them and this is `nil`.
    public var rfm: RFM?
    /// Predicted values as of the same date, for the `p_alive`, `predicted_clv`, `expected_purchases` and
    /// `next_order` fields; supplied by the caller (the core fits no model). Without them those fields have
    /// no value, so conditions on them match nobody (check `AudienceFilter.usesPredictions` first).
    public var predictions: PredictedValues?
    /// The shop's calendar, which turns reminder instants into shop dates for `reminder_due`; `nil`: the
    /// calendar of the snapshot's time zone.
    public var calendar: ShopCalendar?
    /// Per customer, the day number of the next purchase-cycle reminder due on or after the as-of date
    /// (`Int32.max`: none), for `reminder_due`; computed by `AudienceFilter.customers(in:)` when a filter
    /// uses it and this is `nil`.
    public var reminderDue: ContiguousArray<Int32>?

    /// A context over `snapshot` with `profiles` computed as of their date.
    public init(snapshot: ShopSnapshot, profiles: CustomerProfiles, currency: Currency) {
        self.snapshot = snapshot
        self.profiles = profiles
        self.currency = currency
    }

    /// A context over `snapshot` as of `asOf`, computing the profiles.
    public init(snapshot: ShopSnapshot, asOf: ShopDate, thresholds: ShopSettings.Thresholds, currency: Currency) {
        self.init(snapshot: snapshot,
                  profiles: CustomerProfiles.compute(snapshot: snapshot, asOf: asOf, thresholds: thresholds),
                  currency: currency)
    }

    /// The as-of date.
    public var asOf: ShopDate { profiles.asOf }

    /// The day number of customer `c`'s next reminder due on or after the as-of date; nil when none (or
    /// when `reminderDue` has not been computed).
    @inline(__always)
    public func reminderDueDay(_ c: Int) -> Int? {
        guard let r = reminderDue, c < r.count, r[c] != .max else { return nil }
        return Int(r[c])
    }

    /// Whether customer `c` has an order up to the as-of date.
    @inline(__always)
    public func isCustomer(_ c: Int) -> Bool { profiles.orders[c] > 0 }

    /// The normalised e-mail of customer `c`'s latest order up to the as-of date that has one.
    public func email(ofCustomer c: Int) -> String? {
        let lo = Int(snapshot.customerOrderStart[c])
        var i = Int(profiles.lastOrder[c])
        while i >= lo {
            let e = Int(snapshot.orderEmail[i])
            if e >= 0 { return snapshot.emails[e] }
            i -= 1
        }
        return nil
    }

    /// The country of customer `c`'s latest order up to the as-of date that has one.
    public func country(ofCustomer c: Int) -> String? {
        let lo = Int(snapshot.customerOrderStart[c])
        var i = Int(profiles.lastOrder[c])
        while i >= lo {
            let e = Int(snapshot.orderCountry[i])
            if e >= 0 { return snapshot.countries[e] }
            i -= 1
        }
        return nil
    }

    /// Shop day of customer `c`'s first order.
    @inline(__always)
    public func firstOrderDay(_ c: Int) -> Int { Int(snapshot.orderDay[Int(snapshot.customerOrderStart[c])]) }

    /// Shop day of customer `c`'s last order up to the as-of date.
    @inline(__always)
    public func lastOrderDay(_ c: Int) -> Int { Int(snapshot.orderDay[Int(profiles.lastOrder[c])]) }

    /// Customer `c`'s average order value up to the as-of date, minor units (halves away from zero).
    public func averageOrderValue(_ c: Int) -> Int64? {
        Money.roundedQuotient(profiles.revenue[c], Int64(profiles.orders[c]))
    }

    /// Which customers bought `productId` (a line in an order up to the as-of date); all false for an
    /// unknown product.
    public func buyers(of productId: String) -> [Bool] {
        var mask = [Bool](repeating: false, count: snapshot.customerCount)
        guard let p = productIndex(productId) else { return mask }
        let product = Int32(p)
        snapshot.lineProduct.withUnsafeBufferPointer { lineProduct in
        snapshot.orderLineStart.withUnsafeBufferPointer { lineStart in
        snapshot.customerOrderStart.withUnsafeBufferPointer { start in
            for c in 0..<snapshot.customerCount where profiles.orders[c] > 0 {
                let lo = Int(start[c]), end = Int(profiles.lastOrder[c]) + 1
                for l in Int(lineStart[lo])..<Int(lineStart[end]) where lineProduct[l] == product {
                    mask[c] = true
                    break
                }
            }
        }}}
        return mask
    }

    /// The index of `productId` in the snapshot's product table (compared by bytes).
    func productIndex(_ productId: String) -> Int? {
        let ids = snapshot.productIds
        for i in 0..<ids.count where ids[i].utf8.elementsEqual(productId.utf8) { return i }
        return nil
    }
}
