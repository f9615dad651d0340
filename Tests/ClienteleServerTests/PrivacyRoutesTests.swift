import ClienteleCore
import ClienteleStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// The export route and the forget form (docs/privacy.md) over `ServerFixture`'s shop: c1 has o1–o3
/// (ann@example.dk), c2 o4 and o5 (bo@example.dk), c3 o6, c4 o7, and o8 is anonymous; as of 2025-12-31.
@Suite struct PrivacyRoutesTests {
    static func json(_ body: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    /// `json[path…]` through objects (string keys) and arrays (int indices).
    static func value(_ json: Any?, _ path: Any...) -> Any? {
        var current = json
        for key in path {
            if let k = key as? String { current = (current as? [String: Any])?[k] }
            if let i = key as? Int { current = (current as? [Any]).flatMap { $0.indices.contains(i) ? $0[i] : nil } }
        }
        return current
    }

    static func integer(_ v: Any?) -> Int? { (v as? NSNumber)?.intValue }

    @Test func theExportHoldsTheCustomersStoredOrdersAndTheAudiencesTheyAreIn() async throws {
        try await AudienceFixture.withClient { client, store, state in
            try await store.saveAudience(SavedAudience(name: "ann", filter: "email = \"ann@example.dk\"",
                                                       createdAt: ServerFixture.now, updatedAt: ServerFixture.now))
            let (status, type, body) = try await ServerFixture.get(client, "/api/v1/customers/c1/export?asOf=2025-12-31")
            #expect(status == .ok)
            #expect(type.hasPrefix("application/json"))
            let root = try Self.json(body)
            #expect(root["export"] as? String == "clientele-customer-export-v1")
            #expect(Self.value(root, "request", "customer") as? String == "c1")
            let orders = try #require(root["orders"] as? [[String: Any]])
            #expect(orders.map { $0["id"] as? String } == ["o1", "o2", "o3"])
            #expect(orders.map { $0["total"] as? String } == ["100.00", "200.00", "300.00"])
            #expect(Self.value(root, "customers", 0, "emails") as? [String] == ["ann@example.dk"])
            // The audiences c1 is in: each saved filter evaluated by the core for the snapshot's c1.
            let c1 = try #require(state.snapshot.customer(withKey: "c1"))
            var expected: [String] = []
            for audience in try await store.listAudiences() {
                guard let filter = try? AudienceFilter(audience.filter), !filter.usesPredictions else { continue }
                if try AudienceFixture.expected(audience.filter, state).mask[c1] { expected.append(audience.name) }
            }
            #expect(expected.contains("ann"))
            #expect(Self.value(root, "customers", 0, "audiences") as? [String] == expected)

            let (missing, _, text) = try await ServerFixture.get(client, "/api/v1/customers/nobody%40example.dk/export")
            #expect(missing == .notFound)
            #expect(!text.contains("nobody"), "the key is not repeated: \(text)")
        }
    }

    @Test func forgettingNeedsTheBoxTickedThenLeavesTheTotalsAndDropsTheCustomer() async throws {
        try await AudienceFixture.withClient { client, store, _ in
            let (page, _, form) = try await ServerFixture.get(client, "/customers/c2/forget")
            #expect(page == .ok)
            #expect(form.contains("all 2 of their orders") && form.contains("name=\"confirm\""), "\(form)")
            let before = try Self.json(try await ServerFixture.get(client, "/api/v1/customers").2)
            let checksum = try await store.contentChecksum()

            // Not ticked: 422, nothing changes. From another site: 403, nothing changes.
            let (unticked, _, again) = try await AudienceFixture.post(client, "/customers/c2/forget", [])
            #expect(unticked == .unprocessableContent)
            #expect(again.contains("Tick the box"))
            let (crossSite, _, _) = try await AudienceFixture.post(client, "/customers/c2/forget", [("confirm", "yes")],
                                                                  headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite == .forbidden)
            #expect(try await store.contentChecksum() == checksum)

            let (done, _, result) = try await AudienceFixture.post(client, "/customers/c2/forget", [("confirm", "yes")])
            #expect(done == .ok)
            #expect(result.contains("Forgot 1 customer: 2 orders anonymised"), "\(result)")
            #expect(!result.contains("bo@example.dk"))
            #expect(try await store.privacyLog().map(\.orders) == [2])

            // o4 and o5 (50 + 70 kroner) stay in the totals as anonymous orders; c1, c3 and c4 remain.
            let after = try Self.json(try await ServerFixture.get(client, "/api/v1/customers").2)
            #expect(Self.integer(Self.value(after, "uniqueCustomers")) == Self.integer(Self.value(before, "uniqueCustomers")).map { $0 - 1 })
            #expect(Self.integer(Self.value(after, "totals", "orders")) == Self.integer(Self.value(before, "totals", "orders")))
            #expect(Self.value(after, "totals", "revenue") as? String == Self.value(before, "totals", "revenue") as? String)
            #expect(Self.integer(Self.value(after, "totals", "anonymousOrders")) == Self.integer(Self.value(before, "totals", "anonymousOrders")).map { $0 + 2 })
            #expect(try await ServerFixture.get(client, "/customers/c2").0 == .notFound)
            #expect(try await AudienceFixture.post(client, "/customers/c2/forget", [("confirm", "yes")]).0 == .notFound)
        }
    }
}
