import ClienteleCore
import ClienteleStore

/// The reports the API and the pages share: each reads its query parameters by the CLI's rules and calls the
/// one core function the matching `clientele report` command calls, with the same defaults. Nothing here
/// computes a figure; the handlers render what these return.
public struct ShopReports: Sendable {
    /// The loaded shop.
    public let state: ShopState
    /// The request's query parameters.
    public let query: QueryParameters
    /// Today in the shop's calendar (the default as-of date).
    public let today: ShopDate

    /// The reports of `state` for one request.
    public init(state: ShopState, query: QueryParameters, today: ShopDate) {
        self.state = state
        self.query = query
        self.today = today
    }

    var snapshot: ShopSnapshot { state.snapshot }
    var settings: ShopSettings { state.settings }
    var timeZone: String { state.settings.timeZone }

    /// `asOf`, else today.
    func asOf() throws -> ShopDate { try query.date("asOf") ?? today }

    /// The period, as-of date and comparison from `period/from/to/asOf/compare`.
    func period(allowComparison: Bool = true, report: String = "") throws -> (period: Period, asOf: ShopDate, comparison: Period?) {
        let request = try query.periodRequest()
        if !allowComparison && request.comparison != nil {
            throw APIError.badRequest("\(report) has no comparison period; leave out compare.")
        }
        return request.resolve(today: today)
    }

    /// Customer statistics (`clientele report customers`): `period…`, `top` (default: the shop's setting).
    public func customers() throws -> CustomerStatistics {
        let (period, asOf, comparison) = try period()
        let top = try query.int("top", in: 0...10_000) ?? settings.thresholds.topCustomers
        return CustomerStatistics.compute(snapshot: snapshot, period: period, asOf: asOf, top: top, comparison: comparison,
                                          thresholds: settings.thresholds, currency: state.currency, timeZone: timeZone)
    }

    /// Lifecycle stages (`clientele report lifecycle`): `asOf`.
    public func lifecycle() throws -> LifecycleReport {
        LifecycleReport.compute(snapshot: snapshot, asOf: try asOf(), thresholds: settings.thresholds, timeZone: timeZone)
    }

    /// Customer base growth (`clientele report growth`): `from`, `to` (default: the as-of date), `asOf`, `by`.
    /// Without `from`: by month from the first order's month, by week the last 52 weeks.
    public func growth() throws -> GrowthReport {
        let by = try query.choice("by", GrowthReport.Step.self) ?? .month
        let from = try query.date("from"), to = try query.date("to")
        if let from, let to, to < from {
            throw APIError.badRequest("to \(to) is before from \(from).")
        }
        let end = try to ?? asOf()
        let start: ShopDate
        if let from {
            start = from
        } else if by == .week {
            start = end.adding(days: -7 * 51)
        } else {
            let s = snapshot
            let first = s.identifiedOrderCount == 0 ? end.dayNumber : Int(s.orderDay[0..<s.identifiedOrderCount].min() ?? Int32(end.dayNumber))
            start = min(ShopDate(dayNumber: first), end)
        }
        guard start <= end else {
            throw APIError.badRequest("The range ends (\(end)) before it starts (\(start)); give from and to.")
        }
        return GrowthReport.compute(snapshot: snapshot, from: start, to: end, step: by,
                                    thresholds: settings.thresholds, timeZone: timeZone)
    }

    /// Groups (`clientele report groups`): `asOf`. Lost (model) is not shown yet (it needs the saved fit).
    public func groups() throws -> GroupsReport {
        GroupsReport.compute(snapshot: snapshot, asOf: try asOf(), thresholds: settings.thresholds,
                             currency: state.currency, timeZone: timeZone)
    }

    /// Retention metrics (`clientele report retention`): `period…` (no `compare`), `minQuantity`.
    public func retention() throws -> RetentionMetrics {
        let (period, asOf, _) = try period(allowComparison: false, report: "retention always compares P with the previous period P'; it")
        let minQuantity = try query.int("minQuantity", in: 0...Int(Int32.max)) ?? Int(RetentionMetrics.defaultMinimumQuantity)
        return RetentionMetrics.compute(snapshot: snapshot, period: period, asOf: asOf, minimumQuantity: Int64(minQuantity),
                                        currency: state.currency, timeZone: timeZone)
    }

    /// An amount in the shop currency, or nil when absent.
    func amount(_ name: String) throws -> Int64? {
        guard let text = query[name] else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let v = Money.parseMinorUnits(Substring(trimmed), digits: state.currency.minorDigits), v >= 0 else {
            throw APIError.badRequest("\(name) \"\(text)\" is not an amount in \(state.currency.code): write it like 300 or 299.95.")
        }
        return v
    }

    /// Formula CLV (`clientele report clv`): `asOf`, `margin`, `cac`, `orderValue`, `ordersPerYear`, `lifespanYears`.
    public func clv() throws -> FormulaCLV {
        let margin = try query.double("margin", maximum: 1) ?? FormulaCLV.defaultMargin
        let overrides = FormulaCLV.Overrides(averageOrderValue: try amount("orderValue"),
                                             ordersPerYear: try query.double("ordersPerYear"),
                                             lifespanYears: try query.double("lifespanYears"))
        return FormulaCLV.compute(snapshot: snapshot, asOf: try asOf(), overrides: overrides, margin: margin,
                                  cac: try amount("cac"), currency: state.currency)
    }

    /// Cohorts (`clientele report cohorts`): `asOf`, `by`, `cohorts`, `firstProduct`, `country`.
    public func cohorts() throws -> Cohorts {
        Cohorts.compute(snapshot: snapshot, asOf: try asOf(), granularity: try query.choice("by", Cohorts.Granularity.self) ?? .month,
                        count: try query.int("cohorts", in: 1...240) ?? 12,
                        filter: Cohorts.Filter(firstProduct: query["firstProduct"], country: query["country"]),
                        members: nil, currency: state.currency, timeZone: timeZone)
    }

    /// The cohorts' JSON exactly as `clientele report cohorts --format json` prints it (with `"audience": null`).
    public func cohortsJSON(_ result: Cohorts) -> JSONValue {
        guard case .object(var members) = result.jsonValue else { return result.jsonValue }
        let at = (members.firstIndex { $0.0 == "filter" } ?? members.count - 1) + 1
        members.insert(("audience", .null), at: at)
        return .object(members)
    }

    /// RFM (`clientele report rfm`): `asOf`.
    public func rfm() throws -> RFM {
        RFM.compute(snapshot: snapshot, asOf: try asOf(), currency: state.currency)
    }

    /// Shopping times (`clientele report when`): `period…` (no `compare`), `topCustomers`.
    public func when() throws -> ShoppingTimes {
        let (period, asOf, _) = try period(allowComparison: false, report: "when")
        var mask: [Bool]?, audience: String?
        if let n = try query.int("topCustomers", in: 1...1_000_000) {
            mask = BestSellers.topCustomerMask(snapshot: snapshot, period: period, count: n)
            audience = "the top \(n) customers by revenue in the period"
        }
        return ShoppingTimes.compute(snapshot: snapshot, period: period, asOf: asOf, currency: state.currency,
                                     timeZone: timeZone, customers: mask, audience: audience)
    }

    /// Bought together (`clientele report together`): `period…`, `minSupportCount`, `product`, `top`.
    public func together() throws -> BoughtTogether {
        let (period, asOf, _) = try period(allowComparison: false, report: "together")
        let product = query["product"]
        if let product, BoughtTogether.productIndex(snapshot: snapshot, id: product) == nil {
            throw APIError.notFound("No order line has the product id \"\(product)\". Product ids are as in the order file, e.g. from /api/v1/products.")
        }
        return BoughtTogether.compute(snapshot: snapshot, period: period, asOf: asOf, timeZone: timeZone,
                                      minSupportCount: try query.int("minSupportCount", in: 1...Int(Int32.max)) ?? 2,
                                      top: try query.int("top", in: 0...100_000) ?? 20, product: product)
    }

    /// Purchase cycles (`clientele report cycles`): `asOf`, `minGaps`.
    public func cycles() throws -> PurchaseCycles {
        PurchaseCycles.compute(snapshot: snapshot, asOf: try asOf(), timeZone: timeZone,
                               minGaps: try query.int("minGaps", in: 1...Int(Int32.max)) ?? 4)
    }

    /// The window length of `within` (`7d`, `7`, `2w`), as `clientele report due --within` reads it.
    static func days(_ text: String) -> Int? {
        var t = Substring(text.trimmingCharacters(in: .whitespaces).lowercased())
        var unit = 1
        if t.hasSuffix("d") { t = t.dropLast() } else if t.hasSuffix("w") { t = t.dropLast(); unit = 7 }
        guard let n = Int(t), n > 0, n <= 3660 else { return nil }
        return n * unit
    }

    /// Customers due for a reminder (`clientele report due`): `asOf`, `within`, `minGaps`.
    public func due() throws -> DueReminders {
        let within = query["within"] ?? "7d"
        guard let days = Self.days(within) else {
            throw APIError.badRequest("within \"\(within)\" is not a duration: write days as 7d (or 7) or weeks as 2w.")
        }
        return DueReminders.compute(snapshot: snapshot, asOf: try asOf(), withinDays: days, calendar: state.calendar,
                                    minGaps: try query.int("minGaps", in: 1...Int(Int32.max)) ?? 4)
    }

    /// Best sellers (`clientele report products`): `period…`, `top`, `topCustomers`.
    public func products() throws -> BestSellers {
        let (period, asOf, _) = try period(allowComparison: false, report: "products")
        return BestSellers.compute(snapshot: snapshot, period: period, asOf: asOf, currency: state.currency, timeZone: timeZone,
                                   top: try query.int("top", in: 0...1_000_000) ?? 20,
                                   topCustomers: try query.int("topCustomers", in: 0...1_000_000) ?? settings.thresholds.topCustomers)
    }

    /// The context audience filters are evaluated in as of `asOf` (no predicted fields yet).
    func audienceContext(asOf: ShopDate) -> AudienceContext {
        var ctx = AudienceContext(snapshot: snapshot, asOf: asOf, thresholds: settings.thresholds, currency: state.currency)
        ctx.calendar = state.calendar
        return ctx
    }

    /// A filter's customers as of `asOf`; a filter on predicted fields needs the context's predictions
    /// (`withPredictions`), else it is refused (422).
    func audienceMembers(_ filter: AudienceFilter, context: AudienceContext) throws -> [Bool] {
        if filter.usesPredictions && context.predictions == nil {
            let fields = filter.fieldNames.filter(AudienceField.predictionFields.contains)
            throw APIError.unprocessable("The field\(fields.count == 1 ? "" : "s") \(fields.joined(separator: ", ")) \(fields.count == 1 ? "needs" : "need") the predictive model, which is not available here; see the Predictions page.")
        }
        return filter.customers(in: context)
    }
}
