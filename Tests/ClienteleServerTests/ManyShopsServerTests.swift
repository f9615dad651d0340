import ClienteleCore
import ClienteleSQLite
@testable import ClienteleStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// Two shops in one SQLite file, each with distinctive, hand-chosen data, served by one `ShopDirectory`.
enum ManyShopsFixture {
    /// One shop's data: what its answers may contain and the other's must not.
    struct Shop: Sendable {
        let handle: String
        let settings: ShopSettings
        let orders: [Order]
        /// Strings only this shop's data holds (e-mails, product and customer ids and names, the shop's name, a
        /// saved audience): none may appear in an answer of the other shop.
        let markers: [String]
        /// A customer id and an audience name of this shop (for the routes' path parameters).
        let customer: String
        let audience: String
    }

    static func order(_ id: String, _ day: String, customer: String, email: String, total: Int64, product: String,
                      name: String, currency: Currency) -> Order {
        let d = ShopDate(iso: day)!
        return Order(id: id, placedAt: Instant(seconds: Int64(d.dayNumber) * 86_400 + 12 * 3600), customerId: customer,
                     email: email, currency: currency, total: total * 100,
                     lines: [OrderLine(productId: product, productName: name, quantity: 1, unitPrice: total * 100)])
    }

    static let tea: Shop = {
        let dkk = Currency(code: "DKK")!
        return Shop(
            handle: "tea", settings: ShopSettings(name: "Teahouse Aurora", timeZone: "Europe/Copenhagen", currency: "DKK", locale: "da_DK"),
            orders: [
                order("1", "2025-01-10", customer: "tea-cust-1", email: "alma@teahouse-aurora.example", total: 100, product: "sencha-aurora", name: "Sencha Aurora", currency: dkk),
                order("2", "2025-03-10", customer: "tea-cust-1", email: "alma@teahouse-aurora.example", total: 200, product: "sencha-aurora", name: "Sencha Aurora", currency: dkk),
                order("3", "2025-06-10", customer: "tea-cust-2", email: "bodil@teahouse-aurora.example", total: 300, product: "oolong-aurora", name: "Oolong Aurora", currency: dkk),
                order("4", "2025-07-01", customer: "tea-cust-2", email: "bodil@teahouse-aurora.example", total: 50, product: "sencha-aurora", name: "Sencha Aurora", currency: dkk),
            ],
            markers: ["teahouse-aurora", "Teahouse Aurora", "sencha-aurora", "Sencha Aurora", "oolong-aurora", "Oolong Aurora",
                      "tea-cust-", "tea-lovers-aurora"],
            customer: "tea-cust-1", audience: "tea-lovers-aurora")
    }()

    static let bikes: Shop = {
        let eur = Currency(code: "EUR")!
        return Shop(
            handle: "bikes", settings: ShopSettings(name: "Velo Borealis", timeZone: "America/New_York", currency: "EUR", locale: "en_US"),
            orders: [
                // Order "1" exists in both shops: two different orders.
                order("1", "2025-02-14", customer: "bike-cust-1", email: "carl@velo-borealis.example", total: 900, product: "frame-borealis", name: "Frame Borealis", currency: eur),
                order("b2", "2025-05-05", customer: "bike-cust-1", email: "carl@velo-borealis.example", total: 40, product: "bell-borealis", name: "Bell Borealis", currency: eur),
                order("b3", "2025-08-08", customer: "bike-cust-2", email: "dora@velo-borealis.example", total: 1200, product: "frame-borealis", name: "Frame Borealis", currency: eur),
            ],
            markers: ["velo-borealis", "Velo Borealis", "frame-borealis", "Frame Borealis", "bell-borealis", "Bell Borealis",
                      "bike-cust-", "riders-borealis"],
            customer: "bike-cust-1", audience: "riders-borealis")
    }()

    /// "Today" for every service: 2025-12-31 noon UTC.
    static let now = ServerFixture.now

    /// A SQLite file in a fresh folder holding `shops` (settings, orders, one saved audience each).
    static func database(_ shops: [Shop], in folder: URL) async throws -> SQLiteShopDatabase {
        let database = try SQLiteShopDatabase(path: folder.appendingPathComponent("shops.sqlite").path)
        for shop in shops {
            #expect(try await database.createShop(shop.handle, settings: shop.settings))
            let store = try database.orderStore(shop: shop.handle)
            _ = try await store.replaceOrders(shop.orders)
            try await store.saveAudience(SavedAudience(name: shop.audience, filter: "orders >= 1", createdAt: now, updatedAt: now))
        }
        return database
    }

    /// The directory over `database`, with the fixed clock and a revision check on every request.
    static func directory(_ database: any ShopDatabase) -> ShopDirectory {
        ShopDirectory(database: database, listSeconds: 0) { _, store in
            try await AudienceRoutes.seedBuiltIns(store, now: now)
            return ShopService(store: store, cachePath: nil, revisionCheckSeconds: 0, now: { now })
        }
    }

    /// Runs `body` with a client of the front router over a file holding `shops`.
    static func withClient(_ shops: [Shop] = [tea, bikes],
                           _ body: @escaping @Sendable (any TestClientProtocol, SQLiteShopDatabase) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clientele-shops-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await database(shops, in: folder)
        let app = Application(router: ClienteleServer.router(directory: directory(database)))
        try await app.test(.router) { client in try await body(client, database) }
    }

    /// `method uri` (a form body for POSTs): status, headers and body.
    static func request(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String,
                        form: String = "") async throws -> (HTTPResponse.Status, HTTPFields, String) {
        let body = method == .get || method == .head ? nil : ByteBuffer(string: form)
        return try await client.execute(uri: uri, method: method,
                                        headers: [.contentType: "application/x-www-form-urlencoded"], body: body) { response in
            (response.status, response.headers, String(buffer: response.body))
        }
    }

    /// Every value of a double-quoted `href`, `action`, `src` or `formaction` attribute in `page`.
    static func links(_ page: String) -> [String] {
        var out: [String] = []
        for attribute in ["href", "action", "src", "formaction"] {
            var rest = page[...]
            while let r = rest.range(of: " \(attribute)=\"") {
                let value = rest[r.upperBound...].prefix { $0 != "\"" }
                out.append(String(value))
                rest = rest[r.upperBound...]
            }
        }
        return out
    }
}

/// `clientele serve` over several shops: every route of a shop's router under `/shops/{shop}/…`, never another
/// shop's data, links that stay in the shop, the list of shops, and the un-prefixed routes of a one-shop database.
@Suite struct ManyShopsServerTests {
    /// Concrete paths for a route template, with `shop`'s and the other shop's path parameters.
    static func paths(_ template: String, shop: ManyShopsFixture.Shop, other: ManyShopsFixture.Shop) -> [String] {
        RouteWalkTests.paths(template) { name in
            name == "name" ? [shop.audience, other.audience, "lost-vips"]
                : [shop.customer, other.customer, QueryParameters.encode(other.orders[0].email!)]
        }
    }

    @Test("every route of a shop's router, under /shops/{shop}/, answers with that shop's data only")
    func everyRouteIsIsolated() async throws {
        // The route table of one shop's router (so that a route added later is walked too).
        let routes = ClienteleServer.router(service: try await ServerFixture.service()).routes
            .map { (method: $0.method, path: $0.path.description) }
        #expect(routes.count >= 25)
        try await ManyShopsFixture.withClient { client, database in
            // The walk is not vacuous: each shop's own data is in its answers.
            for shop in [ManyShopsFixture.tea, ManyShopsFixture.bikes] {
                let (status, _, customers) = try await ManyShopsFixture.request(client, .get, "/shops/\(shop.handle)/api/v1/customers?top=10")
                #expect(status == .ok)
                #expect(customers.contains(shop.orders[0].email!), "\(customers.prefix(400))")
                let (_, _, page) = try await ManyShopsFixture.request(client, .get, "/shops/\(shop.handle)/")
                #expect(page.contains(html(shop.settings.name)))
                let (_, _, audiences) = try await ManyShopsFixture.request(client, .get, "/shops/\(shop.handle)/api/v1/audiences")
                #expect(audiences.contains(shop.audience))
            }
            var requests = 0, ok = 0
            for (shop, other) in [(ManyShopsFixture.tea, ManyShopsFixture.bikes), (ManyShopsFixture.bikes, ManyShopsFixture.tea)] {
                let otherAudiences = try await database.orderStore(shop: other.handle).listAudiences()
                for route in routes {
                    for path in Self.paths(route.path, shop: shop, other: other) {
                        for query in ["", "asOf=2025-12-31&top=10"] {
                            let uri = "/shops/\(shop.handle)" + path + (query.isEmpty ? "" : "?" + query)
                            let (status, headers, body) = try await ManyShopsFixture.request(client, route.method, uri)
                            #expect(status.code < 500, "\(route.method) \(uri) gave \(status): \(body.prefix(300))")
                            // What the request itself names (the other shop's customer id or audience name in the
                            // path) may be echoed in an error; every other marker of the other shop must be absent.
                            let asked = uri.removingPercentEncoding ?? uri
                            for marker in other.markers where !asked.contains(marker) {
                                #expect(!body.contains(marker), "\(route.method) \(uri) shows \(other.handle)'s \"\(marker)\"")
                            }
                            if let location = headers[.location] {
                                #expect(location.hasPrefix("/shops/\(shop.handle)/"), "\(uri) redirects to \(location)")
                            }
                            requests += 1
                            if status == .ok { ok += 1 }
                        }
                    }
                }
                // The walk POSTed to every form of this shop (deleting its audiences, among others): the other
                // shop's audiences, named in those paths, are untouched.
                #expect(try await database.orderStore(shop: other.handle).listAudiences() == otherAudiences)
            }
            #expect(requests > 200)
            #expect(ok > 100, "most routes answer (\(ok) of \(requests))")
        }
    }

    @Test("the same order id in two shops is two orders, each shop's reports count its own")
    func sameOrderIdIsTwoOrders() async throws {
        try await ManyShopsFixture.withClient { client, _ in
            // Hand count: tea has 4 orders for 100 + 200 + 300 + 50 = 650 kr; bikes 3 for 900 + 40 + 1200 = 2140 €.
            let (_, _, tea) = try await ManyShopsFixture.request(client, .get, "/shops/tea/api/v1/customers?from=2025-01-01&to=2025-12-31&asOf=2025-12-31")
            let (_, _, bikes) = try await ManyShopsFixture.request(client, .get, "/shops/bikes/api/v1/customers?from=2025-01-01&to=2025-12-31&asOf=2025-12-31")
            let teaJSON = try #require(try JSONSerialization.jsonObject(with: Data(tea.utf8)) as? [String: Any])
            let bikesJSON = try #require(try JSONSerialization.jsonObject(with: Data(bikes.utf8)) as? [String: Any])
            #expect((teaJSON["currency"] as? String) == "DKK")
            #expect((bikesJSON["currency"] as? String) == "EUR")
            #expect(tea.contains("\"orders\" : 4") || tea.contains("\"orders\": 4"), "\(tea.prefix(600))")
            #expect(bikes.contains("\"orders\" : 3") || bikes.contains("\"orders\": 3"), "\(bikes.prefix(600))")
            let (_, _, teaSettings) = try await ManyShopsFixture.request(client, .get, "/shops/tea/api/v1/settings")
            let (_, _, bikeSettings) = try await ManyShopsFixture.request(client, .get, "/shops/bikes/api/v1/settings")
            #expect(teaSettings.contains("Europe/Copenhagen") && !teaSettings.contains("America/New_York"))
            #expect(bikeSettings.contains("America/New_York") && !bikeSettings.contains("Europe/Copenhagen"))
        }
    }

    @Test("every link, form action and redirect of a mounted page stays under /shops/{shop}/")
    func linksCarryThePrefix() async throws {
        try await ManyShopsFixture.withClient { client, database in
            var checked = 0
            for page in ["/", "/analytics", "/audiences", "/retention", "/behaviour", "/settings", "/predictions", "/import",
                         "/audiences/new", "/audiences/lost-vips", "/audiences/lost-vips/edit", "/customers/tea-cust-1",
                         "/summary", "/no/such/page"] {
                let (_, headers, body) = try await ManyShopsFixture.request(client, .get, "/shops/tea" + page)
                guard headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                for link in ManyShopsFixture.links(body) where !link.hasPrefix("#") && !link.hasPrefix("data:") && !link.hasPrefix("http") {
                    #expect(link.hasPrefix("/shops/tea/"), "\(page) links to \(link)")
                    checked += 1
                }
            }
            #expect(checked > 100)
            // A form saved under the prefix redirects under it, and changes that shop only.
            let (status, headers, _) = try await ManyShopsFixture.request(client, .post, "/shops/tea/audiences/new",
                                                                          form: "name=steeped&filter=orders+%3E%3D+2")
            #expect(status == .seeOther)
            #expect(headers[.location] == "/shops/tea/audiences/steeped")
            #expect(try await database.orderStore(shop: "tea").listAudiences().contains { $0.name == "steeped" })
            #expect(try await !database.orderStore(shop: "bikes").listAudiences().contains { $0.name == "steeped" })
            let (deleted, deleteHeaders, _) = try await ManyShopsFixture.request(client, .post, "/shops/bikes/audiences/riders-borealis/delete")
            #expect(deleted == .seeOther)
            #expect(deleteHeaders[.location] == "/shops/bikes/audiences")
            #expect(try await database.orderStore(shop: "tea").listAudiences().contains { $0.name == "tea-lovers-aurora" })
        }
    }

    @Test("the rewrite touches root-relative attribute values only")
    func rewriteRule() {
        let page = ##"<a href="/x">a</a><form action="/f"><button formaction="/g"><img src="/i.svg"><a href="//cdn/x"> <a href="https://e.x/"> <a href="#main"> <a href="?lang=da"> <a data-href="/no">"##
        let out = String(decoding: ShopRoutes.rewriteLinks(Array(page.utf8), prefix: "/shops/s"), as: UTF8.self)
        #expect(out == ##"<a href="/shops/s/x">a</a><form action="/shops/s/f"><button formaction="/shops/s/g"><img src="/shops/s/i.svg"><a href="//cdn/x"> <a href="https://e.x/"> <a href="#main"> <a href="?lang=da"> <a data-href="/no">"##)
        #expect(ShopRoutes.prefixed("/audiences/x", "/shops/s") == "/shops/s/audiences/x")
        #expect(ShopRoutes.prefixed("//evil.example/", "/shops/s") == "//evil.example/")
    }

    @Test("an unknown shop is a 404 naming the shops; un-prefixed routes of a several-shop database name /shops/{shop}/")
    func unknownShopAndUnprefixedRoutes() async throws {
        try await ManyShopsFixture.withClient { client, _ in
            let (status, type, body) = try await ManyShopsFixture.request(client, .get, "/shops/nope/")
            #expect(status == .notFound)
            #expect(Self.headersHTML(type))
            #expect(body.contains("There is no shop &quot;nope&quot; in this database; the shops are /shops/bikes/, /shops/tea/."))
            let (apiStatus, _, api) = try await ManyShopsFixture.request(client, .get, "/shops/Bad%20Name/api/v1/customers")
            #expect(apiStatus == .notFound)
            #expect(api.contains("\"error\""))

            // The root lists the shops, with links into each.
            let (rootStatus, _, root) = try await ManyShopsFixture.request(client, .get, "/")
            #expect(rootStatus == .ok)
            #expect(root.contains("<a href=\"/shops/tea/\">Teahouse Aurora</a>"))
            #expect(root.contains("<a href=\"/shops/bikes/\">Velo Borealis</a>"))
            let (_, _, list) = try await ManyShopsFixture.request(client, .get, "/api/v1/shops")
            #expect(list.contains("\"url\" : \"/shops/tea/\"") || list.contains("\"url\": \"/shops/tea/\""), "\(list)")

            // Un-prefixed report routes: 404 naming /shops/{shop}/…, with no shop's data.
            for path in ["/api/v1/customers", "/customers/tea-cust-1", "/analytics", "/summary"] {
                let (s, _, text) = try await ManyShopsFixture.request(client, .get, path)
                #expect(s == .notFound, "\(path)")
                #expect(text.contains("/shops/{shop}/"), "\(path): \(text.prefix(300))")
                // The shops' names are in the list of shops; what the path itself names may be echoed.
                for marker in ManyShopsFixture.tea.markers + ManyShopsFixture.bikes.markers
                where marker != "Teahouse Aurora" && marker != "Velo Borealis" && !path.contains(marker) {
                    #expect(!text.contains(marker), "\(path) shows \(marker)")
                }
            }
        }
    }

    @Test("hostile shop names in the path are a 404 with a message, never a 5xx, and are escaped")
    func hostileShopSegments() async throws {
        try await ManyShopsFixture.withClient { client, _ in
            let segments = ["", "..", "%2e%2e", "tea%2F..%2Fbikes", "TEA", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "tea%00",
                            String(repeating: "z", count: 5_000), "%ZZ", "bikes%20"]
            for segment in segments {
                for rest in ["", "/", "/api/v1/customers", "/customers/bike-cust-1", "/audiences/new"] {
                    for method in [HTTPRequest.Method.get, .post] {
                        let uri = "/shops/" + segment + rest
                        let (status, _, body) = try await ManyShopsFixture.request(client, method, uri)
                        #expect(status.code < 500, "\(method) \(uri.prefix(120)) gave \(status)")
                        if status.code >= 400 { #expect(body.contains("error"), "\(uri.prefix(120)) without a message") }
                        #expect(!body.contains("<script>"), "\(uri.prefix(120)) echoes markup")
                        for marker in ManyShopsFixture.bikes.markers + ManyShopsFixture.tea.markers
                        where !marker.contains(" ") && !(uri.removingPercentEncoding ?? uri).contains(marker) {
                            #expect(!body.contains(marker) || status == .ok, "\(uri.prefix(120)) shows \(marker)")
                        }
                    }
                }
            }
        }
    }

    @Test("with sign-in on, every route of shop B refuses shop A's token with 404 and no data, and B's viewer with 403 on writes")
    func everyRouteRefusesAnotherShopsToken() async throws {
        let routes = ClienteleServer.router(service: try await ServerFixture.service()).routes
            .map { (method: $0.method, path: $0.path.description) }
        #expect(routes.count >= 30)
        try await ManyShopsFixture.withClient { client, database in
            let tea = try database.orderStore(shop: "tea"), bikes = try database.orderStore(shop: "bikes")
            let teaAdmin = Credentials.newToken(), bikeViewer = Credentials.newToken()
            try await tea.createToken(AccessToken(id: teaAdmin.id, name: "", role: .admin, hash: teaAdmin.hash, createdAt: ManyShopsFixture.now))
            try await bikes.createToken(AccessToken(id: bikeViewer.id, name: "", role: .viewer, hash: bikeViewer.hash, createdAt: ManyShopsFixture.now))
            // A first request opens bikes' service (which seeds the built-in audiences) before the list is taken.
            try await client.execute(uri: "/shops/bikes/api/v1/settings", method: .get,
                                     headers: [.authorization: "Bearer " + bikeViewer.secret]) { #expect($0.status == .ok) }
            let bikeAudiences = try await bikes.listAudiences()
            var walked = 0
            for route in routes where route.path != "/login" {
                for path in Self.paths(route.path, shop: ManyShopsFixture.bikes, other: ManyShopsFixture.tea) {
                    let uri = "/shops/bikes" + path
                    let body = route.method == .get ? nil : ByteBuffer(string: "name=x&filter=orders+%3E%3D+1")
                    // Tea's admin token on bikes: 404, and nothing of bikes in the answer.
                    try await client.execute(uri: uri, method: route.method,
                                             headers: [.authorization: "Bearer " + teaAdmin.secret, .contentType: "application/x-www-form-urlencoded"],
                                             body: body) { response in
                        #expect(response.status == .notFound, "\(route.method) \(uri) with tea's token: \(response.status)")
                        let text = String(buffer: response.body)
                        let asked = uri.removingPercentEncoding ?? uri
                        for marker in ManyShopsFixture.bikes.markers where !asked.contains(marker) {
                            #expect(!text.contains(marker), "\(route.method) \(uri) shows bikes' \"\(marker)\"")
                        }
                    }
                    // Bikes' own viewer: every change refused with 403.
                    if route.method != .get {
                        try await client.execute(uri: uri, method: route.method,
                                                 headers: [.authorization: "Bearer " + bikeViewer.secret, .contentType: "application/x-www-form-urlencoded"],
                                                 body: body) { response in
                            #expect(response.status == .forbidden, "viewer \(route.method) \(uri): \(response.status)")
                        }
                    }
                    walked += 1
                }
            }
            #expect(walked > 50)
            #expect(try await bikes.listAudiences() == bikeAudiences, "nothing of bikes changed")
        }
    }

    @Test("with sign-in on: each shop's token opens that shop only, sessions are per shop, the shops are not listed")
    func accessPerShop() async throws {
        try await ManyShopsFixture.withClient { client, database in
            let tea = try database.orderStore(shop: "tea"), bikes = try database.orderStore(shop: "bikes")
            let teaToken = Credentials.newToken(), bikeToken = Credentials.newToken()
            try await tea.createToken(AccessToken(id: teaToken.id, name: "tea script", role: .viewer, hash: teaToken.hash, createdAt: ManyShopsFixture.now))
            try await bikes.createToken(AccessToken(id: bikeToken.id, name: "bike script", role: .viewer, hash: bikeToken.hash, createdAt: ManyShopsFixture.now))
            try await tea.saveUser(AccessUser(name: "ada", role: .admin, passwordHash: try Credentials.hashPassword("tea for two"),
                                              createdAt: ManyShopsFixture.now))

            func get(_ uri: String, token: String? = nil, cookie: String? = nil) async throws -> (HTTPResponse.Status, HTTPFields, String) {
                var headers: HTTPFields = [:]
                if let token { headers[.authorization] = "Bearer " + token }
                if let cookie { headers[.cookie] = cookie }
                return try await client.execute(uri: uri, method: .get, headers: headers) { r in (r.status, r.headers, String(buffer: r.body)) }
            }
            // Without credentials: 401; with the shop's own token: its data; with the other shop's token: 404.
            #expect(try await get("/shops/tea/api/v1/customers").0 == .unauthorized)
            let (ok, _, own) = try await get("/shops/tea/api/v1/customers?top=10", token: teaToken.secret)
            #expect(ok == .ok && own.contains("alma@teahouse-aurora.example"))
            let (foreign, _, body) = try await get("/shops/tea/api/v1/customers", token: bikeToken.secret)
            #expect(foreign == .notFound)
            for marker in ManyShopsFixture.tea.markers { #expect(!body.contains(marker)) }
            #expect(try await get("/shops/bikes/api/v1/customers", token: bikeToken.secret).0 == .ok)

            // The names of the shops are not shown to someone who has not signed in.
            for uri in ["/", "/shops", "/shops/nope/", "/api/v1/shops", "/api/v1/customers", "/analytics"] {
                let (_, _, text) = try await get(uri)
                for name in ["Teahouse Aurora", "Velo Borealis", "/shops/tea", "/shops/bikes"] {
                    #expect(!text.contains(name), "\(uri) shows \(name)")
                }
            }
            #expect(try await get("/api/v1/shops").0 == .unauthorized)

            // Signing in to one shop: the cookie is for that shop's path, the redirect stays in the shop.
            let (signedIn, headers, _) = try await client.execute(
                uri: "/shops/tea/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "name=ada&password=tea+for+two&next=%2Fanalytics")) { r in (r.status, r.headers, String(buffer: r.body)) }
            #expect(signedIn == .seeOther)
            #expect(headers[.location] == "/shops/tea/analytics")
            let setCookie = try #require(headers[.setCookie])
            #expect(setCookie.contains("; Path=/shops/tea;") && !setCookie.contains("Path=/;"), "\(setCookie)")
            let session = String(setCookie.prefix { $0 != ";" })
            #expect(try await get("/shops/tea/analytics", cookie: session).0 == .ok)
            #expect(try await get("/shops/bikes/analytics", cookie: session).0 == .unauthorized, "a tea session is no bike session")
            // The sign-in form of a mounted shop posts to the shop's own /login.
            let (_, _, form) = try await get("/shops/bikes/analytics")
            #expect(form.contains("action=\"/shops/bikes/login\""))
        }
    }

    @Test("a cookie's Path is mounted under the shop")
    func cookiePaths() {
        #expect(ShopRoutes.cookiePath("s=1; Path=/; HttpOnly", "/shops/a") == "s=1; Path=/shops/a; HttpOnly")
        #expect(ShopRoutes.cookiePath("s=1; path=/x; Secure", "/shops/a") == "s=1; Path=/shops/a/x; Secure")
        #expect(ShopRoutes.cookiePath("s=1; HttpOnly", "/shops/a") == "s=1; HttpOnly")
    }

    static func headersHTML(_ headers: HTTPFields) -> Bool { headers[.contentType]?.hasPrefix("text/html") == true }

    @Test("a database with one shop is served at / as before, and under /shops/{shop}/ too")
    func oneShopServedAtTheRoot() async throws {
        try await ManyShopsFixture.withClient([ManyShopsFixture.tea]) { client, _ in
            for path in ["/api/v1/customers?top=0", "/api/v1/settings", "/analytics?asOf=2025-12-31"] {
                let (s1, _, plain) = try await ManyShopsFixture.request(client, .get, path)
                let (s2, _, mounted) = try await ManyShopsFixture.request(client, .get, "/shops/tea" + path)
                #expect(s1 == .ok && s2 == .ok)
                if path.hasPrefix("/api/") {
                    #expect(plain == mounted, "\(path): a JSON answer is the same at both addresses")
                } else {
                    #expect(String(decoding: ShopRoutes.rewriteLinks(Array(plain.utf8), prefix: "/shops/tea"), as: UTF8.self) == mounted,
                            "\(path): the mounted page is the root page with its links prefixed")
                }
            }
            let (status, headers, _) = try await ManyShopsFixture.request(client, .post, "/audiences/new", form: "name=at-root&filter=orders+%3E%3D+1")
            #expect(status == .seeOther)
            #expect(headers[.location] == "/audiences/at-root", "un-prefixed forms redirect un-prefixed")
        }
    }

    @Test("a shop created while serving is served without a restart")
    func shopCreatedWhileServing() async throws {
        try await ManyShopsFixture.withClient([ManyShopsFixture.tea]) { client, database in
            let (before, _, _) = try await ManyShopsFixture.request(client, .get, "/shops/bikes/api/v1/settings")
            #expect(before == .notFound)
            #expect(try await database.createShop("bikes", settings: ManyShopsFixture.bikes.settings))
            let (after, _, settings) = try await ManyShopsFixture.request(client, .get, "/shops/bikes/api/v1/settings")
            #expect(after == .ok)
            #expect(settings.contains("Velo Borealis"))
        }
    }
}
