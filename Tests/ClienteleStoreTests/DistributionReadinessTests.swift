import ClienteleCore
import ClienteleStore
import ClientelePostgres
import Foundation
import Testing

/// docs/deployment.md distributes the schema by shop on Citus: these are the rules its statements need, checked
/// against the real schema in PostgreSQL's catalog (Citus itself is not installed in CI). A new table must be
/// put in one of the two lists (and in the document) or this test fails.
@Suite("PostgreSQL schema: ready to distribute by shop")
struct DistributionReadinessTests {
    /// The tables docs/deployment.md distributes by `shop_id`.
    static let distributed: Set<String> = ["orders", "order_lines", "products", "store_revision", "audiences", "audience_seed", "forgotten_orders"]
    /// The tables docs/deployment.md copies to every node.
    static let reference: Set<String> = ["shops", "api_tokens", "users", "sessions", "privacy_log", "clientele_migrations"]

    /// Rows of `sql` run by psql in `schema` (fields split at "|").
    static func query(_ base: String, schema: String, _ sql: String) throws -> [[String]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-X", "-q", "-A", "-t", base, "-c", sql.replacingOccurrences(of: "$SCHEMA", with: "'\(schema)'")]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw StoreError(.storageFailure, "psql failed") }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func everyTableIsListedAndDistributedTablesAreKeyedByShop() async throws {
        guard PostgresTestServer.isConfigured else { return }
        let base = try #require(PostgresTestServer.baseURL)
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/psql"))
        let scratch = try TestScratch()
        let store = try await PostgresOrderStore.open(url: try PostgresTestServer.url(schema: scratch.uniqueName))
        defer { Task { try? await store.dropSchema(); await store.close() } }
        _ = try await store.counts()   // the tables exist from here on

        let tables = Set(try Self.query(base, schema: scratch.uniqueName,
                                        "SELECT table_name FROM information_schema.tables WHERE table_schema = $SCHEMA AND table_type = 'BASE TABLE'").map { $0[0] })
        #expect(tables.contains("orders"), "\(tables)")
        #expect(tables == Self.distributed.union(Self.reference), "every table is distributed or a reference table: \(tables.sorted())")

        let columns = try Self.query(base, schema: scratch.uniqueName,
                                     "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $SCHEMA")
        for table in Self.distributed {
            #expect(columns.contains { $0 == [table, "shop_id"] }, "\(table) has no shop_id")
        }
        // Primary keys, unique constraints and foreign keys with their columns and referenced table.
        let constraints = try Self.query(base, schema: scratch.uniqueName, """
            SELECT c.conrelid::regclass::text, c.contype,
                   array_to_string(array(SELECT a.attname FROM unnest(c.conkey) k JOIN pg_attribute a
                                         ON a.attrelid = c.conrelid AND a.attnum = k), ','),
                   coalesce(c.confrelid::regclass::text, '')
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE n.nspname = $SCHEMA AND c.contype IN ('p', 'u', 'f')
            """)
        #expect(constraints.count >= 10)
        func bare(_ name: String) -> String { String(name.split(separator: ".").last ?? Substring(name)).replacingOccurrences(of: "\"", with: "") }
        for row in constraints {
            let (table, kind, keys, referenced) = (bare(row[0]), row[1], row[2].split(separator: ",").map(String.init), bare(row[3]))
            guard Self.distributed.contains(table) else { continue }
            switch kind {
            case "p", "u":
                #expect(keys.contains("shop_id"), "\(table): a \(kind == "p" ? "primary key" : "unique constraint") without shop_id: \(keys)")
            default:
                if Self.distributed.contains(referenced) {
                    #expect(keys.contains("shop_id"), "\(table) → \(referenced): a foreign key between distributed tables without shop_id")
                } else {
                    #expect(Self.reference.contains(referenced), "\(table) → \(referenced): must refer to a reference table")
                }
            }
        }
    }
}
