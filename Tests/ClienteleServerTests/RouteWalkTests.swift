import ClienteleCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// Bad input on every route: the test walks the router's whole route table (so a new route is walked too) and
/// sends each one a battery of malformed, out-of-range and hostile requests. Every answer must be a 2xx/3xx or
/// a 4xx with a sentence for the user, never a 5xx, and the server must keep answering.
@Suite struct RouteWalkTests {
    /// Query strings a careless or hostile client sends.
    static let badQueries: [String] = [
        "",
        "from=2025-13-01", "to=2025-02-30", "asOf=yesterday", "asOf=0001-01-01", "asOf=9999-12-31", "asOf=-0001-01-01",
        "from=2025-02-01&to=2025-01-01", "from=0001-01-01&to=9999-12-31", "period=fortnight", "period=this-year&from=2025-01-01",
        "compare=never", "top=99999999999999999999", "top=-1", "top=1e9", "sort=zzz", "by=zzz", "within=zzz", "within=99999999d",
        "margin=NaN", "margin=inf", "cac=-1", "cac=99999999999999999999", "orderValue=1e400", "cohorts=0", "minGaps=0",
        "minSupportCount=-5", "minQuantity=99999999999", "topCustomers=0", "product=%00", "customers=maybe",
        "filter=((((", "filter=" + String(repeating: "(", count: 10_000), "name=" + String(repeating: "x", count: 100_000),
        "%ZZ=%ZZ", "a&&&b==c", "asOf=2025-06-30%00",
    ]

    /// Values for path parameters: a real one and unknown or hostile ones.
    static func pathValues(_ parameter: Substring) -> [String] {
        ["lost-vips", "c1", "ann%40example.dk", "nobody", "%3Cscript%3E", String(repeating: "z", count: 5_000), "..%2F..%2Fetc%2Fpasswd"]
    }

    /// Concrete paths for a route template.
    static func paths(_ template: String) -> [String] { paths(template, values: pathValues) }

    /// Concrete paths for a route template: each `{parameter}` (with what follows it in its segment, e.g.
    /// `.csv`) filled with every one of `values(parameter)`, `**` with a path no route has.
    static func paths(_ template: String, values: (Substring) -> [String]) -> [String] {
        var out = [""]
        for segment in template.split(separator: "/") {
            if segment == "**" {
                out = out.map { $0 + "/no/such/route" }
            } else if segment.hasPrefix("{") {
                let name = segment.dropFirst().prefix { $0 != "}" }
                let suffix = segment.drop { $0 != "}" }.dropFirst()
                out = out.flatMap { p in values(name).map { p + "/" + $0 + suffix } }
            } else {
                out = out.map { $0 + "/" + segment }
            }
        }
        return out.map { $0.isEmpty ? "/" : $0 }
    }

    @Test func everyRouteAnswersBadInputWithoutA5xx() async throws {
        let service = try await ServerFixture.service()
        let router = ClienteleServer.router(service: service)
        let routes = router.routes.map { (method: $0.method, path: $0.path.description) }
        #expect(routes.count >= 25)
        let app = Application(router: router)
        try await app.test(.router) { client in
            var requests = 0
            for route in routes {
                for path in Self.paths(route.path) {
                    for query in Self.badQueries {
                        let uri = query.isEmpty ? path : path + "?" + query
                        let body = route.method == .get ? nil : ByteBuffer(string: query)
                        try await client.execute(uri: uri, method: route.method, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                 body: body) { response in
                            let code = response.status.code
                            #expect(code < 500, "\(route.method) \(uri.prefix(200)) gave \(response.status): \(String(buffer: response.body).prefix(300))")
                            if code >= 400 {
                                let text = String(buffer: response.body)
                                #expect(text.contains("error"), "\(route.method) \(uri.prefix(200)) gave \(code) without a message")
                            }
                        }
                        requests += 1
                    }
                }
            }
            #expect(requests > 1000)
            // Still answering afterwards.
            let (status, _, _) = try await ServerFixture.get(client, "/api/v1/customers")
            #expect(status == .ok)
        }
    }
}
