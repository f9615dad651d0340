import ClienteleCore
import ClienteleStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// The audience forms and the detail page over `ServerFixture`'s shop (c1: 3 orders, c2: 2, c3: 1, c4 with the
/// hostile e-mail: 1; as of 2025-12-31).
enum AudienceFixture {
    /// Runs `body` with a client and the store.
    static func withClient(_ body: @escaping @Sendable (any TestClientProtocol, any OrderStore, ShopState) async throws -> Void) async throws {
        let service = try await ServerFixture.service()
        let state = try await service.current()
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in try await body(client, service.store, state) }
    }

    /// POSTs a form (`application/x-www-form-urlencoded`): status, Location, body.
    static func post(_ client: any TestClientProtocol, _ uri: String, _ fields: [(String, String)],
                     headers extra: HTTPFields = [:]) async throws -> (HTTPResponse.Status, String?, String) {
        let body = fields.map { QueryParameters.encode($0.0) + "=" + QueryParameters.encode($0.1) }.joined(separator: "&")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            (response.status, response.headers[.location], String(buffer: response.body))
        }
    }

    /// The members of `filter` as of 2025-12-31, by the core.
    static func expected(_ filter: String, _ state: ShopState) throws -> (context: AudienceContext, mask: [Bool]) {
        var ctx = AudienceContext(snapshot: state.snapshot, asOf: ShopDate(iso: "2025-12-31")!, thresholds: state.settings.thresholds, currency: state.currency)
        ctx.calendar = state.calendar
        return (ctx, try AudienceFilter(filter).customers(in: ctx))
    }

    static let hostileName = "<script>alert('a')</script> & co"
}

@Test func theNewAudienceFormCountsAFilterWithoutSavingIt() async throws {
    try await AudienceFixture.withClient { client, store, state in
        let (status, type, form) = try await ServerFixture.get(client, "/audiences/new")
        #expect(status == .ok && type.hasPrefix("text/html"))
        #expect(form.contains("<label for=\"name\">Name</label>") && form.contains("<label for=\"filter\">Filter</label>"))
        #expect(form.contains("formmethod=\"get\"") && form.contains(">Count</button>") && form.contains(">Save</button>"))
        #expect(form.contains("<code>p_alive</code>"))   // the fields list of the filter help
        #expect(!form.contains("audience-count"))
        // The list links to the form and to each audience's page.
        let (_, _, list) = try await ServerFixture.get(client, "/audiences?asOf=2025-12-31")
        #expect(list.contains("<a href=\"/audiences/new\">New audience</a>"))
        #expect(list.contains("<a href=\"/audiences/lost-vips\">lost-vips</a>"))

        // Count: c1 (3 orders) and c2 (2 orders) have at least 2 orders.
        let (countStatus, _, counted) = try await ServerFixture.get(client, "/audiences/new?name=two&filter=orders+%3E%3D+2&asOf=2025-12-31")
        #expect(countStatus == .ok)
        let core = try AudienceFixture.expected("orders >= 2", state).mask.filter { $0 }.count
        #expect(core == 2)
        #expect(counted.contains("<strong class=\"audience-count\">2</strong> of 4 customers match as of 2025-12-31"))
        #expect(counted.contains("value=\"two\"") && counted.contains(">orders &gt;= 2</textarea>"))
        #expect(try await store.listAudiences().count == BuiltInAudience.all.count)   // nothing saved

        // A malformed filter: 422 with the parser's position and caret, the form shown again.
        let (bad, _, badPage) = try await ServerFixture.get(client, "/audiences/new?filter=orders+%3E%3D+abc")
        #expect(bad == .unprocessableContent)
        #expect(badPage.contains("filter:1:11: "))
        #expect(badPage.contains("<pre id=\"filter-outcome\" class=\"error\" role=\"alert\">"))
        #expect(badPage.contains("<textarea id=\"filter\""))

        // A bad as-of date is the usual 400 sentence.
        let (badDate, _, badDatePage) = try await ServerFixture.get(client, "/audiences/new?filter=orders+%3E%3D+2&asOf=2025-13-01")
        #expect(badDate == .badRequest)
        #expect(badDatePage.contains("asOf &quot;2025-13-01&quot; is not a date"))
    }
}

@Test func creatingAnAudienceSavesItAndShowsItsEscapedDetailPage() async throws {
    try await AudienceFixture.withClient { client, store, state in
        let name = AudienceFixture.hostileName
        let (status, location, _) = try await AudienceFixture.post(client, "/audiences/new", [("name", name), ("filter", "orders >= 2")])
        #expect(status == .seeOther)
        let path = "/audiences/" + QueryParameters.encode(name)
        #expect(location == path)
        let saved = try #require(try await store.listAudiences().first { $0.name == name })
        #expect(saved.filter == "orders >= 2" && !saved.builtIn)

        let (detailStatus, type, page) = try await ServerFixture.get(client, path + "?asOf=2025-12-31&sort=revenue")
        #expect(detailStatus == .ok && type.hasPrefix("text/html"))
        #expect(!page.contains("<script>alert"))
        #expect(page.contains("&lt;script&gt;alert(&#39;a&#39;)&lt;/script&gt; &amp; co"))
        // The core's overview for the same audience and date.
        let (ctx, mask) = try AudienceFixture.expected("orders >= 2", state)
        let o = AudienceOverview.compute(context: ctx, mask: mask, productSort: .revenue, topProducts: 20)
        #expect(o.audience.customers == 2)
        #expect(page.contains("<h2>Customers</h2><div class=\"value\">2</div>"))
        #expect(page.contains("<tr class=\"revenue\"><th scope=\"row\">Total revenue</th><td class=\"num\">\(Format.money(o.audience.revenue))</td><td class=\"num\">\(Format.money(o.all.revenue))</td>"))
        // Products by revenue: P1 (c1: 100 + 300, c2: 70) before P2 (c1: 200, c2: 50); the Revenue column is marked.
        #expect(o.products.map(\.productId) == ["P1", "P2"])
        #expect(BehaviourFixture.count("<tr class=\"product\">", in: page) == 2)
        let p1 = page.range(of: "(P1)")!, p2 = page.range(of: "(P2)")!
        #expect(p1.lowerBound < p2.lowerBound)
        #expect(page.contains("aria-sort=\"descending\"><a href=\"\(html(path + "?asOf=2025-12-31&sort=revenue"))\" aria-current=\"true\">Revenue ▼</a>"))
        #expect(page.contains("href=\"\(html(path + "?asOf=2025-12-31&sort=quantity"))\""))
        #expect(page.contains("href=\"\(html("/api/v1" + path + ".csv?asOf=2025-12-31"))\" download"))

        // The CSV export of the same audience is the CLI's.
        let (csvStatus, _, csv) = try await ServerFixture.get(client, "/api/v1" + path + ".csv?asOf=2025-12-31")
        #expect(csvStatus == .ok)
        #expect(csv == AudienceOverview.exportCSV(context: ctx, mask: mask))

        // The same name again is refused, and nothing changes.
        let (again, _, againPage) = try await AudienceFixture.post(client, "/audiences/new", [("name", name), ("filter", "orders = 1")])
        #expect(again == .unprocessableContent)
        #expect(againPage.contains("exists already"))
        #expect(try await store.listAudiences().first { $0.name == name }?.filter == "orders >= 2")
    }
}

@Test func badAudienceFormsGet422AndSaveNothing() async throws {
    try await AudienceFixture.withClient { client, store, _ in
        let before = try await store.listAudiences()
        let (s1, _, p1) = try await AudienceFixture.post(client, "/audiences/new", [("name", "x"), ("filter", "orders >= ")])
        #expect(s1 == .unprocessableContent)
        #expect(p1.contains("filter:1:") && p1.contains("^"))
        #expect(p1.contains("value=\"x\""))   // the form keeps what was typed
        let (s2, _, p2) = try await AudienceFixture.post(client, "/audiences/new", [("name", ""), ("filter", "orders >= 2")])
        #expect(s2 == .unprocessableContent && p2.contains("The audience needs a name."))
        let (s3, _, p3) = try await AudienceFixture.post(client, "/audiences/new", [("name", " padded"), ("filter", "orders >= 2")])
        #expect(s3 == .unprocessableContent && p3.contains("starts or ends with a space"))
        let (s4, _, _) = try await AudienceFixture.post(client, "/audiences/new", [("name", "x"), ("filter", "orders >= 2")],
                                                        headers: [.origin: "http://evil.example:8080"])
        #expect(s4 == .forbidden)
        #expect(try await store.listAudiences() == before)
    }
}

@Test func editingAndDeletingAnAudience() async throws {
    try await AudienceFixture.withClient { client, store, state in
        let name = "lost-vips"   // a built-in: editable and deletable like any other
        let (formStatus, _, form) = try await ServerFixture.get(client, "/audiences/\(name)/edit")
        #expect(formStatus == .ok)
        #expect(form.contains(">group = vip and stage = lost</textarea>"))
        #expect(form.contains("action=\"/audiences/lost-vips/delete\""))
        let (countStatus, _, counted) = try await ServerFixture.get(client, "/audiences/\(name)/edit?filter=orders+%3D+1&asOf=2025-12-31")
        #expect(countStatus == .ok)
        // c3 and c4 ordered once.
        #expect(try AudienceFixture.expected("orders = 1", state).mask.filter { $0 }.count == 2)
        #expect(counted.contains("<strong class=\"audience-count\">2</strong>"))
        #expect(try await store.listAudiences().first { $0.name == name }?.filter == "group = vip and stage = lost")

        let (bad, _, _) = try await AudienceFixture.post(client, "/audiences/\(name)/edit", [("filter", "stage = sleeping")])
        #expect(bad == .unprocessableContent)
        let (saved, location, _) = try await AudienceFixture.post(client, "/audiences/\(name)/edit", [("filter", "orders = 1")])
        #expect(saved == .seeOther && location == "/audiences/lost-vips")
        let audience = try #require(try await store.listAudiences().first { $0.name == name })
        #expect(audience.filter == "orders = 1" && audience.builtIn)

        let (deleted, deletedLocation, _) = try await AudienceFixture.post(client, "/audiences/\(name)/delete", [])
        #expect(deleted == .seeOther && deletedLocation == "/audiences")
        #expect(try await store.listAudiences().contains { $0.name == name } == false)
        let (gone, _, _) = try await AudienceFixture.post(client, "/audiences/\(name)/delete", [])
        #expect(gone == .notFound)
        let (goneEdit, _, _) = try await AudienceFixture.post(client, "/audiences/\(name)/edit", [("filter", "orders = 1")])
        #expect(goneEdit == .notFound)
    }
}

@Test(arguments: [
    ("/audiences/nobody", HTTPResponse.Status.notFound, "There is no audience &quot;nobody&quot;."),
    ("/audiences/nobody/edit", .notFound, "There is no audience &quot;nobody&quot;."),
    ("/audiences/lost-vips?sort=price", .badRequest, "sort &quot;price&quot; is not one of: times, quantity, revenue, customers."),
    ("/audiences/lost-vips?top=99999999", .badRequest, "top &quot;99999999&quot; must be a whole number from 1 to 10000."),
    ("/audiences/lost-vips?asOf=yesterday", .badRequest, "asOf &quot;yesterday&quot; is not a date"),
])
func badAudiencePageRequestsGetAStatusAndTheMessage(uri: String, status: HTTPResponse.Status, message: String) async throws {
    try await AudienceFixture.withClient { client, _, _ in
        let (got, type, page) = try await ServerFixture.get(client, uri)
        #expect(got == status, "\(uri)")
        #expect(type.hasPrefix("text/html"))
        #expect(page.contains(message), "\(page)")
    }
}
