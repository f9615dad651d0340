import ClienteleCore
import ClienteleStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// Saved audiences through the JSON API (docs/api.md, "Audiences") over ServerFixture's shop as of 2025-12-31
/// ("today"): c1 3 orders (600 kr), c2 2 orders (120 kr), c3 1 order (400 kr), c4 1 order (1000 kr).
@Suite struct AudienceAPITests {
    /// Sends `method` `uri` with a JSON `body` (and `headers`): status, headers, the body parsed as a JSON object.
    static func send(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil,
                     headers extra: HTTPFields = [:]) async throws -> (HTTPResponse.Status, HTTPFields, [String: Any]) {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            return (response.status, response.headers, json)
        }
    }

    @Test(arguments: [
        // orders ≥ 2: c1 and c2. revenue > 350: c1 (600), c3 (400), c4 (1000). One order of at least 1000: c4.
        ("orders >= 2", "", 2, 4),
        ("revenue > 350", "", 3, 4),
        ("orders = 1 and revenue >= 1000", "", 1, 4),
        // By 2025-03-01 only c1 (o1, 10 Jan) and c2 (1 and 20 Feb) have ordered; c2 twice.
        ("orders >= 2", "&asOf=2025-03-01", 1, 2),
    ])
    func theCountRouteCountsAFilterWithoutSavingIt(filter: String, query: String, customers: Int, of: Int) async throws {
        try await AudienceFixture.withClient { client, store, state in
            let before = try await store.listAudiences()
            let (status, _, json) = try await Self.send(client, .get, "/api/v1/audiences/count?filter=\(QueryParameters.encode(filter))\(query)")
            #expect(status == .ok)
            #expect(json["customers"] as? Int == customers && json["of"] as? Int == of, "\(json)")
            #expect(json["filter"] as? String == filter)
            if query.isEmpty {
                #expect(json["asOf"] as? String == "2025-12-31")
                #expect(try AudienceFixture.expected(filter, state).mask.filter { $0 }.count == customers)   // the core agrees
            }
            #expect(try await store.listAudiences() == before)
        }
    }

    @Test func theCountRouteRefusesWhatTheFormRefuses() async throws {
        try await AudienceFixture.withClient { client, _, _ in
            let (missing, _, m) = try await Self.send(client, .get, "/api/v1/audiences/count")
            #expect(missing == .badRequest && (m["error"] as? String)?.contains("filter is missing") == true)
            let (bad, _, b) = try await Self.send(client, .get, "/api/v1/audiences/count?filter=revenue+%3E")
            #expect(bad == .unprocessableContent)
            let parsed = AudiencePage.parse("revenue >")
            guard case .failure(let error) = parsed else { Issue.record("revenue > parses"); return }
            #expect(b["line"] as? Int == 1 && b["column"] as? Int == error.column && b["message"] as? String == error.message)
            #expect((b["error"] as? String)?.hasPrefix("filter:1:\(error.column): ") == true)
            let (date, _, d) = try await Self.send(client, .get, "/api/v1/audiences/count?filter=orders+%3E%3D+2&asOf=2025-13-01")
            #expect(date == .badRequest && (d["error"] as? String)?.contains("asOf \"2025-13-01\" is not a date") == true)
        }
    }

    @Test func createChangeAndDeleteAnAudience() async throws {
        try await AudienceFixture.withClient { client, store, _ in
            // Create: 201, its address, the audience with today's count (3, see the suite's comment).
            let (created, headers, json) = try await Self.send(client, .post, "/api/v1/audiences", #"{"name": "big spenders", "filter": "revenue > 350"}"#)
            #expect(created == .created)
            #expect(headers[.location] == "/api/v1/audiences/big%20spenders")
            #expect(json["name"] as? String == "big spenders" && json["filter"] as? String == "revenue > 350")
            #expect(json["builtIn"] as? Bool == false && json["customers"] as? Int == 3)
            let saved = try #require(try await store.listAudiences().first { $0.name == "big spenders" })
            #expect(saved.filter == "revenue > 350" && !saved.builtIn && saved.createdAt == ServerFixture.now)
            // It is listed and shown like any saved audience.
            let (shown, _, overview) = try await Self.send(client, .get, "/api/v1/audiences/big%20spenders")
            #expect(shown == .ok && !overview.isEmpty)

            // The same name again: 409, nothing changed.
            let (again, _, conflict) = try await Self.send(client, .post, "/api/v1/audiences", #"{"name": "big spenders", "filter": "orders >= 1"}"#)
            #expect(again == .conflict && (conflict["error"] as? String)?.contains("exists already") == true)
            #expect(try await store.listAudiences().first { $0.name == "big spenders" }?.filter == "revenue > 350")

            // Change the filter: orders ≥ 2 holds c1 and c2.
            let (changed, _, edited) = try await Self.send(client, .put, "/api/v1/audiences/big%20spenders", #"{"filter": "orders >= 2"}"#)
            #expect(changed == .ok && edited["filter"] as? String == "orders >= 2" && edited["customers"] as? Int == 2)
            #expect(try await store.listAudiences().first { $0.name == "big spenders" }?.filter == "orders >= 2")
            // The name in the body may repeat the address's, not rename it.
            let (same, _, _) = try await Self.send(client, .put, "/api/v1/audiences/big%20spenders", #"{"name": "big spenders", "filter": "orders >= 3"}"#)
            #expect(same == .ok)
            let (rename, _, r) = try await Self.send(client, .put, "/api/v1/audiences/big%20spenders", #"{"name": "small", "filter": "orders >= 3"}"#)
            #expect(rename == .unprocessableContent && (r["error"] as? String)?.contains("cannot be renamed") == true)

            // A built-in's filter can be changed (as the form and clientele audience edit allow); it stays built-in.
            let (builtIn, _, b) = try await Self.send(client, .put, "/api/v1/audiences/lost-vips", #"{"filter": "group = vip"}"#)
            #expect(builtIn == .ok && b["builtIn"] as? Bool == true)
            #expect(try await store.listAudiences().first { $0.name == "lost-vips" }?.builtIn == true)

            // Delete: 200 with the name; then it is gone (404).
            let (deleted, _, d) = try await Self.send(client, .delete, "/api/v1/audiences/big%20spenders")
            #expect(deleted == .ok && d["deleted"] as? String == "big spenders")
            #expect(try await store.listAudiences().contains { $0.name == "big spenders" } == false)
            let (gone, _, _) = try await Self.send(client, .delete, "/api/v1/audiences/big%20spenders")
            #expect(gone == .notFound)
            let (nothing, _, _) = try await Self.send(client, .put, "/api/v1/audiences/nobody", #"{"filter": "orders >= 1"}"#)
            #expect(nothing == .notFound)
        }
    }

    @Test(arguments: [
        (#"{"name": "", "filter": "orders >= 1"}"#, HTTPResponse.Status.unprocessableContent, "The audience needs a name."),
        (#"{"name": " x", "filter": "orders >= 1"}"#, .unprocessableContent, "starts or ends with a space"),
        (#"{"name": "x\u0007", "filter": "orders >= 1"}"#, .unprocessableContent, "without control characters"),
        (#"{"name": "x", "filter": "orders >="}"#, .unprocessableContent, "filter:1:"),
        (#"{"name": "x", "filter": ""}"#, .unprocessableContent, "filter:1:"),
        (#"{"name": "x"}"#, .badRequest, "The body has no filter"),
        (#"{"filter": "orders >= 1"}"#, .badRequest, "The body has no name"),
        (#"{"name": 7, "filter": "orders >= 1"}"#, .badRequest, "name must be a string."),
        (#"{"name": "x", "filter": "orders >= 1", "colour": "red"}"#, .badRequest, "unknown member \"colour\""),
        (#"{"name": "x", "filter": "orders >= 1", "description": "Our best"}"#, .unprocessableContent, "cannot hold a description yet"),
        (#"["x"]"#, .badRequest, "must be a JSON object"),
        (#"{"name": "x", "#, .badRequest, "The body is not JSON"),
    ])
    func aRefusedAudienceIsNotSaved(body: String, status: HTTPResponse.Status, message: String) async throws {
        try await AudienceFixture.withClient { client, store, _ in
            let before = try await store.listAudiences()
            let (got, _, json) = try await Self.send(client, .post, "/api/v1/audiences", body)
            #expect(got == status, "\(body): \(json)")
            #expect((json["error"] as? String)?.contains(message) == true, "\(json)")
            #expect(try await store.listAudiences() == before)
        }
    }

    /// As the dashboard's forms: a browser request from another web site cannot create, change or delete.
    @Test func crossSiteRequestsAreRefused() async throws {
        try await AudienceFixture.withClient { client, store, _ in
            let before = try await store.listAudiences()
            let crossSite: HTTPFields = [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]
            let evil: HTTPFields = [.origin: "https://evil.example"]
            let (post, _, p) = try await Self.send(client, .post, "/api/v1/audiences", #"{"name": "x", "filter": "orders >= 1"}"#, headers: crossSite)
            #expect(post == .forbidden && (p["error"] as? String)?.contains("another web site") == true)
            let (put, _, _) = try await Self.send(client, .put, "/api/v1/audiences/lost-vips", #"{"filter": "orders >= 1"}"#, headers: evil)
            #expect(put == .forbidden)
            let (delete, _, _) = try await Self.send(client, .delete, "/api/v1/audiences/lost-vips", headers: crossSite)
            #expect(delete == .forbidden)
            #expect(try await store.listAudiences() == before)
        }
    }
}
