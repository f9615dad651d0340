import ClienteleCore
import ClienteleStore
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// A new shop (no orders, so no currency yet) is served: its report pages and routes answer 503 with the
/// reason, and the Import page (where its first file goes) answers 200.
@Test func aShopWithoutOrdersIsServedAndCanReachTheImportPage() async throws {
    let store = InMemoryOrderStore(settings: ShopSettings(name: "Empty", timeZone: "UTC"))
    let service = try await ClienteleServer.openShop(store: store, cachePath: nil)
    let app = Application(router: ClienteleServer.router(service: service))
    try await app.test(.router) { client in
        let (status, _, body) = try await ServerFixture.get(client, "/api/v1/customers")
        #expect(status == .serviceUnavailable)
        #expect(body.contains("The shop has no orders yet"))
        let (pageStatus, type, page) = try await ServerFixture.get(client, "/")
        #expect(pageStatus == .serviceUnavailable)
        #expect(type.hasPrefix("text/html"))
        #expect(page.contains("The shop has no orders yet"))
        let (importStatus, _, importPage) = try await ServerFixture.get(client, "/import")
        #expect(importStatus == .ok)
        #expect(importPage.contains("multipart/form-data"))
    }
}
