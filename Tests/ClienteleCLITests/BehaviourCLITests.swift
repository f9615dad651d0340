import Foundation
import Testing

/// `clientele report when|together|cycles|due|products` through the built binary: the acceptance shop's
/// bought-together pairs and purchase cycles against figures computed independently of Clientele, and
/// hand-counted figures on the small shop.
@Suite("clientele report: behaviour")
struct BehaviourCLITests {
    /// The repository root, found from this file's path (Tests/ClienteleCLITests/…).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let acceptance = root.appendingPathComponent("Tests/Acceptance")

    /// Imports the acceptance file (Europe/Copenhagen, DKK, with its rate table) into `shop.sqlite`.
    static func importAcceptance(_ ws: Workspace) async throws {
        try await ws.succeed("shop", "--db", "shop.sqlite", "--timezone", "Europe/Copenhagen", "--currency", "DKK")
        try await ws.succeed("import", acceptance.appendingPathComponent("small.csv").path, "--db", "shop.sqlite",
                             "--rates", acceptance.appendingPathComponent("rates.csv").path)
    }

    static func expected() throws -> [String: Any] {
        let data = try Data(contentsOf: acceptance.appendingPathComponent("small.expected.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Runs a report with `--format json` and parses it.
    static func json(_ ws: Workspace, _ args: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let r = try await ws.run(["report"] + args + ["--format", "json"])
        #expect(r.status == 0, "report failed:\n\(r)", sourceLocation: sourceLocation)
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
                            "not a JSON object:\n\(r.stdout)", sourceLocation: sourceLocation)
    }

    @Test("Bought together and purchase cycles match the acceptance figures")
    func acceptance() async throws {
        let expected = try Self.expected()
        try await Workspace.with { ws in
            try await Self.importAcceptance(ws)
            // Bought together over 2024-09-14 … 2025-09-14 (the last 12 months as of 2025-09-14).
            let want = try #require(expected["bought_together"] as? [String: Any])
            let wantPairs = try #require(want["pairs"] as? [[String: Any]])
            let got = try await Self.json(ws, ["together", "--db", "shop.sqlite", "--as-of", "2025-09-14",
                                               "--min-support-count", "1", "--top", String(wantPairs.count)])
            #expect(value(got, "period", "from") as? String == "2024-09-14")
            #expect(value(got, "period", "to") as? String == "2025-09-14")
            #expect(integer(got["orders"]) == integer(want["orders"]))
            let gotPairs = try #require(got["pairs"] as? [[String: Any]])
            #expect(gotPairs.count == wantPairs.count)
            for (g, w) in zip(gotPairs, wantPairs) {
                let label = "\(w["product_a"] ?? "")–\(w["product_b"] ?? "")"
                #expect(g["productA"] as? String == w["product_a"] as? String, "\(label)")
                #expect(g["productB"] as? String == w["product_b"] as? String, "\(label)")
                #expect(integer(g["supportCount"]) == integer(w["support_count"]), "\(label)")
                #expect(integer(g["ordersWithA"]) == integer(w["orders_with_a"]), "\(label)")
                #expect(integer(g["ordersWithB"]) == integer(w["orders_with_b"]), "\(label)")
                // The expected file rounds to 10 significant digits or decimals.
                for (mine, theirs) in [("support", "support"), ("confidenceAB", "confidence_a_b"),
                                       ("confidenceBA", "confidence_b_a"), ("lift", "lift")] {
                    let a = try #require(number(g[mine])), b = try #require(number(w[theirs]))
                    #expect(abs(a - b) <= 1e-8 * max(1, abs(b)), "\(label) \(mine): \(a) vs \(b)")
                }
            }

            // Purchase cycles: identified orders up to the end of 2025-09-14; products with ≥ 4 gaps (the default).
            let wantCycles = try #require(expected["purchase_cycles"] as? [[String: Any]])
            let cycles = try await Self.json(ws, ["cycles", "--db", "shop.sqlite", "--as-of", "2025-09-14"])
            let gotCycles = try #require(cycles["products"] as? [[String: Any]])
            #expect(gotCycles.map { $0["productId"] as? String } == wantCycles.map { $0["product_id"] as? String })
            for (g, w) in zip(gotCycles, wantCycles) {
                let id = w["product_id"] as? String ?? ""
                #expect(integer(g["gaps"]) == integer(w["gaps"]), "\(id)")
                let gm = try #require(number(g["medianDays"])), wm = try #require(number(w["median_days"]))
                let gr = try #require(number(g["reminderAfterDays"])), wr = try #require(number(w["reminder_after_days"]))
                // The expected file has 6 decimals.
                #expect(abs(gm - wm) < 1e-6, "\(id) median \(gm) vs \(wm)")
                #expect(abs(gr - wr) < 1e-6, "\(id) reminder \(gr) vs \(wr)")
            }

            // The reminder list for the week from 2025-09-14: every due date in the window, rows as CSV.
            let due = try await ws.run("report", "due", "--db", "shop.sqlite", "--as-of", "2025-09-14", "--within", "1w", "--format", "csv")
            #expect(due.succeeded, "\(due)")
            let rows = due.stdout.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            #expect(rows.first?.joined(separator: ",") == "customer,email,product_id,product_name,last_order_id,last_purchase,due_date,purchases,cycle_days,reminder_after_days")
            let cycleIds = Set(wantCycles.compactMap { $0["product_id"] as? String })
            for row in rows.dropFirst() where row.count == 10 {
                #expect(row[6] >= "2025-09-14" && row[6] <= "2025-09-20", "\(row)")
                #expect(cycleIds.contains(String(row[2])), "\(row)")
            }
        }
    }

    @Test("report when places orders by shop-time weekday and hour; --top-customers keeps the best customers' orders")
    func when() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let j = try await Self.json(ws, ["when", "--db", "shop.sqlite"] + SmallShop.periodOptions)
            // Q1 2025 in Copenhagen: 1002 Sun 10:00, 1003 Mon 09:00, 1004 Sat 1 Feb 00:30 (23:30 UTC on Friday),
            // 1005 Sat 15:00, 1007 Wed 12:00, 1008 Mon 11:00 (anonymous); 1006 is cancelled.
            #expect(integer(j["orders"]) == 6)
            let grid = try #require(value(j, "hourWeekday", "orders") as? [[Any]])
            #expect(integer(grid[6][10]) == 1)   // Sunday 10
            #expect(integer(grid[5][0]) == 1)    // Saturday 00
            #expect(integer(grid[4][23]) == 0)   // not Friday 23 (its UTC time)
            #expect(integer(grid[0][9]) == 1 && integer(grid[0][11]) == 1)
            #expect(integer(value(j, "byMonthOfYear", 1, "orders")) == 2)   // February: 1004 and 1005
            // Top customer by revenue in Q1: C1 (500.00 + 300.00 + 745.93) with 1002, 1004 and 1007.
            let top = try await Self.json(ws, ["when", "--db", "shop.sqlite", "--top-customers", "1"] + SmallShop.periodOptions)
            #expect(integer(top["orders"]) == 3)
            #expect(top["revenue"] as? String == "1545.93")
            let table = try await ws.run(["report", "when", "--db", "shop.sqlite"] + SmallShop.periodOptions)
            #expect(table.succeeded)
            #expect(table.stdout.contains("█"))
        }
    }

    @Test("report products lists best sellers by units and line revenue in shop currency")
    func products() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let j = try await Self.json(ws, ["products", "--db", "shop.sqlite", "--top-customers", "1"] + SmallShop.periodOptions)
            // Units: Mug 2 + 1 = 3, Tea 1 + 5 + 2 = 8, Kettle 1 + 1 + 1 = 3. Revenue: Mug 400.00 + 300.00 = 700.00,
            // Tea 100.00 + 500.00 + 250.02 = 850.02, Kettle 500.00 + 745.93 (99.99 EUR × 7.46) + 400.00 = 1645.93.
            let byRevenue = try #require(j["byRevenue"] as? [[String: Any]])
            #expect(byRevenue.map { $0["productId"] as? String } == ["P3", "P2", "P1"])
            #expect(byRevenue.map { $0["revenue"] as? String } == ["1645.93", "850.02", "700.00"])
            let byQuantity = try #require(j["byQuantity"] as? [[String: Any]])
            // Mug and Kettle tie on 3 units: Kettle first by revenue.
            #expect(byQuantity.map { $0["productId"] as? String } == ["P2", "P3", "P1"])
            // C1 bought Kettle (745.93), Mug (400.00 + 300.00) and Tea (100.00 in 1002).
            #expect(value(j, "group", "customers", 0, "customer") as? String == "C1")
            let group = try #require(value(j, "group", "products") as? [[String: Any]])
            #expect(group.map { $0["productId"] as? String } == ["P3", "P1", "P2"])
            #expect(group.map { $0["revenue"] as? String } == ["745.93", "700.00", "100.00"])
            let csv = try await ws.run(["report", "products", "--db", "shop.sqlite", "--format", "csv"] + SmallShop.periodOptions)
            #expect(csv.stdout.hasPrefix("rank,product_id,name,quantity,returned_quantity,revenue,revenue_share,orders,customers\r\n1,P3,Kettle,3,0,1645.93,"))
        }
    }

    @Test("report together for one product, and its errors")
    func together() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            // Q1: 1002 {Mug, Tea}, 1003 {Tea, Kettle}; the other orders have one product each.
            let all = try await Self.json(ws, ["together", "--db", "shop.sqlite", "--min-support-count", "1"] + SmallShop.periodOptions)
            let pairs = try #require(all["pairs"] as? [[String: Any]])
            #expect(pairs.map { "\($0["productA"] ?? "")\($0["productB"] ?? "")" } == ["P1P2", "P2P3"])
            let tea = try await Self.json(ws, ["together", "--db", "shop.sqlite", "--min-support-count", "1", "--product", "P2"] + SmallShop.periodOptions)
            #expect((tea["pairs"] as? [[String: Any]])?.map { $0["productB"] as? String } == ["P1", "P3"])
            #expect(value(tea, "product", "orders") as? Int == 3)   // 1002, 1003, 1005
            let unknown = try await ws.run(["report", "together", "--db", "shop.sqlite", "--product", "P9"] + SmallShop.periodOptions)
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("No order line has the product id \"P9\""))
            let bad = try await ws.run("report", "together", "--db", "shop.sqlite", "--min-support-count", "0")
            #expect(bad.status != 0 && bad.stderr.contains("--min-support-count"))
        }
    }

    @Test("report due and cycles reject unreadable options", arguments: [
        (["due", "--within", "soon"], "--within \"soon\" is not a duration"),
        (["due", "--as-of", "2025-02-30"], "--as-of \"2025-02-30\" is not a date"),
        (["cycles", "--min-gaps", "0"], "--min-gaps"),
        (["when", "--top-customers", "0"], "--top-customers"),
        (["products", "--top", "-1"], "--top"),
    ])
    func rejected(args: [String], message: String) async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let r = try await ws.run(["report"] + args + ["--db", "shop.sqlite"])
            #expect(r.status != 0)
            #expect(r.stderr.contains(message), "\(r)")
        }
    }
}
