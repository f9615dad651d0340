import ClienteleCore
import ClienteleStore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import ClienteleServer

/// The response cache: answers kept per revision, date and query; an import empties it; errors and saved
/// audiences are never kept; concurrent requests compute once; the byte limit holds.
@Suite struct ResponseCacheTests {
    /// A service and its in-memory store (the fixture's shop, revision checked on every request).
    static func serviceAndStore() async throws -> (ShopService, InMemoryOrderStore) {
        let store = InMemoryOrderStore(settings: ShopSettings(name: "Test & Co", timeZone: "UTC", currency: "DKK"))
        _ = try await store.replaceOrders(ServerFixture.orders)
        try await AudienceRoutes.seedBuiltIns(store, now: ServerFixture.now)
        let now = ServerFixture.now
        return (ShopService(store: store, cachePath: nil, revisionCheckSeconds: 0, now: { now }), store)
    }

    @Test func aSecondRequestIsAnsweredFromTheCacheWithTheSameBody() async throws {
        let (service, _) = try await Self.serviceAndStore()
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in
            let first = try await ServerFixture.get(client, "/api/v1/customers?period=last-12-months")
            let second = try await ServerFixture.get(client, "/api/v1/customers?period=last-12-months")
            #expect(first.0 == .ok && second.0 == .ok)
            #expect(first.1 == second.1)   // the content type is kept with the body
            #expect(first.2 == second.2)
            // Another query is another answer.
            let other = try await ServerFixture.get(client, "/api/v1/customers?period=last-3-months")
            #expect(other.0 == .ok)
            #expect(other.2 != first.2)
        }
        #expect(await service.responses.misses == 2)
        #expect(await service.responses.hits == 1)
        #expect(await service.responses.count == 2)
    }

    @Test func anImportEmptiesTheCacheAndTheNextAnswerHasTheNewOrders() async throws {
        let (service, store) = try await Self.serviceAndStore()
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in
            let before = try await ServerFixture.get(client, "/api/v1/customers")
            #expect(!before.2.contains("eve@example.dk"))
            // A new customer with the shop's largest order (5 000 kr; the fixture's largest is c4's 1 000 kr).
            _ = try await store.replaceOrders([ServerFixture.order("o9", "2025-12-01", customer: "c5",
                                                                   email: "eve@example.dk", total: 5000)])
            let after = try await ServerFixture.get(client, "/api/v1/customers")
            #expect(after.0 == .ok)
            #expect(after.2.contains("eve@example.dk"))
            // Byte-equal to the core's answer computed from the new state without the cache.
            let state = try await service.current()
            let fresh = ShopReports(state: state, query: QueryParameters(query: nil), today: service.today(state.calendar))
            #expect(after.2 == (try fresh.customers().json()))
            let page = try await ServerFixture.get(client, "/")
            #expect(page.2.contains("eve@example.dk"))
        }
        #expect(await service.responses.hits == 0)
    }

    @Test func errorsAreNotKept() async throws {
        let (service, _) = try await Self.serviceAndStore()
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in
            for _ in 0..<2 {
                let (status, _, body) = try await ServerFixture.get(client, "/api/v1/customers?period=fortnight")
                #expect(status == .badRequest)
                #expect(body.contains("period"))
            }
        }
        #expect(await service.responses.count == 0)
        #expect(await service.responses.hits == 0)
    }

    @Test func savedAudiencesAreNeverServedStale() async throws {
        let (service, store) = try await Self.serviceAndStore()
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in
            let before = try await ServerFixture.get(client, "/api/v1/audiences")
            #expect(!before.2.contains("Big spenders"))
            // Saving an audience changes no revision, so a revision-keyed answer would be stale.
            try await store.saveAudience(SavedAudience(name: "Big spenders", filter: "revenue > 500",
                                                       createdAt: ServerFixture.now, updatedAt: ServerFixture.now))
            let after = try await ServerFixture.get(client, "/api/v1/audiences")
            #expect(after.2.contains("Big spenders"))
            let page = try await ServerFixture.get(client, "/audiences")
            #expect(page.2.contains("Big spenders"))
        }
    }

    @Test func concurrentRequestsForOneAnswerComputeItOnce() async throws {
        let (service, _) = try await Self.serviceAndStore()
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in
            let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<16 {
                    group.addTask { try await ServerFixture.get(client, "/analytics").2 }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(bodies.count == 16)
            #expect(Set(bodies).count == 1)
        }
        #expect(await service.responses.misses == 1)
        #expect(await service.responses.hits == 15)
    }

    @Test func theByteLimitHoldsAndTheOldestAnswersGoFirst() async throws {
        let cache = ResponseCache(limitBytes: 1000)
        func entry(_ size: Int) -> ResponseCache.Entry {
            ResponseCache.Entry(status: .ok, headers: [:], body: ByteBuffer(repeating: 0x61, count: size))
        }
        for i in 0..<10 {
            #expect(await cache.lookup("k\(i)", revision: "r1") == nil)
            await cache.fill("k\(i)", revision: "r1", entry: entry(200))
        }
        // 10 × 200 bytes into 1 000: the five oldest dropped.
        #expect(await cache.storedBytes == 1000)
        #expect(await cache.count == 5)
        #expect(await cache.evictions == 5)
        #expect(await cache.lookup("k0", revision: "r1") == nil)
        await cache.abandon("k0")
        #expect(await cache.lookup("k9", revision: "r1") != nil)
        // A body over a quarter of the limit is handed to its waiters but not kept.
        #expect(await cache.lookup("big", revision: "r1") == nil)
        await cache.fill("big", revision: "r1", entry: entry(251))
        #expect(await cache.count == 5)
        // A new revision drops everything.
        #expect(await cache.lookup("k9", revision: "r2") == nil)
        #expect(await cache.count == 0)
        #expect(await cache.storedBytes == 0)
    }
}
