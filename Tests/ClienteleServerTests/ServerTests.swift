import ClienteleCore
import ClienteleStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// A small written-out shop (DKK, UTC): four customers, one of them with a hostile e-mail, one anonymous order.
enum ServerFixture {
    static let dkk = Currency(code: "DKK")!

    /// An order at `day` (noon UTC) for `total` kroner with one line of `product`.
    static func order(_ id: String, _ day: String, customer: String?, email: String?, total: Int64,
                      product: String = "P1", quantity: Int64 = 1) -> Order {
        let d = ShopDate(iso: day)!
        return Order(id: id, placedAt: Instant(seconds: Int64(d.dayNumber) * 86_400 + 12 * 3600), customerId: customer,
                     email: email, currency: dkk, total: total * 100,
                     lines: [OrderLine(productId: product, productName: "Product \(product)", quantity: quantity, unitPrice: total * 100 / quantity)])
    }

    static let hostile = "<script>alert(1)</script>@evil.dk"

    /// Customers: c1 three orders (Jan, Mar, Jun 2025), c2 two (Feb, Feb), c3 one (May), c4 (hostile e-mail) one (Jul);
    /// plus one anonymous order (Apr).
    static let orders: [Order] = [
        order("o1", "2025-01-10", customer: "c1", email: "ann@example.dk", total: 100),
        order("o2", "2025-03-10", customer: "c1", email: "ann@example.dk", total: 200, product: "P2"),
        order("o3", "2025-06-10", customer: "c1", email: "ann@example.dk", total: 300),
        order("o4", "2025-02-01", customer: "c2", email: "bo@example.dk", total: 50, product: "P2"),
        order("o5", "2025-02-20", customer: "c2", email: "bo@example.dk", total: 70, product: "P1"),
        order("o6", "2025-05-05", customer: "c3", email: "cy@example.dk", total: 400),
        order("o7", "2025-07-07", customer: "c4", email: hostile, total: 1000),
        order("o8", "2025-04-04", customer: nil, email: nil, total: 20),
    ]

    /// "Today" for the service: 2025-12-31 noon UTC.
    static let now = Instant(seconds: Int64(ShopDate(iso: "2025-12-31")!.dayNumber) * 86_400 + 12 * 3600)

    /// A service over an in-memory store holding `orders`.
    static func service() async throws -> ShopService {
        let store = InMemoryOrderStore(settings: ShopSettings(name: "Test & Co", timeZone: "UTC", currency: "DKK"))
        _ = try await store.replaceOrders(orders)
        try await AudienceRoutes.seedBuiltIns(store, now: now)
        return ShopService(store: store, cachePath: nil, revisionCheckSeconds: 0, now: { now })
    }

    /// Runs `body` with a test client of the whole router.
    static func withClient(_ body: @escaping @Sendable (any TestClientProtocol, ShopState) async throws -> Void) async throws {
        let service = try await service()
        let state = try await service.current()
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in try await body(client, state) }
    }

    /// GET `uri`: status, content type and body.
    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> (HTTPResponse.Status, String, String) {
        try await client.execute(uri: uri, method: .get) { response in
            (response.status, response.headers[.contentType] ?? "", String(buffer: response.body))
        }
    }
}

@Test func theServerHasAVersion() {
    #expect(ClienteleServer.version.split(separator: ".").count == 3)
}

@Test(arguments: [
    ("plain", "plain"),
    ("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
    ("a & b \"c\"", "a &amp; b &quot;c&quot;"),
    ("æøå – ok", "æøå – ok"),
])
func htmlEscapesTheFiveSpecialCharacters(input: String, expected: String) {
    #expect(html(input) == expected)
}

@Test func onlyLoopbackHostsAreServed() {
    for host in ["127.0.0.1", "localhost", "::1", "127.0.0.2"] { #expect(ClienteleServer.isLoopback(host), "\(host)") }
    for host in ["0.0.0.0", "192.168.1.10", "example.com", "::", "127.0.0.1.evil.com"] { #expect(!ClienteleServer.isLoopback(host), "\(host)") }
    #expect(throws: APIError.self) { _ = try ClienteleServer.application(service: ShopService(store: InMemoryOrderStore(), cachePath: nil), host: "0.0.0.0") }
}

@Test func queryParametersDecodeLikeAForm() {
    let q = QueryParameters(query: "filter=group+%3D+vip&from=&top=5")
    #expect(q["filter"] == "group = vip")
    #expect(q["from"] == nil)   // an empty form field is "not given"
    #expect(q["top"] == "5")
}

@Test func customersJSONIsTheCLIsJSONByteForByte() async throws {
    try await ServerFixture.withClient { client, state in
        let (status, type, body) = try await ServerFixture.get(client, "/api/v1/customers?from=2025-01-01&to=2025-12-31&asOf=2025-12-31&compare=previous&top=3")
        #expect(status == .ok)
        #expect(type.hasPrefix("application/json"))
        // The same call `clientele report customers --from 2025-01-01 --to 2025-12-31 --as-of 2025-12-31 --compare previous --top 3` makes.
        let period = Period(from: ShopDate(iso: "2025-01-01")!, through: ShopDate(iso: "2025-12-31")!)
        let expected = CustomerStatistics.compute(snapshot: state.snapshot, period: period, asOf: ShopDate(iso: "2025-12-31")!, top: 3,
                                                  comparison: period.comparison(.previous), thresholds: state.settings.thresholds,
                                                  currency: state.currency, timeZone: "UTC").json()
        #expect(body == expected)
        // Hand count: c1..c4 ordered in 2025 → 4 unique customers; c1 and c2 repeat.
        #expect(body.contains("\"uniqueCustomers\":4") || body.contains("\"uniqueCustomers\": 4"))
    }
}

/// Each route and the core call the matching CLI command makes with the same arguments.
@Test func everyReportRouteSendsTheCoresJSON() async throws {
    try await ServerFixture.withClient { client, state in
        let s = state.snapshot, t = state.settings.thresholds, dkk = state.currency
        let asOf = ShopDate(iso: "2025-12-31")!
        let year = Period.preset(.last12Months, asOf: asOf)
        let cases: [(String, String)] = [
            ("/api/v1/lifecycle?asOf=2025-12-31", LifecycleReport.compute(snapshot: s, asOf: asOf, thresholds: t, timeZone: "UTC").json()),
            ("/api/v1/growth?from=2025-01-01&to=2025-12-31", GrowthReport.compute(snapshot: s, from: ShopDate(iso: "2025-01-01")!, to: asOf, step: .month, thresholds: t, timeZone: "UTC").json()),
            ("/api/v1/groups?asOf=2025-12-31", GroupsReport.compute(snapshot: s, asOf: asOf, thresholds: t, currency: dkk, timeZone: "UTC").json()),
            ("/api/v1/retention?asOf=2025-12-31", RetentionMetrics.compute(snapshot: s, period: year, asOf: asOf, currency: dkk, timeZone: "UTC").json()),
            ("/api/v1/clv?asOf=2025-12-31&margin=0.3&cac=50", FormulaCLV.compute(snapshot: s, asOf: asOf, margin: 0.3, cac: 5000, currency: dkk).json()),
            ("/api/v1/rfm?asOf=2025-12-31", RFM.compute(snapshot: s, asOf: asOf, currency: dkk).json(timeZone: "UTC")),
            ("/api/v1/when?asOf=2025-12-31", ShoppingTimes.compute(snapshot: s, period: year, asOf: asOf, currency: dkk, timeZone: "UTC").json()),
            ("/api/v1/together?asOf=2025-12-31&minSupportCount=1", BoughtTogether.compute(snapshot: s, period: year, asOf: asOf, timeZone: "UTC", minSupportCount: 1, top: 20).json()),
            ("/api/v1/cycles?asOf=2025-12-31&minGaps=1", PurchaseCycles.compute(snapshot: s, asOf: asOf, timeZone: "UTC", minGaps: 1).json()),
            ("/api/v1/due?asOf=2025-06-01&within=2w&minGaps=1", DueReminders.compute(snapshot: s, asOf: ShopDate(iso: "2025-06-01")!, withinDays: 14, calendar: state.calendar, minGaps: 1).json()),
            ("/api/v1/products?asOf=2025-12-31", BestSellers.compute(snapshot: s, period: year, asOf: asOf, currency: dkk, timeZone: "UTC", top: 20, topCustomers: 20).json()),
        ]
        for (uri, expected) in cases {
            let (status, type, body) = try await ServerFixture.get(client, uri)
            #expect(status == .ok, "\(uri)")
            #expect(type.hasPrefix("application/json"), "\(uri)")
            #expect(body == expected, "\(uri)")
        }
        // Cohorts: the CLI inserts "audience": null after "filter".
        let (status, _, body) = try await ServerFixture.get(client, "/api/v1/cohorts?asOf=2025-12-31")
        #expect(status == .ok)
        let cohorts = Cohorts.compute(snapshot: s, asOf: asOf, currency: dkk, timeZone: "UTC")
        // As `clientele report cohorts --format json` builds it: the core's object with "audience": null after "filter".
        guard case .object(var members) = cohorts.jsonValue else { Issue.record("cohorts JSON is not an object"); return }
        members.insert(("audience", .null), at: members.firstIndex { $0.0 == "filter" }! + 1)
        #expect(body == JSONValue.object(members).rendered())
    }
}

@Test func settingsAudiencesAndCSVDownloads() async throws {
    try await ServerFixture.withClient { client, state in
        let (status, _, settings) = try await ServerFixture.get(client, "/api/v1/settings")
        #expect(status == .ok)
        #expect(settings.contains("Test & Co") && settings.contains("DKK"))

        let (listStatus, _, list) = try await ServerFixture.get(client, "/api/v1/audiences?asOf=2025-12-31")
        #expect(listStatus == .ok)
        for builtIn in BuiltInAudience.all { #expect(list.contains("\"\(builtIn.name)\""), "\(builtIn.name)") }

        let first = BuiltInAudience.all[0].name
        let (oneStatus, _, one) = try await ServerFixture.get(client, "/api/v1/audiences/\(first)?asOf=2025-12-31")
        #expect(oneStatus == .ok)
        let ctx = AudienceContext(snapshot: state.snapshot, asOf: ShopDate(iso: "2025-12-31")!, thresholds: state.settings.thresholds, currency: state.currency)
        var calCtx = ctx
        calCtx.calendar = state.calendar
        let filter = try AudienceFilter(BuiltInAudience.all[0].filter)
        let expected = AudienceOverview.compute(context: calCtx, mask: filter.customers(in: calCtx)).json(name: first, filter: BuiltInAudience.all[0].filter)
        #expect(one == expected)

        let (csvStatus, csvType, csv) = try await ServerFixture.get(client, "/api/v1/audiences/\(first).csv?asOf=2025-12-31")
        #expect(csvStatus == .ok && csvType.hasPrefix("text/csv"))
        #expect(csv == AudienceOverview.exportCSV(context: calCtx, mask: filter.customers(in: calCtx)))

        let (topStatus, topType, top) = try await ServerFixture.get(client, "/api/v1/customers.csv?from=2025-01-01&to=2025-12-31&asOf=2025-12-31")
        #expect(topStatus == .ok && topType.hasPrefix("text/csv"))
        #expect(top.contains("ann@example.dk"))
        let (dueStatus, _, _) = try await ServerFixture.get(client, "/api/v1/due.csv?asOf=2025-06-01")
        #expect(dueStatus == .ok)
    }
}

@Test(arguments: [
    ("/api/v1/customers?from=2025-13-01&to=2025-12-31", HTTPResponse.Status.badRequest, "from \"2025-13-01\" is not a date: write it as YYYY-MM-DD, e.g. 2025-09-14."),
    ("/api/v1/customers?from=2025-02-01&to=2025-01-01", .badRequest, "to 2025-01-01 is before from 2025-02-01."),
    ("/api/v1/customers?period=fortnight", .badRequest, "period \"fortnight\" is not one of"),
    ("/api/v1/customers?period=this-year&from=2025-01-01&to=2025-02-01", .badRequest, "Give either period or from/to, not both."),
    ("/api/v1/customers?top=99999999", .badRequest, "top \"99999999\" must be a whole number from 0 to 10000."),
    ("/api/v1/due?within=soon", .badRequest, "within \"soon\" is not a duration"),
    ("/api/v1/when?compare=previous", .badRequest, "has no comparison period"),
    ("/api/v1/audiences/nobody", .notFound, "There is no audience \"nobody\"."),
    ("/api/v1/nothing-here", .notFound, "There is no such API route"),
])
func badRequestsGetAStatusAndTheMessage(uri: String, status: HTTPResponse.Status, message: String) async throws {
    try await ServerFixture.withClient { client, _ in
        let (got, type, body) = try await ServerFixture.get(client, uri)
        #expect(got == status, "\(uri)")
        #expect(type.hasPrefix("application/json"))
        #expect(body.hasPrefix("{\"error\":") || body.hasPrefix("{\"error\" :") || body.hasPrefix("{\n"), "\(body)")
        #expect(body.contains(message.replacingOccurrences(of: "\"", with: "\\\"")), "\(body)")
    }
}

@Test func theCustomersPageShowsTheFiguresAndEscapesShopData() async throws {
    try await ServerFixture.withClient { client, _ in
        let (status, type, page) = try await ServerFixture.get(client, "/?from=2025-01-01&to=2025-12-31&asOf=2025-12-31&compare=previous")
        #expect(status == .ok)
        #expect(type.hasPrefix("text/html"))
        #expect(page.components(separatedBy: "<html lang=").count == 2)
        // The navigation is plain links (once rendered as a database expression by a stray type inference).
        #expect(page.contains(#"<a href="/analytics">Analytics</a>"#))
        #expect(page.contains(#"<a href="/" aria-current="page">Customers</a>"#))
        #expect(!page.contains("GRDB"))
        #expect(page.components(separatedBy: "<title>").count >= 2)
        #expect(page.contains("<meta name=\"viewport\""))
        #expect(page.contains("Test &amp; Co"))
        // 4 unique customers (hand count above) in the first card.
        #expect(page.contains("<h2>Unique customers</h2><div class=\"value\">4</div>"))
        // The hostile e-mail is shown escaped, never as a tag.
        #expect(!page.contains("<script>"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;@evil.dk"))
        // Each e-mail links to the customer's page.
        #expect(page.contains("href=\"/customers/c1\""))
        // The monthly chart: one bar per month of the period (Jan–Dec 2025 = 12).
        #expect(page.components(separatedBy: "<g class=\"bar\">").count - 1 == 12)
        #expect(page.contains("/api/v1/customers.csv?"))
    }
}

@Test func theCustomerAnalyticsAudiencesAndSettingsPagesRender() async throws {
    try await ServerFixture.withClient { client, _ in
        let (status, _, customer) = try await ServerFixture.get(client, "/customers/c1?asOf=2025-12-31")
        #expect(status == .ok)
        #expect(customer.contains("ann@example.dk"))
        for id in ["o1", "o2", "o3"] { #expect(customer.contains(">\(id)<"), "\(id)") }
        #expect(customer.contains("Lifecycle stage"))

        let (missing, _, _) = try await ServerFixture.get(client, "/customers/nobody")
        #expect(missing == .notFound)

        let (aStatus, _, analytics) = try await ServerFixture.get(client, "/analytics?from=2025-01-01&to=2025-12-31&asOf=2025-12-31")
        #expect(aStatus == .ok)
        #expect(analytics.components(separatedBy: "<g class=\"bar\">").count - 1 == 12)
        #expect(analytics.contains("Groups") && analytics.contains("Active customers"))

        let (bad, _, badPage) = try await ServerFixture.get(client, "/?from=2025-13-01&to=2025-12-31")
        #expect(bad == .badRequest)
        #expect(badPage.contains("is not a date"))

        let (auStatus, _, audiences) = try await ServerFixture.get(client, "/audiences?asOf=2025-12-31")
        #expect(auStatus == .ok)
        #expect(audiences.contains(html(BuiltInAudience.all[0].filter)))
        let (sStatus, _, settings) = try await ServerFixture.get(client, "/settings")
        #expect(sStatus == .ok && settings.contains("topCustomers"))
    }
}

@Test func theServiceReloadsWhenTheStoreChanges() async throws {
    let store = InMemoryOrderStore(settings: ShopSettings(name: "S", timeZone: "UTC", currency: "DKK"))
    _ = try await store.replaceOrders(Array(ServerFixture.orders.prefix(2)))
    let service = ShopService(store: store, cachePath: nil, revisionCheckSeconds: 0, now: { ServerFixture.now })
    #expect(try await service.current().snapshot.orderCount == 2)
    _ = try await store.replaceOrders(ServerFixture.orders)
    #expect(try await service.current().snapshot.orderCount == ServerFixture.orders.count)
}
