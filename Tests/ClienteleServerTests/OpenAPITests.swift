import ClienteleCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// The OpenAPI document matches the routes: the same set of operations as the router's route table, and every
/// documented parameter with a type is read by its route (a bad value for it is a 400 that names it).
@Suite struct OpenAPITests {
    /// The router's API routes as "METHOD /path" (the catch-all for unknown API paths left out).
    static func servedAPIRoutes() async throws -> Set<String> {
        let router = ClienteleServer.router(service: try await ServerFixture.service())
        return Set(router.routes.map { "\($0.method) \($0.path)" }.filter { $0.contains(" /api/v1/") && !$0.hasSuffix("/**") })
    }

    @Test func theDocumentListsExactlyTheServedRoutes() async throws {
        let served = try await Self.servedAPIRoutes()
        let documented = Set(OpenAPIDocument.operations.map { "\($0.method) \($0.servedBy ?? $0.path)" })
        #expect(served.subtracting(documented).sorted() == [], "served but not in the OpenAPI document")
        #expect(documented.subtracting(served).sorted() == [], "in the OpenAPI document but not served")
        #expect(served.count >= 19)
    }

    @Test func theDocumentIsServedAsOpenAPI31JSON() async throws {
        try await ServerFixture.withClient { client, _ in
            let (status, type, body) = try await ServerFixture.get(client, "/api/v1/openapi.json")
            #expect(status == .ok)
            #expect(type.hasPrefix("application/json"))
            let root = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            #expect(root["openapi"] as? String == "3.1.0")
            let paths = try #require(root["paths"] as? [String: Any])
            #expect(Set(paths.keys) == Set(OpenAPIDocument.operations.map(\.path)))
            // Every operation has a 200 response, a unique operationId and its path parameters declared.
            var ids = Set<String>()
            for (path, item) in paths {
                for (_, operation) in try #require(item as? [String: Any]) {
                    let op = try #require(operation as? [String: Any])
                    let id = try #require(op["operationId"] as? String)
                    #expect(ids.insert(id).inserted, "operationId \(id) twice")
                    #expect((op["responses"] as? [String: Any])?["200"] != nil)
                    let declared = Set(((op["parameters"] as? [[String: Any]]) ?? []).filter { $0["in"] as? String == "path" }
                        .compactMap { $0["name"] as? String })
                    let inPath = Set(path.split(separator: "{").dropFirst().compactMap { $0.split(separator: "}").first.map(String.init) })
                    #expect(declared == inPath, "\(path): path parameters \(inPath) declared as \(declared)")
                }
            }
        }
    }

    /// A value the parameter's kind refuses, or nil for kinds any text is allowed for.
    static func badValue(_ kind: APIParameter.Kind) -> String? {
        switch kind {
        case .date: return "2025-13-01"
        case .isoWeek: return "2021-W53"
        case .integer, .number, .amount, .duration: return "xyz"
        case .choice: return "zzz"
        case .flag, .text: return nil
        }
    }

    @Test func everyDocumentedParameterIsReadByItsRoute() async throws {
        try await ServerFixture.withClient { client, _ in
            var checked = 0
            for op in OpenAPIDocument.operations where op.method == "GET" {
                let path = op.path.replacingOccurrences(of: "{name}", with: "lost-vips")
                for p in op.parameters where p.location == .query {
                    guard let bad = Self.badValue(p.kind) else { continue }
                    var query = "\(p.name)=\(bad)"
                    if p.name == "from" { query += "&to=2025-12-31" }
                    if p.name == "to" { query += "&from=2025-01-01" }
                    let (status, type, body) = try await ServerFixture.get(client, "\(path)?\(query)")
                    #expect(status == .badRequest, "\(op.path)?\(query) gave \(status)")
                    #expect(type.hasPrefix("application/json"))
                    #expect(body.contains("\(p.name) \\\"\(bad)\\\""), "\(op.path)?\(query): \(body)")
                    checked += 1
                }
            }
            #expect(checked >= 45)
        }
    }
}
