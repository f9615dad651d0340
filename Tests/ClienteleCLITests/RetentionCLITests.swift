import Foundation
import Testing

/// `clientele report retention | clv | cohorts | rfm` through the built binary: the acceptance figures, the
/// seed's CLV example as what-if, a cohort triangle and RFM list in shop time, and option errors.
@Suite("clientele report retention, clv, cohorts, rfm")
struct RetentionCLITests {
    /// The repository's copy of the acceptance data (Tests/Acceptance).
    static let acceptance = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Acceptance")

    /// Imports Tests/Acceptance/small.csv into a Copenhagen DKK shop with its rate table.
    static func acceptanceShop(_ ws: Workspace) async throws {
        try ws.write("small.csv", String(decoding: try Data(contentsOf: acceptance.appendingPathComponent("small.csv")), as: UTF8.self))
        try ws.write("rates.csv", String(decoding: try Data(contentsOf: acceptance.appendingPathComponent("rates.csv")), as: UTF8.self))
        try await ws.succeed("shop", "--db", "shop.sqlite", "--timezone", "Europe/Copenhagen", "--currency", "DKK")
        try await ws.succeed("import", "small.csv", "--db", "shop.sqlite", "--rates", "rates.csv")
    }

    static func json(_ r: CLIResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "not a JSON object:\n\(r)")
    }

    @Test("Retention figures match the acceptance file")
    func acceptanceFigures() async throws {
        try await Workspace.with { ws in
            try await Self.acceptanceShop(ws)
            let r = try await ws.succeed("report", "retention", "--db", "shop.sqlite", "--as-of", "2025-09-14",
                                         "--format", "json", "--min-quantity", "0")
            let j = try Self.json(r)
            // Expected values copied from Tests/Acceptance/small.expected.json (= /work/shared/acceptance),
            // keys "retention", "repeat_purchase_ratio", "time_between_purchases", "product_return_rate".
            #expect(value(j, "period", "from") as? String == "2024-09-14")
            #expect(value(j, "period", "to") as? String == "2025-09-14")
            // previous_period: start 2023-09-14, end 2024-09-14 (exclusive).
            #expect(value(j, "previousPeriod", "from") as? String == "2023-09-14")
            #expect(value(j, "previousPeriod", "to") as? String == "2024-09-13")
            // S_customers_previous 420, E_customers_current 545, N_new_customers 412, churned 309.
            #expect(integer(value(j, "customerRetention", "S")) == 420)
            #expect(integer(value(j, "customerRetention", "E")) == 545)
            #expect(integer(value(j, "customerRetention", "N")) == 412)
            #expect(integer(value(j, "customerRetention", "churned")) == 309)
            // crr_pct 31.6666666667, churn_pct 73.5714285714 (percentages; the JSON has fractions).
            #expect(abs(number(value(j, "customerRetention", "rate"))! * 100 - 31.6666666667) < 1e-8)
            #expect(abs(number(value(j, "customerRetention", "churnRate"))! * 100 - 73.5714285714) < 1e-8)
            // repeat_purchase_ratio: customers 1033, repeat_customers 324, ratio 0.3136495644.
            #expect(integer(value(j, "repeatPurchase", "customers")) == 1033)
            #expect(integer(value(j, "repeatPurchase", "repeatCustomers")) == 324)
            #expect(abs(number(value(j, "repeatPurchase", "ratio"))! - 0.3136495644) < 1e-9)
            // time_between_purchases: customers 324, mean_days 163.305429.
            #expect(integer(value(j, "timeBetweenPurchases", "customers")) == 324)
            #expect(abs(number(value(j, "timeBetweenPurchases", "meanDays"))! - 163.305429) < 1e-6)
            // product_return_rate: sold 2883, returned 68, rate 0.0235865418.
            #expect(integer(value(j, "productReturns", "soldQuantity")) == 2883)
            #expect(integer(value(j, "productReturns", "returnedQuantity")) == 68)
            #expect(abs(number(value(j, "productReturns", "rate"))! - 0.0235865418) < 1e-9)
            // top_products_by_sold_quantity: P00017 200/0, P00025 168/21 (0.125), P00076 125/1, P00089 103/3,
            // P00096 91/4, P00066 82/3, P00196 49/1, P00078 46/1.
            let products = try #require(value(j, "productReturns", "products") as? [[String: Any]])
            var byId: [String: (Int, Int)] = [:]
            for p in products { byId[p["productId"] as! String] = (integer(p["soldQuantity"])!, integer(p["returnedQuantity"])!) }
            let expected: [String: (Int, Int)] = ["P00017": (200, 0), "P00025": (168, 21), "P00076": (125, 1), "P00089": (103, 3),
                                                 "P00096": (91, 4), "P00066": (82, 3), "P00196": (49, 1), "P00078": (46, 1)]
            for (id, e) in expected { #expect(byId[id]?.0 == e.0 && byId[id]?.1 == e.1, "\(id)") }

            // The default minimum of 20 units keeps small sellers out; the worst listed is P00025 at 12.5 %
            // (tied with P00144 at 3 of 24, which has fewer returned units).
            let table = try await ws.succeed("report", "retention", "--db", "shop.sqlite", "--as-of", "2025-09-14")
            #expect(table.stdout.contains("31.7%"), "\(table)")
            let csv = try await ws.succeed("report", "retention", "--db", "shop.sqlite", "--as-of", "2025-09-14", "--format", "csv")
            let rows = csv.stdout.split(separator: "\r\n")
            #expect(rows.first == "product_id,product_name,sold_quantity,returned_quantity,return_rate")
            #expect(rows.dropFirst().first?.hasPrefix("P00025,") == true, "\(csv)")
            // Sold is the third field from the end (names may hold quoted commas).
            #expect(rows.dropFirst().allSatisfy { row in
                let fields = row.split(separator: ",", omittingEmptySubsequences: false)
                return (Int(fields[fields.count - 3]) ?? 0) >= 20
            }, "\(csv)")
        }
    }

    @Test("The seed's CLV example as what-if: 500 × 3 × 2 = 3 000, 40 % margin → 1 200")
    func clvSeedExample() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let r = try await ws.succeed("report", "clv", "--db", "shop.sqlite", "--as-of", "2025-03-31", "--order-value", "500",
                                         "--orders-per-year", "3", "--lifespan-years", "2", "--margin", "0.4", "--cac", "1000",
                                         "--format", "json")
            let j = try Self.json(r)
            #expect(value(j, "clv") as? String == "3000.00")
            #expect(value(j, "affordableCAC") as? String == "1200.00")
            // 3 000 ≥ 3 × 1 000.
            #expect(value(j, "meetsRule") as? Bool == true)
            #expect(value(j, "averageOrderValue", "whatIf") as? Bool == true)
            // From the data (2024-03-31 … 2025-03-31): C1's three orders, C2's two and the guest's one, 6 orders by 3
            // customers; nobody ordered in the year before, so there is no churn rate.
            #expect(integer(value(j, "data", "orders")) == 6)
            #expect(integer(value(j, "data", "customers")) == 3)
            #expect(isNull(value(j, "data", "annualChurnRate")))
            let table = try await ws.succeed("report", "clv", "--db", "shop.sqlite", "--as-of", "2025-03-31")
            #expect(table.stdout.contains("--lifespan-years"), "\(table)")
        }
    }

    @Test("Cohort triangle in shop time, as CSV")
    func cohortTriangle() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let r = try await ws.succeed("report", "cohorts", "--db", "shop.sqlite", "--as-of", "2025-03-31", "--cohorts", "4",
                                         "--format", "csv")
            // December: C2 (1001), back in January (1003); the cancelled March order does not count.
            // January: C1 (1002); 1004 at 23:30 UTC on 31 January is February in Copenhagen; 1007 in March.
            // February: the guest anna@example.com (1005). March: nobody new.
            #expect(r.stdout == "cohort,customers,k0,k1,k2,k3\r\n2024-12,1,1.0,1.0,0.0,0.0\r\n2025-01,1,1.0,1.0,1.0,\r\n2025-02,1,1.0,0.0,,\r\n2025-03,0,,,,\r\n")
            let ltv = try await ws.succeed("report", "cohorts", "--db", "shop.sqlite", "--as-of", "2025-03-31", "--cohorts", "4",
                                           "--metric", "ltv", "--format", "csv")
            // C1: 500.00, + 300.00, + 745.93 (99.99 EUR × 7.46).
            #expect(ltv.stdout.contains("2025-01,1,500.00,800.00,1545.93,\r\n"), "\(ltv)")
            let filtered = try await ws.succeed("report", "cohorts", "--db", "shop.sqlite", "--as-of", "2025-03-31", "--cohorts", "4",
                                                "--first-product", "P2", "--format", "json")
            // First orders with Tea (P2): C2's 1001 and the guest's 1005; C1's 1002 too (Mug and Tea).
            let j = try Self.json(filtered)
            let sizes = (j["cohorts"] as? [[String: Any]])?.map { integer($0["customers"]) }
            #expect(sizes == [1, 1, 1, 0])
            let table = try await ws.succeed("report", "cohorts", "--db", "shop.sqlite", "--as-of", "2025-03-15", "--cohorts", "4")
            #expect(table.stdout.contains("*"), "\(table)")
        }
    }

    @Test("RFM per-customer list as CSV")
    func rfmList() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let r = try await ws.succeed("report", "rfm", "--db", "shop.sqlite", "--as-of", "2025-03-31", "--format", "csv")
            // C1: 3 orders, 1 545.93, last 5 March (26 days); C2: 2 orders, 1 200.00, last 20 January (70 days);
            // the guest: 1 order, 250.02, 15 February (44 days). Scores 1 + ⌊5a ÷ 3⌋ for a = 0, 1, 2 → 1, 2, 4.
            // C1 R4 F4 M4 FM4 Loyal; C2 R1 F2 M2 FM2 Lost; guest R2 F1 M1 FM1 Hibernating.
            #expect(r.stdout == """
                customer,email,recency_days,frequency,monetary,r,f,m,fm,segment,last_order\r
                C1,anna.new@example.com,26,3,1545.93,4,4,4,4,Loyal,2025-03-05T12:00:00+01:00\r
                C2,bo@example.com,70,2,1200.00,1,2,2,2,Lost,2025-01-20T09:00:00+01:00\r
                anna@example.com,anna@example.com,44,1,250.02,2,1,1,1,Hibernating,2025-02-15T15:00:00+01:00\r

                """)
            let j = try Self.json(try await ws.succeed("report", "rfm", "--db", "shop.sqlite", "--as-of", "2025-03-31", "--format", "json"))
            #expect(integer(j["customers"]) == 3)
            #expect((j["segments"] as? [Any])?.count == 11)
        }
    }

    @Test("Bad options are rejected with what to write instead", arguments: [
        (["clv", "--margin", "40"], "write 40 % as 0.4"),
        (["clv", "--cac", "lots"], "--cac \"lots\" is not an amount"),
        (["clv", "--format", "csv"], "no list to export"),
        (["cohorts", "--cohorts", "0"], "--cohorts must be between 1 and 240"),
        (["cohorts", "--by", "week"], "week"),
        (["retention", "--min-quantity=-1"], "--min-quantity must be 0 or more"),
        (["retention", "--compare", "last-year"], "leave out --compare"),
        (["rfm", "--as-of", "2025-02-30"], "is not a date"),
    ])
    func rejected(options: [String], message: String) async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let r = try await ws.run(["report"] + [options[0], "--db", "shop.sqlite"] + options.dropFirst())
            #expect(r.status != 0)
            #expect(r.stdout.isEmpty, "\(r)")
            #expect(r.stderr.contains(message), "\(r)")
        }
    }
}
