import ClienteleCore

/// How `clientele predict` ranks customers.
public enum PredictionSort: String, Sendable, Hashable, CaseIterable {
    /// Predicted CLV, highest first (expected purchases when there is no spend model).
    case clv
    /// P(alive), highest first.
    case alive
    /// Expected date of the next order, soonest first.
    case next
}

/// The ranked per-customer predictions `clientele predict` shows, with the totals over all customers.
public struct PredictionList: Sendable {
    /// The as-of date `D`.
    public var asOf: ShopDate
    /// The options the predictions were made with.
    public var options: PredictionOptions
    /// The repeat-purchase model used.
    public var fit: RepeatPurchaseFit
    /// The spend model used, nil without one.
    public var spend: GammaGammaFit?
    /// The currency code of the amounts ("" when unknown).
    public var currencyCode: String
    /// The currency's decimals.
    public var currencyDigits: Int
    /// Customers with a prediction.
    public var customers: Int
    /// Mean P(alive) over them; nil without customers.
    public var meanProbabilityAlive: Double?
    /// Σ expected purchases in the window.
    public var expectedPurchases: Double
    /// Σ CLV; nil without a spend model.
    public var totalCLV: Double?
    /// The ranking.
    public var sort: PredictionSort
    /// The top rows.
    public var rows: [Row]

    /// One ranked customer.
    public struct Row: Sendable, Hashable {
        /// 1-based position.
        public var rank: Int
        /// The customer's index in the summaries (the snapshot's dense id).
        public var index: Int
        /// The customer's key.
        public var customer: String
        /// Repeat purchase days up to `D`.
        public var frequency: Int
        /// First purchase day.
        public var firstPurchase: ShopDate
        /// Last purchase day up to `D`.
        public var lastPurchase: ShopDate
        /// The predictions.
        public var prediction: CustomerPrediction
    }

    /// The `top` customers of `predictions` (all when `top` is 0) ranked by `sort`, ties by index (key order);
    /// `key` names customer `c`.
    public static func compute(predictions: CustomerPredictions, summaries s: PurchaseSummaries, sort: PredictionSort,
                               top: Int, currencyCode: String = "", currencyDigits: Int = 2,
                               key: (Int) -> String) -> PredictionList {
        var indices: [Int] = []
        indices.reserveCapacity(predictions.customers.count)
        var purchases = 0.0, clv = 0.0, alive = 0.0
        for (c, p) in predictions.customers.enumerated() {
            guard let p else { continue }
            indices.append(c)
            purchases += p.expectedPurchases
            alive += p.probabilityAlive
            clv += p.clv ?? 0
        }
        let all = predictions.customers
        func before(_ i: Int, _ j: Int) -> Bool {
            let a = all[i]!, b = all[j]!
            switch sort {
            case .clv:
                let x = a.clv ?? a.expectedPurchases, y = b.clv ?? b.expectedPurchases
                if x != y { return x > y }
            case .alive:
                if a.probabilityAlive != b.probabilityAlive { return a.probabilityAlive > b.probabilityAlive }
            case .next:
                if a.nextOrderDays != b.nextOrderDays { return a.nextOrderDays < b.nextOrderDays }
            }
            return i < j
        }
        let n = top <= 0 ? indices.count : min(top, indices.count)
        var chosen: [Int]
        if n * 8 < indices.count {
            // A short list: keep the best n in a sorted buffer.
            chosen = []
            chosen.reserveCapacity(n + 1)
            for i in indices where chosen.count < n || before(i, chosen[chosen.count - 1]) {
                var pos = chosen.count
                while pos > 0 && before(i, chosen[pos - 1]) { pos -= 1 }
                chosen.insert(i, at: pos)
                if chosen.count > n { chosen.removeLast() }
            }
        } else {
            chosen = indices.sorted(by: before)
            if chosen.count > n { chosen.removeSubrange(n...) }
        }
        let rows = chosen.enumerated().map { r, c in
            Row(rank: r + 1, index: c, customer: key(c), frequency: Int(s.frequency[c]),
                firstPurchase: ShopDate(dayNumber: Int(s.firstPurchaseDay[c])),
                lastPurchase: ShopDate(dayNumber: Int(s.firstPurchaseDay[c]) + Int(s.recencyDays[c])),
                prediction: all[c]!)
        }
        return PredictionList(asOf: predictions.asOf, options: predictions.options, fit: predictions.fit, spend: predictions.spend,
                              currencyCode: currencyCode, currencyDigits: currencyDigits, customers: indices.count,
                              meanProbabilityAlive: indices.isEmpty ? nil : alive / Double(indices.count),
                              expectedPurchases: purchases, totalCLV: predictions.spend == nil ? nil : clv,
                              sort: sort, rows: rows)
    }
}

extension PredictionList {
    /// An amount in major units as text with the currency's decimals.
    func money(_ v: Double?) -> String { v.map { PlainText.fixed($0, currencyDigits) } ?? "–" }

    /// The list as JSON text (the shape of `jsonValue`).
    public func json() -> String { jsonValue.rendered() }

    /// The list as ordered JSON: the settings, the totals and one object per ranked customer; amounts as
    /// decimal strings with the currency's decimals, probabilities as fractions, `null` where there is no figure.
    public var jsonValue: JSONValue {
        let p = fit.parameters
        return .object([
            ("asOf", .string(asOf.description)),
            ("model", .string(fit.model.rawValue)),
            ("unit", .string(fit.unit.rawValue)),
            ("parameters", .object([("r", .double(p.r)), ("alpha", .double(p.alpha)), ("a", .double(p.a)), ("b", .double(p.b))])),
            ("gammaGamma", spend.map { .object([("p", .double($0.parameters.p)), ("q", .double($0.parameters.q)), ("gamma", .double($0.parameters.gamma))]) } ?? .null),
            ("currency", .string(currencyCode.isEmpty ? nil : currencyCode)),
            ("horizonMonths", .int(options.horizonMonths)),
            ("discountMonthly", .double(options.monthlyDiscountRate)),
            ("margin", .double(options.margin)),
            ("purchaseWindowDays", .double(options.purchaseWindowDays)),
            ("sort", .string(sort.rawValue)),
            ("customers", .int(customers)),
            ("meanProbabilityAlive", .double(meanProbabilityAlive.map { PlainText.rounded($0, 6) })),
            ("expectedPurchases", .double(PlainText.rounded(expectedPurchases, 4))),
            ("totalCLV", .string(totalCLV.map { money($0) })),
            ("top", .array(rows.map { r in
                let q = r.prediction
                return .object([
                    ("rank", .int(r.rank)),
                    ("customer", .string(r.customer)),
                    ("repeatPurchaseDays", .int(r.frequency)),
                    ("firstPurchase", .string(r.firstPurchase.description)),
                    ("lastPurchase", .string(r.lastPurchase.description)),
                    ("probabilityAlive", .double(PlainText.rounded(q.probabilityAlive, 6))),
                    ("expectedPurchases", .double(PlainText.rounded(q.expectedPurchases, 6))),
                    ("expectedOrderValue", .string(q.expectedOrderValue.map { money($0) })),
                    ("clv", .string(q.clv.map { money($0) })),
                    ("nextOrderDays", .double(PlainText.rounded(q.nextOrderDays, 1))),
                    ("nextOrderDate", .string(q.nextOrderDate?.description)),
                ])
            })),
        ])
    }

    /// The ranked customers as CSV (header, one row per customer; amounts with the currency's decimals).
    public func csv() -> String {
        var out = "rank,customer,repeat_purchase_days,first_purchase,last_purchase,p_alive,expected_purchases_\(Int(options.purchaseWindowDays))d,expected_order_value,clv,next_order_date\n"
        for r in rows {
            let q = r.prediction
            out += "\(r.rank),\(PredictionList.csvField(r.customer)),\(r.frequency),\(r.firstPurchase),\(r.lastPurchase),"
            out += "\(PlainText.fixed(q.probabilityAlive, 4)),\(PlainText.fixed(q.expectedPurchases, 4)),"
            out += "\(q.expectedOrderValue.map { PlainText.fixed($0, currencyDigits) } ?? ""),\(q.clv.map { PlainText.fixed($0, currencyDigits) } ?? ""),"
            out += "\(q.nextOrderDate?.description ?? "")\n"
        }
        return out.replacingMinusSigns()
    }

    /// The list for people: the settings and totals, then one line per ranked customer.
    public func table() -> String {
        var out: [String] = []
        let cur = currencyCode.isEmpty ? "" : " " + currencyCode
        out.append("Predictions as of \(asOf) for \(customers) customers with \(fit.model.displayName) (\(fit.unit.rawValue))"
                   + (spend != nil ? " and Gamma-Gamma" : ""))
        var settings = "CLV over \(options.horizonMonths) months, discounted \(PlainText.fixed(options.monthlyDiscountRate * 100, 2)) % a month"
        settings += options.margin.map { ", at a \(PlainText.fixed($0 * 100, 1)) % margin" } ?? ", revenue (no margin set)"
        out.append(settings)
        var totals = "Expected purchases in the next \(PlainText.fixed(options.purchaseWindowDays, 0)) days: \(PlainText.fixed(expectedPurchases, 1))"
        if let m = meanProbabilityAlive { totals += "; mean P(alive) \(PlainText.percent(m))" }
        if let t = totalCLV { totals += "; total CLV \(money(t))\(cur)" }
        out.append(totals)
        if spend == nil { out.append("No spend model: CLV and order values are not shown (run clientele fit to see why).") }
        out.append("")
        let window = "Purchases \(PlainText.fixed(options.purchaseWindowDays, 0))d"
        out += PlainText.table(["#", "Customer", "Repeat days", "Last purchase", "P(alive)", window, "Order value", "CLV", "Next order"],
                               right: [true, false, true, false, true, true, true, true, false],
                               rows.map { r in
            let q = r.prediction
            return [String(r.rank), PlainText.printable(r.customer), String(r.frequency), r.lastPurchase.description,
                    PlainText.percent(q.probabilityAlive), PlainText.fixed(q.expectedPurchases, 2),
                    money(q.expectedOrderValue), money(q.clv), q.nextOrderDate?.description ?? "after 10 years"]
        })
        return out.joined(separator: "\n") + "\n"
    }

    /// A CSV field, quoted when it holds a comma, quote or line break.
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacing("\"", with: "\"\"") + "\""
    }
}

extension String {
    /// The text with U+2212 minus signs as ASCII hyphens (for machine-readable output).
    func replacingMinusSigns() -> String { replacing("−", with: "-") }
}
