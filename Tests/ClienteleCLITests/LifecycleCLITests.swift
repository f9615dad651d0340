import Foundation
import Testing

/// `clientele report lifecycle|growth|groups` and `clientele audience …` on the small hand-made shop, as of
/// 2025-03-31 in Copenhagen:
/// - C1: 2025-01-05 10:00, 2025-02-01 00:30, 2025-03-05 12:00 (local) → gaps 26.60 and 32.48 days, usual
///   interval 29.54; 26 days since the last order ≤ 44.3 → active. 3 orders over 85 days → frequent.
/// - C2: 2024-12-15 10:00, 2025-01-20 09:00 (the cancelled 1006 does not count) → u 35.96; 70 days since:
///   > 53.9 and ≤ 71.9 → slipping away. 2 orders over 106 days → frequent.
/// - anna@example.com: one order 2025-02-15; shop median first-to-second gap median(26.60, 35.96) = 31.28;
///   44 days since ≤ 46.9 → active. One-time buyer.
/// Three customers leave no VIP place (⌊0.1 × 3⌋ = 0).
@Suite("CLI: lifecycle, growth, groups and audiences")
struct LifecycleCLITests {
    @Test("report lifecycle: stage counts, JSON and the per-customer CSV")
    func lifecycle() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let r = try await ws.succeed("report", "lifecycle", "--db", "shop.sqlite", "--as-of", "2025-03-31", "--format", "json")
            let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
            let stages = (value(json, "stages") as? [Any] ?? []).map { integer(value($0, "customers")) ?? -1 }
            #expect(stages == [0, 2, 1, 0])
            let c1FirstGap: Double = 26 * 86_400 + 52_200, c2Gap: Double = 35 * 86_400 + 82_800
            let median = (c1FirstGap + c2Gap) / 2 / 86_400
            #expect(close(number(value(json, "shopMedianIntervalDays")), median))
            #expect(value(json, "activeCustomers", 1, "date") as? String == "2025-02-28")
            let csv = try await ws.succeed("report", "lifecycle", "--db", "shop.sqlite", "--as-of", "2025-03-31", "--format", "csv")
            let lines = csv.stdout.split(separator: "\r\n")
            #expect(lines.count == 4)
            #expect(lines[2].hasPrefix("C2,bo@example.com,slipping-away,2,2024-12-15,2025-01-20,70,36,own,\"last ordered 70 days ago; usually orders every 36 days: slipping away after 53.9 days, lost after 71.9\""))
            let table = try await ws.succeed("report", "lifecycle", "--db", "shop.sqlite", "--as-of", "2025-03-31")
            #expect(table.stdout.contains("Slipping away"))
        }
    }

    // End of January: C2 active (11 days since), C1 new (first order 26 days before). End of February: anna
    // new, C1 and C2 active. End of March: as in `lifecycle`.
    @Test("report growth: the stage counts at the end of each month")
    func growth() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let r = try await ws.succeed("report", "growth", "--db", "shop.sqlite", "--from", "2025-01-01", "--to", "2025-03-31", "--format", "csv")
            #expect(r.stdout == "month,date,new,active,slipping_away,lost,customers\r\n2025-01,2025-01-31,1,1,0,0,2\r\n"
                    + "2025-02,2025-02-28,1,2,0,0,3\r\n2025-03,2025-03-31,0,2,1,0,3\r\n")
            let table = try await ws.succeed("report", "growth", "--db", "shop.sqlite", "--from", "2025-01-01", "--to", "2025-03-31")
            // 2 active and 1 slipping away of 3 (the most): 40 × 2 ÷ 3 = 26.7 → 27 characters, then 13.
            #expect(table.stdout.contains("2025-03  " + String(repeating: "▓", count: 27) + String(repeating: "▒", count: 13)))
            let weeks = try await ws.succeed("report", "growth", "--db", "shop.sqlite", "--from", "2025-03-24", "--to", "2025-03-31", "--by", "week", "--format", "json")
            #expect(weeks.stdout.contains("\"label\": \"2025-W13\""))
            let bad = try await ws.run("report", "growth", "--db", "shop.sqlite", "--from", "2025-03-01", "--to", "2025-01-01")
            #expect(bad.status != 0 && bad.stderr.contains("--to 2025-01-01 is before --from 2025-03-01"))
        }
    }

    @Test("report groups: one-time buyers and frequent customers")
    func groups() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let r = try await ws.succeed("report", "groups", "--db", "shop.sqlite", "--as-of", "2025-03-31", "--format", "json")
            let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
            let counts = (value(json, "groups") as? [Any] ?? []).map { integer(value($0, "customers")) ?? -1 }
            #expect(counts == [1, 0, 2, 0])
            #expect(isNull(value(json, "vipRevenueCutoff")))
            #expect(value(json, "groups", 0, "lifetimeValue") as? String == "250.02")
            #expect(isNull(value(json, "groups", 3, "lifetimeValue")))
            let table = try await ws.succeed("report", "groups", "--db", "shop.sqlite", "--as-of", "2025-03-31")
            #expect(table.stdout.contains("One-time buyers"))
        }
    }

    @Test("audiences: built-ins on first use, create, show, export, edit, delete")
    func audiences() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let db = ["--db", "shop.sqlite"]
            @discardableResult
            func succeed(_ args: [String]) async throws -> CLIResult {
                let r = try await ws.run(args)
                #expect(r.status == 0, "clientele \(args.joined(separator: " ")) failed:\n\(r)")
                return r
            }
            let list = try await succeed(["audience", "list", "--format", "json", "--as-of", "2025-03-31"] + db)
            let names = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any] ?? []).map { value($0, "name") as? String }
            #expect(names == ["due-for-reminder", "lost-vips", "loyal-slipping-away", "one-time-buyers-follow-up"])
            // C1's latest country is DE (order 1007), C2's DK.
            try await succeed(["audience", "create", "big", "--filter", "orders >= 2 and country = DK"] + db)
            let dup = try await ws.run(["audience", "create", "big", "--filter", "orders >= 1"] + db)
            #expect(dup.status == 1 && dup.stderr.contains("An audience \"big\" exists already"))
            let show = try await succeed(["audience", "show", "big", "--as-of", "2025-03-31", "--format", "json"] + db)
            let j = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8))
            #expect(integer(value(j, "overview", "customers", "audience")) == 1)
            #expect(close(number(value(j, "overview", "customers", "share")), 1.0 / 3.0))
            #expect(value(j, "products", 0, "productId") as? String == "P2")
            let csv = try await succeed(["audience", "export", "big", "--as-of", "2025-03-31"] + db)
            #expect(csv.stdout == "customer,email,orders,revenue,average_order_value,first_order,last_order,stage,group,country\r\n"
                    + "C2,bo@example.com,2,1200.00,600.00,2024-12-15,2025-01-20,slipping-away,frequent,DK\r\n")
            try await succeed(["audience", "edit", "big", "--filter", "stage = active"] + db)
            let edited = try await succeed(["audience", "export", "big", "--as-of", "2025-03-31", "--format", "json"] + db)
            #expect(edited.stdout.contains("\"customer\": \"C1\"") && edited.stdout.contains("\"customer\": \"anna@example.com\""))
            // A filter with a mistake is refused with its position and a caret.
            let bad = try await ws.run(["audience", "create", "oops", "--filter", "orders >= abc"] + db)
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("filter:1:11: expected a number after \">=\", found \"abc\"\n  orders >= abc\n            ^"))
            // Deleting a built-in keeps it deleted.
            try await succeed(["audience", "delete", "lost-vips"] + db)
            let gone = try await ws.run(["audience", "delete", "lost-vips"] + db)
            #expect(gone.status == 1 && gone.stderr.contains("There is no audience \"lost-vips\""))
            let after = try await succeed(["audience", "list"] + db)
            #expect(!after.stdout.contains("lost-vips") && after.stdout.contains("big"))
            let adhoc = try await succeed(["audience", "show", "--filter", "bought P3", "--as-of", "2025-03-31"] + db)
            #expect(adhoc.stdout.contains("Audience — ad-hoc filter"))
        }
    }
}
