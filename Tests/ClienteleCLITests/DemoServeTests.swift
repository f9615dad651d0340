import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The README's first command: `clientele demo --serve` generates the demo shop, then serves its dashboard.
@Suite("clientele demo --serve")
struct DemoServeTests {
    @Test("the demo shop's dashboard answers on the given port with the same figures as the report")
    func demoServesTheDashboard() async throws {
        try await Workspace.with { ws in
            let port = 20_000 + Int.random(in: 0..<20_000)
            let process = Process()
            process.executableURL = CLI.binary
            process.currentDirectoryURL = URL(fileURLWithPath: ws.path("."))
            process.arguments = ["demo", "--db", "serve.sqlite", "--orders", "800", "--seed", "3",
                                 "--end-date", "2025-06-30", "--quiet", "--serve", "--port", String(port)]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { process.terminate(); process.waitUntilExit() }

            // Poll until the server answers (generation and start-up take well under a second here).
            var api: String?
            for _ in 0..<100 where api == nil {
                try await Task.sleep(for: .milliseconds(200))
                api = try? await Self.get("http://127.0.0.1:\(port)/api/v1/customers?asOf=2025-06-30")
            }
            let served = try #require(api, "the server never answered")
            // The API's JSON is the report's JSON for the same shop and as-of date.
            let report = try await ws.run("report", "customers", "--db", "serve.sqlite", "--as-of", "2025-06-30",
                                          "--format", "json")
            #expect(served.trimmingCharacters(in: .whitespacesAndNewlines)
                    == report.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            let page = try await Self.get("http://127.0.0.1:\(port)/")
            #expect(page.contains("<html lang="))
            #expect(page.contains("Nordlys Hjem &amp; Krop"))
        }
    }

    static func get(_ address: String) async throws -> String {
        let (data, response) = try await URLSession.shared.data(from: URL(string: address)!)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw URLError(.badServerResponse) }
        return String(decoding: data, as: UTF8.self)
    }
}
