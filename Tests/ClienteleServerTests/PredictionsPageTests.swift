import ClienteleCore
import ClienteleDemo
import ClientelePrediction
import ClienteleStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// A generated demo shop big enough to fit the models (2,000 orders over three years, seed 5), served as of
/// its last day.
enum PredictionFixture {
    static let endDate = ShopDate(iso: "2025-06-30")!
    static let demo = DemoShop(endDate: endDate, orderCount: 2_000, seed: 5)
    /// "Today": the demo's last day, noon UTC.
    static let now = Instant(seconds: Int64(endDate.dayNumber) * 86_400 + 12 * 3600)

    static func orders() -> [Order] {
        var out: [Order] = []
        demo.generate { out.append($0) }
        return out
    }

    /// A service over an in-memory store holding the demo's orders.
    static func service() async throws -> ShopService {
        let store = InMemoryOrderStore(settings: demo.settings)
        _ = try await store.replaceOrders(orders())
        return ShopService(store: store, cachePath: nil, revisionCheckSeconds: 0, now: { now })
    }

    /// Runs `body` with a test client of the whole router over the demo shop.
    static func withClient(_ body: @escaping @Sendable (any TestClientProtocol, ShopState, ShopService) async throws -> Void) async throws {
        let service = try await service()
        let state = try await service.current()
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in try await body(client, state, service) }
    }

    /// The fit `clientele fit --db PATH` makes of `state` (called here directly on the core functions):
    /// calibration to the last identified order date (or `calibrationEnd`, with the holdout to that date).
    static func expectedFit(_ state: ShopState, calibrationEnd: ShopDate? = nil, model: RepeatPurchaseModel = .bgnbd) throws -> FitReport {
        let s = state.snapshot
        let last = ShopDate(dayNumber: Int(s.orderDay[0..<s.identifiedOrderCount].max()!))
        let summaries = try PurchaseSummaries.compute(snapshot: s, calibrationEnd: calibrationEnd ?? last,
                                                      holdoutEnd: calibrationEnd == nil ? nil : last, unit: .days,
                                                      minorUnitsPerMajor: state.currency.minorUnitsPerMajor)
        return try FitReport.compute(summaries: summaries, model: model, source: state.settings.name, fittedOn: PredictionFixture.endDate,
                                     currencyCode: state.currency.code, sourceVersion: s.sourceVersion)
    }

    /// `clientele predict --as-of asOf --top top --format json` with a saved `fit`, on the core functions.
    static func expectedPredictions(_ state: ShopState, fit: FitReport, asOf: ShopDate, top: Int = 20,
                                    sort: PredictionSort = .clv, options: PredictionOptions = PredictionOptions()) throws -> PredictionList {
        let summaries = try PurchaseSummaries.compute(snapshot: state.snapshot, calibrationEnd: asOf, unit: fit.fit.unit,
                                                      minorUnitsPerMajor: state.currency.minorUnitsPerMajor)
        let predictions = CustomerPredictions.compute(summaries: summaries, fit: fit.fit, spend: fit.spend, options: options)
        let s = state.snapshot
        return PredictionList.compute(predictions: predictions, summaries: summaries, sort: sort, top: top,
                                      currencyCode: state.currency.code, currencyDigits: state.currency.minorDigits) { s.customerKey($0) }
    }
}

@Test func theFitRouteSendsClienteleFitsJSON() async throws {
    try await PredictionFixture.withClient { client, state, _ in
        let (status, type, body) = try await ServerFixture.get(client, "/api/v1/fit")
        #expect(status == .ok)
        #expect(type.hasPrefix("application/json"))
        let expected = try PredictionFixture.expectedFit(state)
        #expect(body == expected.json())
        #expect(expected.fit.repeatCustomers > 20)   // the demo shop has plenty of repeat buyers

        // With a holdout: calibration to 2024-12-31, holdout to the last order date (clientele fit's default).
        let (hStatus, _, holdout) = try await ServerFixture.get(client, "/api/v1/fit?calibrationEnd=2024-12-31&model=mbgnbd")
        #expect(hStatus == .ok)
        let expectedHoldout = try PredictionFixture.expectedFit(state, calibrationEnd: ShopDate(iso: "2024-12-31")!, model: .mbgnbd)
        #expect(holdout == expectedHoldout.json())
        #expect(expectedHoldout.holdoutEnd != nil && expectedHoldout.validation.actual > 0)
    }
}

@Test func thePredictionsRoutesSendClientelePredictsJSONAndCSV() async throws {
    try await PredictionFixture.withClient { client, state, _ in
        let fit = try PredictionFixture.expectedFit(state)
        let (status, type, body) = try await ServerFixture.get(client, "/api/v1/predictions?asOf=2025-06-30&top=5")
        #expect(status == .ok && type.hasPrefix("application/json"))
        #expect(body == (try PredictionFixture.expectedPredictions(state, fit: fit, asOf: PredictionFixture.endDate, top: 5)).json())

        let options = PredictionOptions(horizonMonths: 24, monthlyDiscountRate: 0.008, margin: 0.4, purchaseWindowDays: 30)
        let (s2, _, body2) = try await ServerFixture.get(client, "/api/v1/predictions?asOf=2025-03-31&sort=alive&top=7&horizonMonths=24&discountMonthly=0.008&margin=0.4&days=30")
        #expect(s2 == .ok)
        #expect(body2 == (try PredictionFixture.expectedPredictions(state, fit: fit, asOf: ShopDate(iso: "2025-03-31")!, top: 7,
                                                                   sort: .alive, options: options)).json())

        let (csvStatus, csvType, csv) = try await ServerFixture.get(client, "/api/v1/predictions.csv?top=0")
        #expect(csvStatus == .ok && csvType.hasPrefix("text/csv"))
        let all = try PredictionFixture.expectedPredictions(state, fit: fit, asOf: PredictionFixture.endDate, top: 0)
        #expect(csv == all.csv())
        #expect(csv.split(separator: "\n").count == all.customers + 1)
    }
}

@Test func thePredictionsPageShowsTheFitTheHoldoutAndTheTopCustomers() async throws {
    try await PredictionFixture.withClient { client, state, _ in
        let (status, type, page) = try await ServerFixture.get(client, "/predictions?calibrationEnd=2024-12-31&top=10")
        #expect(status == .ok)
        #expect(type.hasPrefix("text/html"))
        // The demo shop's locale is da_DK, so the navigation is Danish (docs/dashboard.md, "Languages").
        #expect(page.contains(#"<a href="/predictions" aria-current="page">Forudsigelser</a>"#))
        #expect(!page.contains("<script"))
        let fit = try PredictionFixture.expectedFit(state, calibrationEnd: ShopDate(iso: "2024-12-31")!)
        // The parameters as the page writes them in Danish (decimal comma), and the customers fitted on.
        let da = LocaleFormat(language: .da)
        func parameter(_ v: Double) -> String { da.decimal(v, digits: PredictionsPage.parameterDigits(v)) }
        #expect(page.contains("<span class=\"fit-customers\">\(da.int(fit.fit.customers))</span>"))
        #expect(page.contains("<td class=\"num parameter\">\(parameter(fit.fit.parameters.r))</td>"))
        #expect(page.contains("<td class=\"num parameter\">\(parameter(fit.fit.parameters.b))</td>"))
        // The holdout: predicted and actual totals, one row per frequency bucket (0…6, 7+), the tracking chart.
        #expect(page.contains("<h2>Faktiske genkøb</h2><div class=\"value\">\(da.int(fit.validation.actual))</div>"))
        #expect(page.contains("<h2>Forventede genkøb</h2><div class=\"value\">\(da.decimal(fit.validation.predicted))</div>"))
        #expect(BehaviourFixture.count("<tr class=\"bucket\">", in: page) == 8)
        #expect(BehaviourFixture.count("<polyline class=\"series\"", in: page) == 2)
        #expect(page.contains("<line class=\"marker\""))
        // The top 10 by predicted CLV, each linking to the customer's page, the first being the core's first.
        let list = try PredictionFixture.expectedPredictions(state, fit: fit, asOf: PredictionFixture.endDate, top: 10)
        #expect(BehaviourFixture.count("<tr class=\"prediction\">", in: page) == 10)
        let first = list.rows[0]
        #expect(page.contains("<td class=\"num\">1</td><td><a href=\"/customers/\(html(QueryParameters.encode(first.customer)))\">\(html(first.customer))</a></td>"))
        #expect(page.contains(da.percent(first.prediction.probabilityAlive)))
        #expect(page.contains("/api/v1/predictions.csv?"))

        // Without a holdout the page offers one.
        let (plain, _, plainPage) = try await ServerFixture.get(client, "/predictions")
        #expect(plain == .ok)
        #expect(plainPage.contains("Ingen testperiode"))
        #expect(plainPage.contains("afprøv den på de seneste 26 uger"))
        // The same page in English.
        let (_, _, english) = try await ServerFixture.get(client, "/predictions?lang=en")
        #expect(english.contains("No holdout") && english.contains("check it on the last 26 weeks"))
        #expect(english.contains("href=\"/predictions?calibrationEnd="))
    }
}

@Test func theCustomerPageShowsThePredictionOfTheShopWideComputation() async throws {
    try await PredictionFixture.withClient { client, state, _ in
        let fit = try PredictionFixture.expectedFit(state)
        // The shop-wide predictions (every customer at once) as of the last day; the page computes one customer.
        let summaries = try PurchaseSummaries.compute(snapshot: state.snapshot, calibrationEnd: PredictionFixture.endDate,
                                                      minorUnitsPerMajor: state.currency.minorUnitsPerMajor)
        let all = CustomerPredictions.compute(summaries: summaries, fit: fit.fit, spend: fit.spend)
        var checked = 0
        for c in stride(from: 0, to: state.snapshot.customerCount, by: max(1, state.snapshot.customerCount / 5)) {
            guard let p = all.customers[c] else { continue }
            let key = state.snapshot.customerKey(c)
            let (status, _, page) = try await ServerFixture.get(client, "/customers/\(QueryParameters.encode(key))?asOf=2025-06-30")
            #expect(status == .ok)
            // The shop's locale is da_DK: Danish numbers, the krone as "kr.".
            let da = LocaleFormat(language: .da)
            #expect(page.contains("<h2>P(alive)</h2><div class=\"value\">\(da.percent(p.probabilityAlive))</div>"), "\(key)")
            #expect(page.contains("<div class=\"value\">\(da.decimal(p.expectedPurchases, digits: 2))</div>"), "\(key)")
            if let clv = p.clv { #expect(page.contains("\(da.decimal(clv, digits: 2))\u{00A0}kr."), "\(key)") }
            checked += 1
        }
        #expect(checked >= 3)
    }
}

@Test func aShopTooSmallToFitSaysWhyInsteadOfFailing() async throws {
    try await ServerFixture.withClient { client, _ in
        // Four customers, two of them repeat buyers: too few for a fit.
        let (status, type, page) = try await ServerFixture.get(client, "/predictions")
        #expect(status == .ok)
        #expect(type.hasPrefix("text/html"))
        #expect(page.contains("No model could be fitted: "))
        let (apiStatus, _, body) = try await ServerFixture.get(client, "/api/v1/predictions")
        #expect(apiStatus == .unprocessableContent)
        #expect(body.contains("Predictions need a fitted model."))
        let (fitStatus, _, _) = try await ServerFixture.get(client, "/api/v1/fit")
        #expect(fitStatus == .unprocessableContent)
        let (customerStatus, _, customer) = try await ServerFixture.get(client, "/customers/c1?asOf=2025-12-31")
        #expect(customerStatus == .ok)
        #expect(customer.contains("No prediction: "))
    }
}

@Test(arguments: [
    ("/api/v1/predictions?top=99999999", HTTPResponse.Status.badRequest, "top \"99999999\" must be a whole number from 1 to 10000."),
    ("/api/v1/predictions?top=0", .badRequest, "top \"0\" must be a whole number from 1 to 10000."),
    ("/api/v1/predictions?sort=best", .badRequest, "sort \"best\" is not one of: clv, alive, next."),
    ("/api/v1/predictions?asOf=2025-02-30", .badRequest, "asOf \"2025-02-30\" is not a date"),
    ("/api/v1/predictions?margin=0", .badRequest, "margin is a fraction, e.g. 0.4 for 40 %; it must be above 0 and at most 1."),
    ("/api/v1/predictions?discountMonthly=1", .badRequest, "discountMonthly is a fraction per month"),
    ("/api/v1/predictions?horizonMonths=601", .badRequest, "horizonMonths \"601\" must be a whole number from 1 to 600."),
    ("/api/v1/fit?calibrationEnd=2025-13-01", .badRequest, "calibrationEnd \"2025-13-01\" is not a date"),
    ("/api/v1/fit?holdoutEnd=2025-01-01", .badRequest, "holdoutEnd needs calibrationEnd (the holdout starts the day after it)."),
    ("/api/v1/fit?calibrationEnd=2025-02-01&holdoutEnd=2025-01-01", .badRequest, "holdoutEnd 2025-01-01 must be after calibrationEnd 2025-02-01."),
    ("/api/v1/fit?model=pareto", .badRequest, "model \"pareto\" is not one of: bgnbd, mbgnbd."),
    ("/api/v1/fit?unit=months", .badRequest, "unit \"months\" is not one of: days, weeks."),
    ("/api/v1/fit?calibrationEnd=2020-01-01", .unprocessableContent, "(Predictions need a fitted model.)"),
])
func badPredictionRequestsGetAStatusAndTheMessage(uri: String, status: HTTPResponse.Status, message: String) async throws {
    try await PredictionFixture.withClient { client, _, _ in
        let (got, type, body) = try await ServerFixture.get(client, uri)
        #expect(got == status, "\(uri): \(body)")
        #expect(type.hasPrefix("application/json"))
        #expect(body.contains(message.replacingOccurrences(of: "\"", with: "\\\"")), "\(body)")
        // The page shows the same sentence with the same status.
        let pageURI = uri.replacingOccurrences(of: "/api/v1/fit", with: "/predictions").replacingOccurrences(of: "/api/v1/predictions", with: "/predictions")
        let (pageStatus, pageType, page) = try await ServerFixture.get(client, pageURI)
        #expect(pageType.hasPrefix("text/html"))
        if status == .badRequest {
            #expect(pageStatus == .badRequest, "\(pageURI)")
            #expect(page.contains(html(message)), "\(pageURI)")
        } else {
            #expect(pageStatus == .ok, "\(pageURI)")
            #expect(page.contains("Ingen model kunne tilpasses"), "\(pageURI)")
        }
    }
}

@Test func theDefaultFitIsKeptPerRevisionAndRefittedAfterAnImport() async throws {
    let store = InMemoryOrderStore(settings: PredictionFixture.demo.settings)
    let orders = PredictionFixture.orders()
    _ = try await store.replaceOrders(Array(orders.prefix(1_500)))
    let service = ShopService(store: store, cachePath: nil, revisionCheckSeconds: 0, now: { PredictionFixture.now })
    let first = try await service.current()
    let a = try await service.fits.fit(FitRequest(), state: first, today: PredictionFixture.endDate).get()
    let again = try await service.fits.fit(FitRequest(), state: first, today: ShopDate(iso: "2030-01-01")!).get()
    #expect(again.fittedOn == a.fittedOn)   // kept: not fitted again (a new fit would carry the new date)
    _ = try await store.replaceOrders(orders)
    let second = try await service.current()
    #expect(second.revision != first.revision)
    let b = try await service.fits.fit(FitRequest(), state: second, today: PredictionFixture.endDate).get()
    #expect(b.fit.customers > a.fit.customers)
    #expect(b.json() == (try PredictionFixture.expectedFit(second)).json())
}

@Test func audiencesOnPredictedFieldsUseTheServersFit() async throws {
    try await PredictionFixture.withClient { client, state, _ in
        // An independent count: the shop-wide predictions as of today (the demo's last day) with the default fit,
        // customers with P(alive) ≥ 0.5 and at least 2 orders.
        let fit = try PredictionFixture.expectedFit(state)
        let summaries = try PurchaseSummaries.compute(snapshot: state.snapshot, calibrationEnd: PredictionFixture.endDate,
                                                      minorUnitsPerMajor: state.currency.minorUnitsPerMajor)
        let all = CustomerPredictions.compute(summaries: summaries, fit: fit.fit, spend: fit.spend)
        var expected = 0
        for (c, p) in all.customers.enumerated() where (p?.probabilityAlive ?? 0) >= 0.5 && state.snapshot.orders(ofCustomer: c).count >= 2 {
            expected += 1
        }
        #expect(expected > 10)

        let (countStatus, _, counted) = try await ServerFixture.get(client, "/audiences/new?filter=p_alive+%3E%3D+0.5+and+orders+%3E%3D+2")
        #expect(countStatus == .ok)
        #expect(counted.contains("<strong class=\"audience-count\">\(Format.int(expected))</strong>"))

        let (saved, _, _) = try await AudienceFixture.post(client, "/audiences/new", [("name", "likely"), ("filter", "p_alive >= 0.5 and orders >= 2")])
        #expect(saved == .seeOther)
        let (status, _, body) = try await ServerFixture.get(client, "/api/v1/audiences/likely")
        #expect(status == .ok)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let customers = ((json["overview"] as? [String: Any])?["customers"] as? [String: Any])?["audience"] as? Int
        #expect(customers == expected)
        let (_, _, list) = try await ServerFixture.get(client, "/api/v1/audiences")
        #expect(list.contains("\"name\":\"likely\"") || list.contains("\"name\": \"likely\""))
        #expect(list.contains("\"customers\":\(expected)") || list.contains("\"customers\": \(expected)"))
        let (pageStatus, _, page) = try await ServerFixture.get(client, "/audiences/likely")
        // In the shop's language (da_DK).
        #expect(pageStatus == .ok && page.contains("<h2>Kunder</h2><div class=\"value\">\(LocaleFormat(language: .da).int(expected))</div>"))
    }
    // Where no model can be fitted, a predicted field is refused with the reason.
    try await ServerFixture.withClient { client, _ in
        let (status, _, page) = try await ServerFixture.get(client, "/audiences/new?filter=p_alive+%3E+0.5")
        #expect(status == .unprocessableContent)
        #expect(page.contains("The field p_alive needs the predictive model, which cannot be fitted for this shop: "))
    }
}
