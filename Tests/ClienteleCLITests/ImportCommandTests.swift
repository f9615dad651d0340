import Foundation
import Testing

@Suite("clientele import and report customers, end to end")
struct ImportCommandTests {
    @Test("A canonical file imports with the counts and report figures computed by hand")
    func endToEnd() async throws {
        try await Workspace.with { ws in
            let imported = try await SmallShop.setUp(ws)
            let rows = summaryRows(imported.stdout)
            // 8 order ids; lines: 1002 and 1003 have 2 each, the other six 1 → 10.
            #expect(rows["File"] == "orders.csv: canonical order lines, 8 orders, 10 lines")
            #expect(imported.stdout.contains("canonical"))
            #expect(rows["Orders"] == "8")
            #expect(rows["Lines"] == "10")
            // Customer keys of non-cancelled orders: C1, C2 and the guest anna@example.com.
            #expect(rows["Customers"] == "3")
            #expect(rows["Anonymous orders"] == "1")   // 1008
            #expect(rows["Cancelled orders"] == "1")   // 1006
            #expect(rows["Reporting currency"] == "DKK")
            #expect(rows["Currencies"]?.hasPrefix("DKK 7, EUR 1") == true)
            #expect(rows["Stored"] == "8 inserted, 0 replaced, 0 unchanged")

            let (_, j) = try await ws.reportJSON(db: "shop.sqlite", SmallShop.periodOptions)
            #expect(value(j, "asOf") as? String == "2025-03-31")
            #expect(value(j, "period", "from") as? String == "2025-01-01")
            #expect(value(j, "period", "to") as? String == "2025-03-31")
            #expect(value(j, "currency") as? String == "DKK")
            #expect(value(j, "timeZone") as? String == "Europe/Copenhagen")

            // In the period, not cancelled: 1002, 1003, 1004, 1005, 1007, 1008 (1001 is in December).
            #expect(integer(value(j, "totals", "orders")) == 6)
            #expect(integer(value(j, "totals", "anonymousOrders")) == 1)
            #expect(integer(value(j, "totals", "cancelledOrders")) == 1)
            // 500 + 1000 + 300 + 250.02 + 745.93 + 400 = 3195.95; net: − 50 refunded on 1004.
            #expect(value(j, "totals", "revenue") as? String == "3195.95")
            #expect(value(j, "totals", "netRevenue") as? String == "3145.95")
            #expect(integer(value(j, "uniqueCustomers")) == 3)
            // Only C1 has ≥ 2 orders in the period: 1/3, green (≥ 30 %).
            #expect(close(number(value(j, "repeatRate")), 1.0 / 3.0))
            #expect(value(j, "repeatRateColour") as? String == "green")
            // Identified revenue 3195.95 − 400 = 2795.95; ÷ 3 = 931.9833… → 931.98.
            #expect(value(j, "averageCLV") as? String == "931.98")
            // C1: 2025-01-05 09:00Z to 2025-01-31 23:30Z = 26 days 14.5 hours.
            #expect(close(number(value(j, "averageDaysBetweenFirstAndSecondOrder")), 26 + 14.5 / 24))

            // Segments: one-time C2 (1000.00) and the guest (250.02); returning C1 (1545.93); no loyal.
            let segments = try #require(value(j, "segments") as? [[String: Any]])
            #expect(segments.map { $0["segment"] as? String } == ["one-time", "returning", "loyal"])
            #expect(segments.map { integer($0["customers"]) } == [2, 1, 0])
            #expect(close(number(segments[0]["share"]), 2.0 / 3.0))
            #expect(close(number(segments[1]["share"]), 1.0 / 3.0))
            #expect(close(number(segments[2]["share"]), 0))
            #expect(segments.map { $0["revenue"] as? String } == ["1250.02", "1545.93", "0.00"])
            #expect(close(number(segments[0]["revenueShare"]), 1250.02 / 2795.95))
            #expect(close(number(segments[1]["revenueShare"]), 1545.93 / 2795.95))

            // Months in shop time: 1004 (23:30 UTC on 31 Jan) is on 1 February in Copenhagen.
            // Jan: C1 (new: first order ever 5 Jan) and C2 (first order December) → 2, 1 new, 1 returning.
            // Feb: C1 (1004, returning) and the guest (1005, new) → 2, 1, 1.
            // Mar: C1 (1007); 1006 is cancelled and 1008 anonymous → 1, 0 new, 1 returning.
            let months = try #require(value(j, "months") as? [[String: Any]])
            #expect(months.map { $0["month"] as? String } == ["2025-01", "2025-02", "2025-03"])
            #expect(months.map { integer($0["customers"]) } == [2, 2, 1])
            #expect(months.map { integer($0["new"]) } == [1, 1, 0])
            #expect(months.map { integer($0["returning"]) } == [1, 1, 1])
            #expect(months.map { number($0["returningShare"]) } == [0.5, 0.5, 1.0])
            #expect(months.map { $0["colour"] as? String } == ["green", "green", "green"])

            // Top customers by revenue: C1 1545.93 (3 orders), C2 1000.00, the guest 250.02.
            let top = try #require(value(j, "topCustomers") as? [[String: Any]])
            #expect(top.map { $0["customer"] as? String } == ["C1", "C2", "anna@example.com"])
            #expect(top.map { integer($0["rank"]) } == [1, 2, 3])
            // The e-mail of C1's latest order in the period (1007), normalised.
            #expect(top.map { $0["email"] as? String } == ["anna.new@example.com", "bo@example.com", "anna@example.com"])
            #expect(top.map { integer($0["orders"]) } == [3, 1, 1])
            #expect(top.map { $0["revenue"] as? String } == ["1545.93", "1000.00", "250.02"])
            // 1545.93 ÷ 3 = 515.31.
            #expect(top.map { $0["averageOrderValue"] as? String } == ["515.31", "1000.00", "250.02"])
            #expect(top[0]["firstOrder"] as? String == "2025-01-05T10:00:00+01:00")
            #expect(top[0]["lastOrder"] as? String == "2025-03-05T12:00:00+01:00")
            #expect(top[2]["firstOrder"] as? String == "2025-02-15T15:00:00+01:00")
            #expect(isNull(value(j, "comparison")))
        }
    }

    @Test("A file with an error imports nothing and names file, line and value")
    func allOrNothing() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let before = try await ws.reportJSON(db: "shop.sqlite", SmallShop.periodOptions).text
            // Line 2 is a new valid order; line 3 would replace order 1003 but its quantity is "two".
            try ws.write("bad.csv", SmallShop.header + "\n"
                + "1009,2025-03-20T10:00:00+01:00,C3,cy@example.com,placed,DKK,100.00,0.00,P1,Mug,1,100.00,0,DK\n"
                + "1003,2025-01-20T09:00:00+01:00,C2,bo@example.com,placed,DKK,1.00,0.00,P2,Tea,two,1.00,0,DK\n")
            let r = try await ws.run("import", "bad.csv", "--db", "shop.sqlite")
            #expect(r.status != 0)
            let lines = r.stderr.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasSuffix(#"bad.csv:3: quantity "two" is not a whole number"#) }, "\(r)")
            #expect(lines.filter { $0.contains("bad.csv:") }.count == 1, "exactly one error: \(r)")
            #expect(r.stderr.contains("Nothing was imported"))
            let after = try await ws.reportJSON(db: "shop.sqlite", SmallShop.periodOptions).text
            #expect(after == before)
        }
    }

    @Test("A failed first import leaves no database file behind")
    func failedFirstImportCreatesNothing() async throws {
        try await Workspace.with { ws in
            try ws.write("bad.csv", SmallShop.header + "\n"
                + "1003,2025-01-20T09:00:00+01:00,C2,bo@example.com,placed,DKK,1.00,0.00,P2,Tea,two,1.00,0,DK\n")
            let r = try await ws.run("import", "bad.csv", "--db", "new.sqlite")
            #expect(r.status != 0)
            #expect(r.stderr.contains("Nothing was imported: no database was created."), "\(r)")
            let file = ws.path("new.sqlite")
            #expect(!FileManager.default.fileExists(atPath: file))
            // So a report still says there is no database, rather than an empty shop.
            let report = try await ws.run("report", "customers", "--db", "new.sqlite")
            #expect(report.stderr.contains("There is no database at new.sqlite"), "\(report)")
        }
    }

    @Test("Importing the same file twice changes nothing; a newer export replaces an order")
    func sameFileTwice() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let before = try await ws.reportJSON(db: "shop.sqlite", SmallShop.periodOptions).text
            let again = try await ws.succeed("import", "orders.csv", "--db", "shop.sqlite", "--rates", "rates.csv")
            #expect(summaryRows(again.stdout)["Stored"] == "0 inserted, 0 replaced, 8 unchanged")
            let after = try await ws.reportJSON(db: "shop.sqlite", SmallShop.periodOptions).text
            #expect(after == before)

            // A later export where the anonymous order 1008 is 410.00 instead of 400.00.
            try ws.write("newer.csv", SmallShop.csv.replacingOccurrences(of: "placed,DKK,400.00,0.00,P3,Kettle,1,400.00",
                                                                         with: "placed,DKK,410.00,0.00,P3,Kettle,1,410.00"))
            let newer = try await ws.succeed("import", "newer.csv", "--db", "shop.sqlite", "--rates", "rates.csv")
            #expect(summaryRows(newer.stdout)["Stored"] == "0 inserted, 1 replaced, 7 unchanged")
            let (_, j) = try await ws.reportJSON(db: "shop.sqlite", SmallShop.periodOptions)
            // 3195.95 + 10.00; the identified figures are untouched.
            #expect(value(j, "totals", "revenue") as? String == "3205.95")
            #expect(integer(value(j, "totals", "orders")) == 6)
            #expect(value(j, "averageCLV") as? String == "931.98")
        }
    }

    /// Three bad lines: a quantity, a status and a date that does not exist.
    static let threeErrors = SmallShop.header + "\n"
        + "2001,2025-01-05T10:00:00+01:00,C1,a@example.com,placed,DKK,10.00,0.00,P1,Mug,two,10.00,0,DK\n"
        + "2002,2025-01-06T10:00:00+01:00,C1,a@example.com,shipped,DKK,10.00,0.00,P1,Mug,1,10.00,0,DK\n"
        + "2003,2025-02-30T10:00:00+01:00,C1,a@example.com,placed,DKK,10.00,0.00,P1,Mug,1,10.00,0,DK\n"
        + "2004,2025-01-07T10:00:00+01:00,C1,a@example.com,placed,DKK,10.00,0.00,P1,Mug,1,10.00,0,DK\n"

    /// Checks that `r` lists the three errors of `threeErrors` (written as `dry.csv`) and nothing more.
    static func expectThreeErrors(_ r: CLIResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status != 0, sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.contains("dry.csv:") }.count == 3, "\(r)", sourceLocation: sourceLocation)
        #expect(lines.contains { $0.hasSuffix(#"dry.csv:2: quantity "two" is not a whole number"#) }, "\(r)", sourceLocation: sourceLocation)
        #expect(lines.contains { $0.hasSuffix(#"dry.csv:3: status "shipped" is not placed or cancelled"#) }, "\(r)", sourceLocation: sourceLocation)
        #expect(lines.contains { $0.contains("dry.csv:4: placed_at \"2025-02-30T10:00:00+01:00\"") }, "\(r)", sourceLocation: sourceLocation)
    }

    @Test("--dry-run on an existing shop lists every error and writes nothing")
    func dryRunExistingShop() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let before = try await ws.reportJSON(db: "shop.sqlite", SmallShop.periodOptions).text
            try ws.write("dry.csv", Self.threeErrors)
            Self.expectThreeErrors(try await ws.run("import", "dry.csv", "--db", "shop.sqlite", "--dry-run"))

            // A good file in a dry run: checked and summarised, not stored.
            try ws.write("good.csv", SmallShop.csv.replacingOccurrences(of: "1008,", with: "1099,"))
            let good = try await ws.succeed("import", "good.csv", "--db", "shop.sqlite", "--rates", "rates.csv", "--dry-run")
            #expect(good.stdout.contains("Dry run"))
            #expect(summaryRows(good.stdout)["Stored"] == "nothing (dry run)")
            #expect(summaryRows(good.stdout)["Orders"] == "8")
            let after = try await ws.reportJSON(db: "shop.sqlite", SmallShop.periodOptions).text
            #expect(after == before)
        }
    }

    @Test("--dry-run before the first import checks the file and creates no database")
    func dryRunNewShop() async throws {
        try await Workspace.with { ws in
            try ws.write("dry.csv", Self.threeErrors)
            let r = try await ws.run("import", "dry.csv", "--db", "new.sqlite", "--dry-run")
            Self.expectThreeErrors(r)
            #expect(!ws.exists("new.sqlite"))

            try ws.write("orders.csv", SmallShop.csv)
            try ws.write("rates.csv", SmallShop.rates)
            let good = try await ws.run("import", "orders.csv", "--db", "new.sqlite", "--rates", "rates.csv", "--dry-run")
            #expect(good.status == 0, "\(good)")
            #expect(summaryRows(good.stdout)["Orders"] == "8")
            #expect(!ws.exists("new.sqlite"))
        }
    }

    @Test("A foreign currency without --rates is rejected with the currency named and an example table",
          arguments: ["EUR", "SEK"])
    func missingRates(currency: String) async throws {
        try await Workspace.with { ws in
            try await ws.succeed("shop", "--db", "shop.sqlite", "--currency", "DKK")
            try ws.write("orders.csv", SmallShop.header + "\n"
                + "1,2025-01-05T10:00:00+01:00,C1,a@example.com,placed,DKK,10.00,0.00,P1,Mug,1,10.00,0,DK\n"
                + "2,2025-01-06T10:00:00+01:00,C2,b@example.com,placed,\(currency),20.00,0.00,P1,Mug,1,20.00,0,DK\n"
                + "3,2025-01-07T10:00:00+01:00,C2,b@example.com,placed,\(currency),30.00,0.00,P1,Mug,1,30.00,0,DK\n")
            let r = try await ws.run("import", "orders.csv", "--db", "shop.sqlite")
            #expect(r.status != 0)
            #expect(r.stderr.contains("2 orders are in \(currency)"), "\(r)")
            #expect(r.stderr.contains("no rate was given for \(currency)"), "\(r)")
            #expect(r.stderr.contains("--rates"), "\(r)")
            let lines = r.stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(lines.contains("currency,rate"), "\(r)")
            #expect(lines.contains { $0.hasPrefix("\(currency),") }, "\(r)")
            #expect(r.stderr.contains("Nothing was imported"))
            // Nothing stored: the shop still has no orders.
            let (_, j) = try await ws.reportJSON(db: "shop.sqlite", SmallShop.periodOptions)
            #expect(integer(value(j, "totals", "orders")) == 0)
        }
    }

    @Test("Excel's Nordic CSV (BOM, CRLF, semicolons, decimal commas) gives the same report as the plain file")
    func excelFlavour() async throws {
        try await Workspace.with { ws in
            let plain = try await SmallShop.setUp(ws, db: "plain.sqlite")
            try ws.write("excel.csv", bytes: SmallShop.excelBytes)
            try await ws.succeed("shop", "--db", "excel.sqlite", "--timezone", "Europe/Copenhagen", "--currency", "DKK")
            let excel = try await ws.succeed("import", "excel.csv", "--db", "excel.sqlite", "--rates", "rates.csv")
            #expect(summaryRows(excel.stdout)["File"] == "excel.csv: canonical order lines, 8 orders, 10 lines")
            for label in ["Orders", "Lines", "Customers", "Anonymous orders", "Cancelled orders", "Currencies"] {
                #expect(summaryRows(excel.stdout)[label] == summaryRows(plain.stdout)[label], "\(label)")
            }
            let a = try await ws.reportJSON(db: "plain.sqlite", SmallShop.periodOptions).text
            let b = try await ws.reportJSON(db: "excel.sqlite", SmallShop.periodOptions).text
            #expect(a == b)
            #expect(a.contains("\"3195.95\""))
        }
    }
}
