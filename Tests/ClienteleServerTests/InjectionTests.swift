import ClienteleCore
import ClienteleSQLite
import ClienteleStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// Injection attempts are harmless: SQL and markup in every text a shop's data can carry (shop name, order,
/// customer and product ids, product names, e-mails, audience names and filters) go into a real SQLite file,
/// come back byte for byte, leave every table intact, and are escaped on every page the router serves.
@Suite struct InjectionTests {
    static let sql = "'); DROP TABLE orders; --"
    static let script = "<script>alert(1)</script>"
    static let img = "<img src=x onerror=alert(2)>"
    static let dkk = Currency(code: "DKK")!

    static func order(_ id: String, _ day: String, customer: String, email: String, product: String, name: String, total: Int64) -> Order {
        let d = ShopDate(iso: day)!
        return Order(id: id, placedAt: Instant(seconds: Int64(d.dayNumber) * 86_400 + 12 * 3600), customerId: customer,
                     email: email, currency: dkk, total: total * 100,
                     lines: [OrderLine(productId: product, productName: name, quantity: 1, unitPrice: total * 100)])
    }

    /// Hostile values everywhere, with two orders per customer so that they reach every report (repeat
    /// customers, bought-together pairs, cycles).
    static let orders: [Order] = [
        order("1\(sql)", "2025-01-10", customer: "c\" OR 1=1 --", email: "\(script)@evil.dk", product: "P\(sql)", name: "\(img)Mug", total: 500),
        order("2\(sql)", "2025-02-10", customer: "c\" OR 1=1 --", email: "\(script)@evil.dk", product: "P\(sql)", name: "\(img)Mug", total: 400),
        order("3", "2025-03-01", customer: "c2\(script)", email: "bo\(sql)@example.dk", product: "Q\(script)", name: "Tea \(script)", total: 300),
        order("4", "2025-04-01", customer: "c2\(script)", email: "bo\(sql)@example.dk", product: "P\(sql)", name: "\(img)Mug", total: 200),
    ]

    @Test func hostileTextIsStoredExactlyAndEscapedOnEveryPage() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clientele-injection-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteOrderStore(path: directory.appendingPathComponent("shop.sqlite").path)
        try await store.saveSettings(ShopSettings(name: "Robert\(Self.sql)\(Self.script)", timeZone: "UTC", currency: "DKK"))
        _ = try await store.replaceOrders(Self.orders)
        let now = Instant(seconds: Int64(ShopDate(iso: "2025-06-30")!.dayNumber) * 86_400)
        try await AudienceRoutes.seedBuiltIns(store, now: now)
        try await store.saveAudience(SavedAudience(name: "VIP\(Self.script)\(Self.sql)", filter: "email = \"bo\(Self.sql)@example.dk\" or orders >= 2",
                                                   createdAt: now, updatedAt: now))

        // Stored exactly and nothing dropped: four orders, every id and name back byte for byte.
        var back: [Order] = []
        try await store.scanOrders { back.append($0) }
        #expect(back.map(\.id).sorted() == Self.orders.map(\.id).sorted())
        #expect(Set(back.compactMap(\.email)) == ["\(Self.script)@evil.dk", "bo\(Self.sql)@example.dk"])
        #expect(Set(back.flatMap(\.lines).map(\.productName)) == ["\(Self.img)Mug", "Tea \(Self.script)"])
        #expect(try await store.counts() == StoreCounts(orders: 4, lines: 4, products: 2))
        #expect(try await store.loadSettings().name == "Robert\(Self.sql)\(Self.script)")
        #expect(try await store.listAudiences().contains { $0.name == "VIP\(Self.script)\(Self.sql)" })

        let service = ShopService(store: store, cachePath: nil, revisionCheckSeconds: 0, now: { now })
        let router = ClienteleServer.router(service: service)
        let templates = router.routes.filter { $0.method == .get && !$0.path.description.contains("**") }.map { $0.path.description }
        let app = Application(router: router)
        let customer = "c\" OR 1=1 --".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let audience = "VIP\(Self.script)\(Self.sql)".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        try await app.test(.router) { client in
            var pages = 0
            for template in templates {
                let path = RouteWalkTests.paths(template) { $0.contains("name") ? [audience] : [customer] }[0]
                try await client.execute(uri: path + "?asOf=2025-06-30&period=this-year", method: .get) { response in
                    let body = String(buffer: response.body)
                    #expect(response.status.code < 500, "\(path): \(response.status)")
                    if response.headers[.contentType]?.hasPrefix("text/html") == true {
                        for payload in [Self.script, Self.img, "<script", "onerror=alert(2)>"] {
                            #expect(!body.contains(payload) || payload == "onerror=alert(2)>" && !body.contains("<img src=x"),
                                    "\(path) has unescaped \(payload)")
                        }
                        pages += 1
                    }
                    if response.headers[.contentType]?.hasPrefix("application/json") == true, response.status == .ok {
                        #expect((try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])) != nil,
                                "\(path) sent JSON that does not parse")
                        // Markup inside JSON strings is inert: the browser is told not to sniff it as HTML.
                        #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(path)")
                    }
                }
            }
            #expect(pages >= 10)
            // The hostile texts are shown (escaped), not dropped: the Customers page lists the e-mail.
            let (_, _, page) = try await ServerFixture.get(client, "/?asOf=2025-06-30&period=this-year")
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;@evil.dk"))
            #expect(page.contains("Robert&#39;); DROP TABLE orders; --&lt;script&gt;"))
        }
        // Every table is still there and holds what it held.
        #expect(try await store.counts() == StoreCounts(orders: 4, lines: 4, products: 2))
        #expect(try await store.listAudiences().count >= 5)
    }
}
