import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Scale-out: two stateless `clientele serve` processes on one PostgreSQL database (each with its own cache
/// directory, as on two machines). An import through one is seen by the other; a token created with the CLI
/// locks both. Runs when `CLIENTELE_TEST_POSTGRES_URL` is set (scripts/test starts a server).
@Suite("two servers on one PostgreSQL database")
struct TwoServersTests {
    /// A new customer's order, larger than any in the acceptance shop (so she tops the top-customers list).
    static let newOrder = """
        order_id,placed_at,customer_id,email,status,currency,order_total,refunded,product_id,product_name,quantity,unit_price,returned_quantity,country
        TWO-1,2025-09-01T10:00:00+02:00,TWO-C1,two.servers@example.dk,placed,DKK,99999.00,0.00,P00196,Kontaktlinsevæske 360 ml,1,99999.00,0,DK

        """

    static func start(_ url: String, port: Int, cache: String) throws -> Process {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["serve", "--db", url, "--port", String(port)]
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = cache
        env["CLIENTELE_DATABASE_URL"] = nil
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Status and body of a request.
    static func request(_ address: String, method: String = "GET", body: Data? = nil, token: String? = nil) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: address)!)
        request.httpMethod = method
        request.httpBody = body
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("an import through one server is read through the other; a new token locks both")
    func importThroughOneReadThroughTheOther() async throws {
        try await PostgresCLITests.withShop { ws, url, env in
            let csv = PostgresCLITests.acceptance.appendingPathComponent("small.csv").path
            let rates = PostgresCLITests.acceptance.appendingPathComponent("rates.csv").path
            _ = try await PostgresCLITests.run(ws, ["shop", "--db", url, "--timezone", "Europe/Copenhagen", "--currency", "DKK"], env)
            _ = try await PostgresCLITests.run(ws, ["import", csv, "--db", url, "--rates", rates], env)
            let base = 20_000 + Int.random(in: 0..<20_000)
            let a = try Self.start(url, port: base, cache: ws.path("cache-a"))
            let b = try Self.start(url, port: base + 1, cache: ws.path("cache-b"))
            defer { for p in [a, b] { p.terminate(); p.waitUntilExit() } }
            let (serverA, serverB) = ("http://127.0.0.1:\(base)", "http://127.0.0.1:\(base + 1)")
            let query = "/api/v1/customers?asOf=2025-09-15&period=last-12-months"
            for server in [serverA, serverB] {
                var up = false
                for _ in 0..<150 where !up {
                    try await Task.sleep(for: .milliseconds(200))
                    up = (try? await Self.request(server + "/api/v1/settings"))?.0 == 200
                }
                #expect(up, "\(server) never answered")
            }
            let before = try await Self.request(serverB + query)
            #expect(before.0 == 200 && !before.1.contains("two.servers@example.dk"))

            // Import through A (the raw file as the body).
            let imported = try await Self.request(serverA + "/api/v1/import?filename=two.csv", method: "POST", body: Data(Self.newOrder.utf8))
            #expect(imported.0 == 200, "\(imported.1)")
            #expect(imported.1.contains("\"inserted\": 1"), "\(imported.1)")

            // B sees it within its revision check (1 s): the same JSON as the CLI computes from the database.
            var after = before
            for _ in 0..<50 where !after.1.contains("two.servers@example.dk") {
                try await Task.sleep(for: .milliseconds(200))
                after = try await Self.request(serverB + query)
            }
            #expect(after.1.contains("two.servers@example.dk"))
            let report = try await PostgresCLITests.run(ws, ["report", "customers", "--db", url, "--format", "json",
                                                             "--as-of", "2025-09-15", "--period", "last-12-months"], env)
            #expect(after.1.trimmingCharacters(in: .whitespacesAndNewlines) == report.stdout.trimmingCharacters(in: .whitespacesAndNewlines))

            // A token created now (by the CLI, a third process) locks both servers within their 2-second check.
            let token = try await PostgresCLITests.run(ws, ["token", "create", "--role", "viewer", "--db", url], env)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try await Task.sleep(for: .milliseconds(2_500))
            for server in [serverA, serverB] {
                #expect(try await Self.request(server + query).0 == 401, "\(server) without a token")
                let withToken = try await Self.request(server + query, token: token)
                #expect(withToken.0 == 200 && withToken.1 == after.1, "\(server) with the token")
            }
        }
    }
}
