import Foundation
import Testing

/// Audiences joined with the other reports, through the built binary: `--audience`/`--filter` on
/// `report when`, `report products` and `report cohorts`, predicted audience fields and the groups' model
/// lost % from the fit `clientele fit` saves, and the built-in `due-for-reminder`.
///
/// On the small shop (Fixtures.swift) as of 2025-03-31, Q1 2025: C1 has 1002 (P1 2 × 200, P2 1 × 100),
/// 1004 (P1 1 × 300) and 1007 (P3, 99.99 EUR × 7.46 = 745.93 DKK): 1 545.93; C2 has 1003 (Monday
/// 2025-01-20 09:00, P2 5 × 100 and P3 500: 1 000.00) and 1001 before the period; anna@example.com has
/// 1005 (P2 2 × 125.01 = 250.02). C1 and C2 are frequent, anna is a one-time buyer.
@Suite("CLI: audiences in the reports, predicted fields, groups with the model")
struct IntegrationCLITests {
    static func json(_ r: CLIResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        #expect(r.status == 0, "failed:\n\(r)", sourceLocation: sourceLocation)
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
                            "not a JSON object:\n\(r.stdout)", sourceLocation: sourceLocation)
    }

    @Test("report when --audience and --filter: only the audience's orders, the audience named")
    func when() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let q1 = ["--db", "shop.sqlite"] + SmallShop.periodOptions
            try await ws.succeed("audience", "create", "c2", "--filter", "customer = C2", "--db", "shop.sqlite")
            let saved = try Self.json(try await ws.run(["report", "when", "--audience", "c2", "--format", "json"] + q1))
            #expect(saved["audience"] as? String == "audience \"c2\" (customer = C2), 1 customer")
            #expect(integer(saved["orders"]) == 1)
            #expect(saved["revenue"] as? String == "1000.00")
            // 1003: Monday 09:00 in Copenhagen.
            #expect(integer(value(saved, "hourWeekday", "orders", 0, 9)) == 1)

            let adhoc = try Self.json(try await ws.run(["report", "when", "--filter", "group = frequent", "--format", "json"] + q1))
            #expect(adhoc["audience"] as? String == "customers matching group = frequent, 2 customers")
            #expect(integer(adhoc["orders"]) == 4)   // C1's three orders and C2's 1003
            #expect(adhoc["revenue"] as? String == "2545.93")

            // The top 1 by revenue in the period among C2 (1 000.00) and anna (250.02) is C2.
            let top = try Self.json(try await ws.run(["report", "when", "--filter", "customer in (C2, anna@example.com)",
                                                      "--top-customers", "1", "--format", "json"] + q1))
            #expect(top["revenue"] as? String == "1000.00")
            #expect((top["audience"] as? String)?.hasPrefix("the top 1 customers by revenue in the period of the customers matching") == true)

            let table = try await ws.succeeds(["report", "when", "--audience", "c2"] + q1)
            #expect(table.stdout.contains("Orders: audience \"c2\" (customer = C2), 1 customer · 1 orders"))

            let unknown = try await ws.run(["report", "when", "--audience", "vips"] + q1)
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("There is no audience \"vips\". Audiences: c2, due-for-reminder, lost-vips, loyal-slipping-away, one-time-buyers-follow-up."))
            let both = try await ws.run(["report", "when", "--audience", "c2", "--filter", "orders > 1"] + q1)
            #expect(both.status != 0 && both.stderr.contains("Give --audience NAME or --filter"))
            let bad = try await ws.run(["report", "when", "--filter", "ordrs > 1"] + q1)
            #expect(bad.status != 0 && bad.stderr.contains("filter:1:1: unknown field \"ordrs\"; did you mean \"orders\"?"))
        }
    }

    @Test("report products --filter: what the audience buys; --top-customers lists the first N of it")
    func products() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let q1 = ["--db", "shop.sqlite"] + SmallShop.periodOptions
            let c1 = try Self.json(try await ws.run(["report", "products", "--filter", "customer = C1", "--format", "json"] + q1))
            #expect(value(c1, "group", "description") as? String == "customers matching customer = C1, 1 customer")
            // C1's lines: P3 745.93, P1 400 + 300 = 700.00, P2 100.00.
            let products = (value(c1, "group", "products") as? [Any] ?? []).map { value($0, "productId") as? String }
            #expect(products == ["P3", "P1", "P2"])
            #expect(value(c1, "group", "products", 1, "revenue") as? String == "700.00")
            #expect(value(c1, "group", "lineRevenue") as? String == "1545.93")
            // The best sellers over every order are unchanged by the audience.
            let all = try Self.json(try await ws.run(["report", "products", "--format", "json"] + q1))
            #expect(value(all, "byRevenue") as? NSArray == value(c1, "byRevenue") as? NSArray)

            // Every identified customer: line revenue 1 545.93 + 1 000.00 + 250.02; one listed (C1, the most revenue).
            let everyone = try Self.json(try await ws.run(["report", "products", "--filter", "orders >= 1", "--top-customers", "1", "--format", "json"] + q1))
            #expect(value(everyone, "group", "lineRevenue") as? String == "2795.95")
            let listed = (value(everyone, "group", "customers") as? [Any] ?? []).map { value($0, "customer") as? String }
            #expect(listed == ["C1"])
            #expect(value(everyone, "group", "description") as? String == "customers matching orders >= 1, 3 customers")

            let table = try await ws.succeeds(["report", "products", "--audience", "lost-vips"] + q1)
            #expect(table.stdout.contains("Customers: audience \"lost-vips\" (group = vip and stage = lost), 0 customers"))
        }
    }

    // Cohorts as of 2025-03-31: 2024-12 C2, 2025-01 C1, 2025-02 anna, 2025-03 nobody.
    @Test("report cohorts --filter and --audience keep the audience's customers, with --first-product too")
    func cohorts() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let base = ["report", "cohorts", "--db", "shop.sqlite", "--as-of", "2025-03-31", "--cohorts", "4"]
            let plain = try await ws.succeeds(base + ["--format", "csv", "--metric", "customers"])
            #expect(plain.stdout == "cohort,customers,k0,k1,k2,k3\r\n2024-12,1,1,1,0,0\r\n2025-01,1,1,1,1,\r\n2025-02,1,1,0,,\r\n2025-03,0,0,,,\r\n")

            let frequent = try await ws.succeeds(base + ["--filter", "group = frequent", "--format", "csv", "--metric", "customers"])
            // anna (one-time) leaves the 2025-02 cohort.
            #expect(frequent.stdout == "cohort,customers,k0,k1,k2,k3\r\n2024-12,1,1,1,0,0\r\n2025-01,1,1,1,1,\r\n2025-02,0,0,0,,\r\n2025-03,0,0,,,\r\n")

            let j = try Self.json(try await ws.run(base + ["--filter", "group = frequent", "--first-product", "P1", "--format", "json"]))
            #expect((j["cohorts"] as? [Any] ?? []).map { integer(value($0, "customers")) } == [0, 1, 0, 0])
            #expect(isNull(value(j, "audience", "name")))
            #expect(value(j, "audience", "filter") as? String == "group = frequent")
            #expect(integer(value(j, "audience", "customers")) == 2)
            #expect(value(j, "filter", "firstProduct") as? String == "P1")
            let none = try Self.json(try await ws.run(base + ["--format", "json"]))
            #expect(isNull(none["audience"]))

            try await ws.succeed("audience", "create", "anna", "--filter", "customer = anna@example.com", "--db", "shop.sqlite")
            let table = try await ws.succeeds(base + ["--audience", "anna"])
            #expect(table.stdout.contains("Customers: audience \"anna\" (customer = anna@example.com), 1 customer"))
            #expect(table.stdout.contains("2025-02          1"))
            let unknown = try await ws.run(base + ["--audience", "ana"])
            #expect(unknown.status != 0 && unknown.stderr.contains("There is no audience \"ana\". Audiences: anna, due-for-reminder,"))
        }
    }

    @Test("predicted fields and the groups' model lost % need a current fit; they agree with clientele predict")
    func predictions() async throws {
        try await Workspace.with { ws in
            try await ws.succeed("demo", "--db", "shop.sqlite", "--orders", "8000", "--seed", "3", "--end-date", "2025-06-30", "--quiet")
            let asOf = ["--as-of", "2025-06-30"]
            let noFit = try await ws.run(["audience", "show", "--filter", "p_alive > 0.5 and orders >= 2", "--db", "shop.sqlite"] + asOf)
            #expect(noFit.status != 0)
            #expect(noFit.stderr.contains("The field p_alive needs the predictive model, and there is no fit for this shop yet. Run clientele fit --db shop.sqlite first."))
            let whenNoFit = try await ws.run(["report", "when", "--db", "shop.sqlite", "--filter", "next_order within 30d"] + asOf)
            #expect(whenNoFit.status != 0 && whenNoFit.stderr.contains("Run clientele fit --db shop.sqlite first."))
            let groupsNoFit = try Self.json(try await ws.run(["report", "groups", "--db", "shop.sqlite", "--format", "json"] + asOf))
            #expect(isNull(value(groupsNoFit, "all", "modelLostShare")))
            #expect(value(groupsNoFit, "all", "lostShare") is Double)

            try await ws.succeed("fit", "--db", "shop.sqlite")
            let predict = try Self.json(try await ws.run(["predict", "--db", "shop.sqlite", "--top", "0", "--format", "json"] + asOf))
            let top = try #require(predict["top"] as? [[String: Any]])
            let alive = top.map { $0["probabilityAlive"] as? Double ?? -1 }

            // 1 − mean P(alive) over all customers is predict's own mean (rounded there to 6 decimals).
            let groups = try Self.json(try await ws.run(["report", "groups", "--db", "shop.sqlite", "--format", "json"] + asOf))
            let modelLost = try #require(number(value(groups, "all", "modelLostShare")))
            #expect(abs(modelLost - (1 - (number(predict["meanProbabilityAlive"]) ?? -1))) < 1e-6)
            for g in groups["groups"] as? [Any] ?? [] {
                let share = number(value(g, "modelLostShare"))
                #expect(share.map { $0 >= 0 && $0 <= 1 } ?? (integer(value(g, "customers")) == 0))
            }
            let table = try await ws.succeeds(["report", "groups", "--db", "shop.sqlite"] + asOf)
            #expect(table.stdout.contains("Lost (model)"))

            // The audience p_alive >= 0.5 holds the customers predict gives P(alive) >= 0.5 (thresholds away
            // from predict's 6-decimal rounding are used).
            let show = try Self.json(try await ws.run(["audience", "show", "--filter", "p_alive >= 0.5", "--db", "shop.sqlite", "--format", "json"] + asOf))
            let expected = alive.filter { $0 >= 0.5 }.count
            #expect(integer(value(show, "overview", "customers", "audience")) == expected)
            #expect(expected > 0 && expected < alive.count)
            let clv = try Self.json(try await ws.run(["audience", "show", "--filter", "predicted_clv > 5000", "--db", "shop.sqlite", "--format", "json"] + asOf))
            #expect(integer(value(clv, "overview", "customers", "audience")) == top.filter { Double($0["clv"] as? String ?? "") ?? 0 > 5000 }.count)
            // next_order within 30d: the expected next order date in 2025-06-30 … 2025-07-29.
            let soon = top.filter { ($0["nextOrderDate"] as? String).map { $0 >= "2025-06-30" && $0 <= "2025-07-29" } ?? false }.count
            let next = try Self.json(try await ws.run(["audience", "show", "--filter", "next_order within 30d", "--db", "shop.sqlite", "--format", "json"] + asOf))
            #expect(integer(value(next, "overview", "customers", "audience")) == soon)
            let when = try await ws.succeed("report", "when", "--db", "shop.sqlite", "--filter", "expected_purchases >= 0.2", "--as-of", "2025-06-30")
            #expect(when.stdout.contains("Orders: customers matching expected_purchases >= 0.2"))

            // New orders make the fit stale: the fields refuse it, the groups leave the model out.
            try ws.write("more.csv", SmallShop.header + "\nX1,2025-06-30T10:00:00+02:00,NEWC,new@example.com,placed,DKK,100.00,0.00,P9,Thing,1,100.00,0,DK\n")
            try await ws.succeed("import", "more.csv", "--db", "shop.sqlite")
            let stale = try await ws.run(["audience", "show", "--filter", "p_alive > 0.5", "--db", "shop.sqlite"] + asOf)
            #expect(stale.status != 0 && stale.stderr.contains("the saved fit shop.sqlite.model.json is of older data"))
            let groupsStale = try await ws.run(["report", "groups", "--db", "shop.sqlite", "--format", "json"] + asOf)
            #expect(groupsStale.status == 0 && groupsStale.stderr.contains("run clientele fit --db shop.sqlite"))
            #expect(isNull(value(try Self.json(groupsStale), "all", "modelLostShare")))
        }
    }

    @Test("the built-in due-for-reminder is the customers report due lists; a deleted built-in stays deleted")
    func dueForReminder() async throws {
        try await Workspace.with { ws in
            try await ws.succeed("demo", "--db", "shop.sqlite", "--orders", "4000", "--seed", "5", "--end-date", "2025-06-30", "--quiet")
            let due = try Self.json(try await ws.run(["report", "due", "--db", "shop.sqlite", "--as-of", "2025-06-30", "--within", "7d", "--format", "json"]))
            let listed = Set((due["reminders"] as? [Any] ?? []).compactMap { value($0, "customer") as? String })
            let export = try await ws.succeed("audience", "export", "due-for-reminder", "--db", "shop.sqlite", "--as-of", "2025-06-30", "--format", "json")
            let exported = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
            let members = Set((exported["customers"] as? [Any] ?? []).compactMap { value($0, "customer") as? String })
            #expect(!listed.isEmpty && members == listed)
            let when = try Self.json(try await ws.run(["report", "when", "--db", "shop.sqlite", "--audience", "due-for-reminder", "--as-of", "2025-06-30", "--format", "json"]))
            #expect((when["audience"] as? String)?.hasPrefix("audience \"due-for-reminder\" (reminder_due within 7d), \(listed.count) customer") == true)

            try await ws.succeed("audience", "delete", "due-for-reminder", "--db", "shop.sqlite")
            let list = try await ws.succeed("audience", "list", "--db", "shop.sqlite", "--format", "json")
            let names = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any] ?? []).map { value($0, "name") as? String }
            #expect(names == ["lost-vips", "loyal-slipping-away", "one-time-buyers-follow-up"])
            let fields = try await ws.succeed("audience", "fields")
            for f in ["reminder_due", "p_alive", "predicted_clv", "expected_purchases", "next_order"] { #expect(fields.stdout.contains(f)) }
        }
    }
}

extension Workspace {
    /// Runs `clientele args…` here and records an issue when it does not exit 0.
    @discardableResult
    func succeeds(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIResult {
        let r = try await run(args)
        #expect(r.status == 0, "clientele \(args.joined(separator: " ")) failed:\n\(r)", sourceLocation: sourceLocation)
        return r
    }
}
