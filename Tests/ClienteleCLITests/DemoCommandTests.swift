import Foundation
import Testing

@Suite("clientele demo and the report formats")
struct DemoCommandTests {
    static let asOf = ["--as-of", "2025-06-30"]

    /// Generates a demo shop of 2,000 orders ending 2025-06-30 into `db`.
    static func demo(_ ws: Workspace, db: String, seed: Int = 7, extra: [String] = []) async throws -> CLIResult {
        let r = try await ws.run(["demo", "--db", db, "--orders", "2000", "--seed", String(seed),
                                  "--end-date", "2025-06-30", "--quiet"] + extra)
        #expect(r.status == 0, "\(r)")
        return r
    }

    @Test("The same seed gives the same shop, another seed another; the CSV round trip gives the same report")
    func deterministicAndRoundTrip() async throws {
        try await Workspace.with { ws in
            _ = try await Self.demo(ws, db: "a.sqlite")
            _ = try await Self.demo(ws, db: "b.sqlite")
            _ = try await Self.demo(ws, db: "c.sqlite", seed: 8)
            _ = try await Self.demo(ws, db: "d.sqlite", extra: ["--csv", "demo.csv"])
            let a = try await ws.reportJSON(db: "a.sqlite", Self.asOf)
            let b = try await ws.reportJSON(db: "b.sqlite", Self.asOf).text
            let c = try await ws.reportJSON(db: "c.sqlite", Self.asOf).text
            let d = try await ws.reportJSON(db: "d.sqlite", Self.asOf).text
            #expect(a.text == b)
            #expect(a.text != c)
            // Writing the CSV does not change the shop that is generated.
            #expect(a.text == d)
            // A non-trivial shop: orders and customers in the last 12 months.
            #expect((integer(value(a.json, "totals", "orders")) ?? 0) > 100)
            #expect((integer(value(a.json, "uniqueCustomers")) ?? 0) > 50)

            let csv = try ws.read("demo.csv")
            let header = csv.prefix { $0 != "\n" && $0 != "\r\n" }
            #expect(header == Substring(SmallShop.header))
            #expect(ws.exists("demo.rates.csv"))

            try await ws.succeed("shop", "--db", "imported.sqlite", "--timezone", "Europe/Copenhagen", "--currency", "DKK")
            let imported = try await ws.succeed("import", "demo.csv", "--db", "imported.sqlite", "--rates", "demo.rates.csv")
            #expect(summaryRows(imported.stdout)["Orders"] == "2000")
            #expect(imported.stdout.contains("canonical"))
            let e = try await ws.reportJSON(db: "imported.sqlite", Self.asOf).text
            #expect(e == a.text)
            // Also over the whole history, with a comparison.
            let all = ["--from", "2020-01-01", "--to", "2025-06-30", "--as-of", "2025-06-30", "--compare", "last-year", "--top", "50"]
            let f = try await ws.reportJSON(db: "imported.sqlite", all).text
            let g = try await ws.reportJSON(db: "a.sqlite", all).text
            #expect(f == g)
        }
    }

    @Test("CSV, table and JSON agree; --compare previous adds the window before")
    func formatsAgree() async throws {
        try await Workspace.with { ws in
            _ = try await Self.demo(ws, db: "demo.sqlite")
            let period = ["--from", "2025-01-01", "--to", "2025-03-31", "--as-of", "2025-06-30", "--top", "10"]
            let (_, j) = try await ws.reportJSON(db: "demo.sqlite", period)
            let top = try #require(value(j, "topCustomers") as? [[String: Any]])
            #expect(top.count == 10)

            let csv = try await ws.run(["report", "customers", "--db", "demo.sqlite", "--format", "csv"] + period)
            #expect(csv.status == 0, "\(csv)")
            var rows = csv.stdout.components(separatedBy: "\r\n")
            #expect(rows.last == "")
            rows.removeLast()
            #expect(rows.first == "rank,customer,email,orders,revenue,average_order_value,first_order,last_order")
            let data = rows.dropFirst().map { $0.components(separatedBy: ",") }
            #expect(data.count == top.count)
            for (row, t) in zip(data, top) {
                #expect(row.count == 8)
                #expect(row[0] == String(integer(t["rank"]) ?? -1))
                #expect(row[1] == t["customer"] as? String)
                #expect(row[2] == (t["email"] as? String ?? ""))
                #expect(row[3] == String(integer(t["orders"]) ?? -1))
                #expect(row[4] == t["revenue"] as? String)
                #expect(row[5] == t["averageOrderValue"] as? String)
            }

            let table = try await ws.run(["report", "customers", "--db", "demo.sqlite", "--format", "table"] + period)
            #expect(table.status == 0, "\(table)")
            let unique = try #require(integer(value(j, "uniqueCustomers")))
            // The demo shop's locale is da_DK: thousands are grouped with ".".
            let figure = unique >= 1000 ? "\(unique / 1000).\(String(format: "%03d", unique % 1000))" : String(unique)
            let line = table.stdout.split(separator: "\n").first { $0.hasPrefix("Unique customers") }
            let cells = line.map { $0.split(separator: " ").map(String.init) } ?? []
            #expect(cells.contains(figure), "\(line ?? "no Unique customers line")")
            #expect(table.stdout.contains("2025-01-01 – 2025-03-31"))

            // 2025-01-01 … 2025-03-31 is 31 + 28 + 31 = 90 days; the 90 days before are 2024-10-03 … 2024-12-31.
            let (_, k) = try await ws.reportJSON(db: "demo.sqlite", period + ["--compare", "previous"])
            #expect(isNull(value(j, "comparison")))
            let comparison = try #require(value(k, "comparison") as? [String: Any])
            #expect(value(comparison, "period", "from") as? String == "2024-10-03")
            #expect(value(comparison, "period", "to") as? String == "2024-12-31")
            let now = try #require(integer(value(k, "totals", "orders")))
            let then = try #require(integer(value(comparison, "totals", "orders")))
            #expect(then > 0)
            #expect(integer(value(comparison, "change", "orders", "absolute")) == now - then)
            // The figures of the period itself are unchanged by the comparison.
            #expect(integer(value(k, "totals", "orders")) == integer(value(j, "totals", "orders")))
            // The comparison's figures are those of a report over that window.
            let (_, w) = try await ws.reportJSON(db: "demo.sqlite", ["--from", "2024-10-03", "--to", "2024-12-31", "--as-of", "2025-06-30"])
            #expect(integer(value(w, "totals", "orders")) == then)
            #expect(value(w, "totals", "revenue") as? String == value(comparison, "totals", "revenue") as? String)
            #expect(integer(value(w, "uniqueCustomers")) == integer(value(comparison, "uniqueCustomers")))

            let (_, y) = try await ws.reportJSON(db: "demo.sqlite", period + ["--compare", "last-year"])
            #expect(value(y, "comparison", "period", "from") as? String == "2024-01-01")
            #expect(value(y, "comparison", "period", "to") as? String == "2024-03-31")
        }
    }

    @Test("The demo refuses to overwrite a database that holds another shop")
    func refusesOtherShop() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let before = try await ws.reportJSON(db: "shop.sqlite", SmallShop.periodOptions).text
            let r = try await ws.run("demo", "--db", "shop.sqlite", "--orders", "100", "--quiet")
            #expect(r.status != 0)
            #expect(r.stderr.contains("shop.sqlite"), "\(r)")
            #expect(try await ws.reportJSON(db: "shop.sqlite", SmallShop.periodOptions).text == before)
        }
    }
}
