import Foundation
import Testing

/// The CLI against PostgreSQL (`--db postgres://…`, `CLIENTELE_DATABASE_URL`): the same imports and the same
/// reports, byte for byte, as against a SQLite file. Runs when `CLIENTELE_TEST_POSTGRES_URL` is set (scripts/test
/// starts a server and sets it); with `CLIENTELE_REQUIRE_POSTGRES=1` a missing server fails instead of skipping.
@Suite("CLI on PostgreSQL")
struct PostgresCLITests {
    static let environment = ProcessInfo.processInfo.environment

    /// The repository's copy of the acceptance data (Tests/Acceptance).
    static let acceptance = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Acceptance")

    /// The test server's URL, or nil (the test then records an issue only when PostgreSQL is required).
    static func baseURL() -> String? {
        if let url = environment["CLIENTELE_TEST_POSTGRES_URL"], !url.isEmpty { return url }
        if environment["CLIENTELE_REQUIRE_POSTGRES"] == "1" {
            Issue.record("CLIENTELE_REQUIRE_POSTGRES=1 but CLIENTELE_TEST_POSTGRES_URL is not set: start a server with scripts/postgres")
        }
        return nil
    }

    /// Runs `body` with a URL naming a fresh schema and an environment whose cache directory is the workspace's;
    /// drops the schema afterwards (with psql, when it is installed).
    static func withShop(_ body: (Workspace, String, [String: String]) async throws -> Void) async throws {
        guard let base = baseURL() else { return }
        let schema = "clientele_cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let url = base + (base.contains("?") ? "&" : "?") + "schema=" + schema
        try await Workspace.with { ws in
            let env = ["XDG_CACHE_HOME": ws.path("cache"), "CLIENTELE_DATABASE_URL": ""]
            defer { dropSchema(schema, base: base) }
            try await body(ws, url, env)
        }
    }

    static func dropSchema(_ schema: String, base: String) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/psql") else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-X", "-q", base, "-c", "DROP SCHEMA IF EXISTS \(schema) CASCADE"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
    }

    static func run(_ ws: Workspace, _ args: [String], _ env: [String: String],
                    sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIResult {
        let r = try await ws.run(args, environment: env)
        #expect(r.status == 0, "clientele \(args.joined(separator: " ")) failed:\n\(r)", sourceLocation: sourceLocation)
        return r
    }

    @Test("import and report customers on PostgreSQL print exactly what they print on SQLite")
    func sameOutputAsSQLite() async throws {
        try await Self.withShop { ws, url, env in
            let csv = Self.acceptance.appendingPathComponent("small.csv").path
            let rates = Self.acceptance.appendingPathComponent("rates.csv").path
            let period = ["--from", "2024-01-01", "--to", "2024-12-31", "--as-of", "2025-09-15", "--compare", "previous"]
            var outputs: [[String]] = []
            for db in ["shop.sqlite", url] {
                var out: [String] = []
                out.append(try await Self.run(ws, ["shop", "--db", db, "--timezone", "Europe/Copenhagen", "--currency", "DKK"], env).stdout)
                out.append(try await Self.run(ws, ["import", csv, "--db", db, "--rates", rates], env).stdout)
                out.append(try await Self.run(ws, ["report", "customers", "--db", db, "--format", "json"] + period, env).stdout)
                out.append(try await Self.run(ws, ["report", "customers", "--db", db, "--format", "csv"] + period, env).stdout)
                // The same file again changes nothing; the report is read from the cached snapshot or rebuilt alike.
                out.append(try await Self.run(ws, ["import", csv, "--db", db, "--rates", rates], env).stdout)
                out.append(try await Self.run(ws, ["report", "customers", "--db", db, "--format", "json"] + period, env).stdout)
                outputs.append(out)
            }
            let (sqlite, postgres) = (outputs[0], outputs[1])
            #expect(postgres.count == sqlite.count)
            for (i, (a, b)) in zip(sqlite, postgres).enumerated() {
                #expect(Array(a.utf8) == Array(b.utf8), "output \(i) differs:\n--- SQLite\n\(a)\n--- PostgreSQL\n\(b)")
            }
            // Hand check of what was compared: the acceptance file's 2000 orders, all new, then all unchanged.
            #expect(summaryRows(postgres[1])["Stored"] == "2000 inserted, 0 replaced, 0 unchanged")
            #expect(summaryRows(postgres[4])["Stored"] == "0 inserted, 0 replaced, 2000 unchanged")
            #expect(postgres[2].contains("\"currency\": \"DKK\""))
            // The snapshot was cached in the cache directory, not beside a file named like the URL.
            let cached = try FileManager.default.subpathsOfDirectory(atPath: ws.path("cache"))
            #expect(cached.contains { $0.hasSuffix("shop.snapshot") }, "\(cached)")
        }
    }

    @Test("CLIENTELE_DATABASE_URL selects PostgreSQL without --db; shop and audience commands work on it")
    func environmentSelectsPostgres() async throws {
        try await Self.withShop { ws, url, env in
            var env = env
            env["CLIENTELE_DATABASE_URL"] = url
            try ws.write("orders.csv", SmallShop.csv)
            try ws.write("rates.csv", SmallShop.rates)
            _ = try await Self.run(ws, ["shop", "--timezone", "Europe/Copenhagen", "--currency", "DKK"], env)
            let imported = try await Self.run(ws, ["import", "orders.csv", "--rates", "rates.csv"], env)
            // SmallShop: 8 orders (1001…1008), 10 lines.
            #expect(summaryRows(imported.stdout)["Stored"] == "8 inserted, 0 replaced, 0 unchanged")
            let shop = try await Self.run(ws, ["shop"], env)
            #expect(shop.stdout.contains("Europe/Copenhagen"))
            _ = try await Self.run(ws, ["audience", "create", "repeaters", "--filter", "orders >= 2"], env)
            let list = try await Self.run(ws, ["audience", "list", "--as-of", "2025-03-31", "--format", "json"], env)
            #expect(list.stdout.contains("\"repeaters\""), "\(list)")
            // C1 and C2 order at least twice by 2025-03-31 (SmallShop's comment); the guest and anonymous orders do not.
            let show = try await Self.run(ws, ["audience", "show", "repeaters", "--as-of", "2025-03-31", "--format", "json"], env)
            #expect(show.stdout.contains("\"customers\": 2"), "\(show)")
            // No file named like the URL appears in the working directory.
            let files = try FileManager.default.contentsOfDirectory(atPath: ws.url.path)
            #expect(!files.contains { $0.hasPrefix("postgres") }, "\(files)")
        }
    }

    @Test("a server that cannot be reached is named in the error, without the password")
    func unreachableServer() async throws {
        try await Workspace.with { ws in
            let r = try await ws.run(["report", "customers", "--db", "postgres://anna:hunter2@127.0.0.1:1/shop?sslmode=disable&connect_timeout=5"])
            #expect(r.status != 0)
            #expect(r.stderr.contains("127.0.0.1:1"), "\(r)")
            #expect(r.stderr.contains("check that the server is running"), "\(r)")
            #expect(!r.stderr.contains("hunter2") && !r.stdout.contains("hunter2"), "\(r)")
        }
    }
}
