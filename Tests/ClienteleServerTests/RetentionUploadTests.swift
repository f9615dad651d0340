import ClienteleCore
import ClienteleStore
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// The shop's retention limit applies after a dashboard upload as after `clientele import` (docs/privacy.md).
@Test func anUploadAppliesTheShopsRetentionLimit() async throws {
    var settings = ShopSettings(name: "Test & Co", timeZone: "UTC", currency: "DKK")
    settings.retentionYears = 1
    let store = InMemoryOrderStore(settings: settings)
    _ = try await store.replaceOrders(ServerFixture.orders)
    let now = ServerFixture.now   // 2025-12-31: every fixture order is within the last year
    let service = ShopService(store: store, cachePath: nil, revisionCheckSeconds: 0, now: { now })
    let app = Application(router: ClienteleServer.router(service: service))
    // One order from 2024-06-01 for a new customer (last order before 2024-12-31, the cut-off), one recent.
    let csv = """
        order_id,placed_at,customer_id,email,status,currency,order_total,refunded,product_id,product_name,quantity,unit_price,returned_quantity,country
        OLD-1,2024-06-01T10:00:00Z,OLD,old@example.dk,placed,DKK,100.00,0.00,P1,Product P1,1,100.00,0,DK
        NEW-1,2025-06-01T10:00:00Z,NEW,new@example.dk,placed,DKK,100.00,0.00,P1,Product P1,1,100.00,0,DK

        """
    try await app.test(.router) { client in
        try await client.execute(uri: "/api/v1/import?filename=orders.csv", method: .post, body: ByteBuffer(string: csv)) { response in
            #expect(response.status == .ok, "\(String(buffer: response.body))")
        }
    }
    var byId: [String: Order] = [:]
    try await store.scanOrders { byId[$0.id] = $0 }
    #expect(byId["OLD-1"]?.email == nil && byId["OLD-1"]?.customerId == nil && byId["OLD-1"]?.country == nil)
    #expect(byId["OLD-1"]?.total == 10_000, "the order stays, anonymous")
    #expect(byId["NEW-1"]?.email == "new@example.dk")
    #expect(byId["o1"]?.email == "ann@example.dk")
    let log = try await store.privacyLog()
    #expect(log.map(\.action) == [.retention] && log.first?.customers == 1 && log.first?.orders == 1)
}
