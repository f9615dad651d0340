import Foundation
import Testing

/// `clientele customer …` and the shop's retention limit (docs/privacy.md), through the built binary.
@Suite("clientele customer (privacy)")
struct PrivacyCLITests {
    /// The whole history of a demo shop ending 2025-06-30 (it starts three years earlier).
    static let allHistory = ["--from", "2022-01-01", "--to", "2025-06-30", "--as-of", "2025-06-30"]

    /// Every file in the workspace whose name starts with `base` (the database, -wal, -shm, .snapshot,
    /// .model.json, …), with its bytes lower-cased (ASCII) so that every spelling of an e-mail is found.
    static func files(_ ws: Workspace, startingWith base: String) throws -> [(name: String, bytes: Data)] {
        try FileManager.default.contentsOfDirectory(atPath: ws.url.path).filter { $0.hasPrefix(base) }.sorted().map { name in
            let raw = try Data(contentsOf: ws.url.appendingPathComponent(name))
            return (name, Data(raw.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }))
        }
    }

    static func occurs(_ needle: String, in bytes: Data) -> Bool { bytes.range(of: Data(needle.lowercased().utf8)) != nil }

    static func permissions(_ ws: Workspace, _ name: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: ws.path(name))[.posixPermissions] as? Int)
    }

    static func totals(_ json: [String: Any]) -> (orders: Int?, anonymous: Int?, revenue: String?, net: String?, customers: Int?) {
        (integer(value(json, "totals", "orders")), integer(value(json, "totals", "anonymousOrders")),
         value(json, "totals", "revenue") as? String, value(json, "totals", "netRevenue") as? String,
         integer(value(json, "uniqueCustomers")))
    }

    @Test("forgetting a customer: the e-mail and id are in no file of the shop, the totals are unchanged, the customer count drops by one")
    func forgetDemoCustomer() async throws {
        try await Workspace.with { ws in
            try await ws.succeed("demo", "--db", "shop.sqlite", "--orders", "3000", "--end-date", "2025-06-30", "--quiet")
            // A registered customer (a numeric key) with at least two orders whose e-mail belongs to no one else: the
            // first such row of the top-customers list, checked with the export (exactly one customer).
            let top = try await ws.run(["report", "customers", "--db", "shop.sqlite", "--format", "csv", "--top", "50"] + Self.allHistory)
            #expect(top.succeeded, "\(top)")
            var chosen: (key: String, email: String, orders: [[String: Any]])? = nil
            // CSV lines end in CRLF, one Character in Swift.
            for line in top.stdout.split(whereSeparator: \.isNewline).dropFirst() {
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard f.count > 3, f[1].allSatisfy(\.isNumber), let n = Int(f[3]), n >= 2, !f[2].isEmpty else { continue }
                let export = try await ws.succeed("customer", "export", "--email", f[2], "--db", "shop.sqlite", "--as-of", "2025-06-30")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
                guard let customers = json["customers"] as? [[String: Any]], customers.count == 1 else { continue }
                chosen = (f[1], f[2], try #require(json["orders"] as? [[String: Any]]))
                break
            }
            let person = try #require(chosen, "the demo shop has a registered repeat customer")
            let placed = person.orders.filter { $0["status"] as? String == "placed" }.count
            #expect(placed >= 2)

            let before = Self.totals(try await ws.reportJSON(db: "shop.sqlite", Self.allHistory).json)
            try await ws.succeed("fit", "--db", "shop.sqlite")
            let filesBefore = try Self.files(ws, startingWith: "shop.sqlite")
            #expect(filesBefore.map(\.name).contains("shop.sqlite.snapshot"))
            for needle in [person.email, person.key] {
                let found = filesBefore.contains { Self.occurs(needle, in: $0.bytes) }
                #expect(found, "the search finds \(needle) before the forget")
            }

            // Forget by the e-mail in capitals: e-mails compare as the identity rule says.
            let forget = try await ws.succeed("customer", "forget", "--email", person.email.uppercased(), "--db", "shop.sqlite")
            #expect(forget.stdout.contains("Forgot 1 customer: \(person.orders.count) orders anonymised"), "\(forget)")
            #expect(forget.stdout.contains("run clientele fit"), "the saved fit is of older orders now: \(forget)")
            let printed = (forget.stdout + forget.stderr).lowercased()
            #expect(!printed.contains(person.email.lowercased()) && !printed.contains(person.key), "the output names no one: \(forget)")

            // Totals unchanged; one customer fewer; their placed orders now count as anonymous orders.
            let after = Self.totals(try await ws.reportJSON(db: "shop.sqlite", Self.allHistory).json)
            #expect(after.orders == before.orders)
            #expect(after.revenue == before.revenue)
            #expect(after.net == before.net)
            #expect(after.customers == before.customers.map { $0 - 1 })
            #expect(after.anonymous == before.anonymous.map { $0 + placed })

            // The raw bytes of every file of the shop: the database (and -wal, -shm when present), the snapshot,
            // the saved fit.
            let filesAfter = try Self.files(ws, startingWith: "shop.sqlite")
            #expect(filesAfter.map(\.name).contains("shop.sqlite.snapshot"), "rebuilt: \(filesAfter.map(\.name))")
            for (name, bytes) in filesAfter {
                for needle in [person.email, person.key] {
                    let found = Self.occurs(needle, in: bytes)
                    #expect(!found, "\(needle) is still in \(name)")
                }
            }
            for name in filesAfter.map(\.name) {
                #expect(try Self.permissions(ws, name) == 0o600, "\(name) is readable by its owner only")
            }
            let export = try await ws.run("customer", "export", "--email", person.email, "--db", "shop.sqlite")
            #expect(export.status != 0 && export.stderr.contains("No stored order belongs to that e-mail"), "\(export)")
            #expect(!export.stderr.lowercased().contains(person.email.lowercased()))
            let log = try await ws.succeed("customer", "log", "--db", "shop.sqlite", "--format", "json")
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
            #expect(entries.count == 1)
            #expect(entries.first?["action"] as? String == "forget")
            #expect(integer(entries.first?["customers"]) == 1 && integer(entries.first?["orders"]) == person.orders.count)
        }
    }

    /// SmallShop's orders of anna@example.com, written out from its rows (Fixtures.swift): C1's 1002, 1004 and
    /// 1007 (under another e-mail, in EUR: 99.99 × 7.46 = 745.93 DKK) and the guest order 1005, in time order;
    /// 1004 at 23:30 UTC on 31 January is 00:30 on 1 February in Copenhagen. Audiences as of 2025-03-31: C1 has 3
    /// orders (repeaters), the guest 1 (guest-anna names her); `likely` needs a fit there is none of.
    static let annaExport = """
    {
      "export": "clientele-customer-export-v1",
      "shop": "My shop",
      "request": {
        "email": "anna@example.com"
      },
      "asOf": "2025-03-31",
      "customers": [
        {
          "key": "C1",
          "customerIds": ["C1"],
          "emails": ["anna@example.com", "Anna.New@Example.com"],
          "countries": ["DK", "DE"],
          "orders": 3,
          "cancelledOrders": 0,
          "firstOrder": "2025-01-05T10:00:00+01:00",
          "lastOrder": "2025-03-05T12:00:00+01:00",
          "audiences": ["repeaters"]
        },
        {
          "key": "anna@example.com",
          "customerIds": [],
          "emails": ["Anna@Example.COM"],
          "countries": ["DK"],
          "orders": 1,
          "cancelledOrders": 0,
          "firstOrder": "2025-02-15T15:00:00+01:00",
          "lastOrder": "2025-02-15T15:00:00+01:00",
          "audiences": ["guest-anna"]
        }
      ],
      "orders": [
        {
          "id": "1002",
          "placedAt": "2025-01-05T10:00:00+01:00",
          "status": "placed",
          "customer": "C1",
          "customerId": "C1",
          "email": "anna@example.com",
          "country": "DK",
          "currency": "DKK",
          "total": "500.00",
          "refunded": "0.00",
          "shopCurrency": "DKK",
          "shopTotal": "500.00",
          "shopRefunded": "0.00",
          "rate": null,
          "lines": [
            {
              "productId": "P1",
              "productName": "Mug",
              "quantity": 2,
              "unitPrice": "200.00",
              "returnedQuantity": 0
            },
            {
              "productId": "P2",
              "productName": "Tea",
              "quantity": 1,
              "unitPrice": "100.00",
              "returnedQuantity": 1
            }
          ]
        },
        {
          "id": "1004",
          "placedAt": "2025-02-01T00:30:00+01:00",
          "status": "placed",
          "customer": "C1",
          "customerId": "C1",
          "email": "anna@example.com",
          "country": "DK",
          "currency": "DKK",
          "total": "300.00",
          "refunded": "50.00",
          "shopCurrency": "DKK",
          "shopTotal": "300.00",
          "shopRefunded": "50.00",
          "rate": null,
          "lines": [
            {
              "productId": "P1",
              "productName": "Mug",
              "quantity": 1,
              "unitPrice": "300.00",
              "returnedQuantity": 0
            }
          ]
        },
        {
          "id": "1005",
          "placedAt": "2025-02-15T15:00:00+01:00",
          "status": "placed",
          "customer": "anna@example.com",
          "customerId": null,
          "email": "Anna@Example.COM",
          "country": "DK",
          "currency": "DKK",
          "total": "250.02",
          "refunded": "0.00",
          "shopCurrency": "DKK",
          "shopTotal": "250.02",
          "shopRefunded": "0.00",
          "rate": null,
          "lines": [
            {
              "productId": "P2",
              "productName": "Tea",
              "quantity": 2,
              "unitPrice": "125.01",
              "returnedQuantity": 0
            }
          ]
        },
        {
          "id": "1007",
          "placedAt": "2025-03-05T12:00:00+01:00",
          "status": "placed",
          "customer": "C1",
          "customerId": "C1",
          "email": "Anna.New@Example.com",
          "country": "DE",
          "currency": "EUR",
          "total": "99.99",
          "refunded": "0.00",
          "shopCurrency": "DKK",
          "shopTotal": "745.93",
          "shopRefunded": "0.00",
          "rate": "7.46",
          "lines": [
            {
              "productId": "P3",
              "productName": "Kettle",
              "quantity": 1,
              "unitPrice": "99.99",
              "returnedQuantity": 0
            }
          ]
        }
      ],
      "audiencesNotEvaluated": ["likely"],
    """

    @Test("export prints every stored row of the person, their audiences and what is derived")
    func exportMatchesImportedRows() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            for builtIn in ["one-time-buyers-follow-up", "loyal-slipping-away", "lost-vips", "due-for-reminder"] {
                try await ws.succeed("audience", "delete", builtIn, "--db", "shop.sqlite")
            }
            try await ws.succeed("audience", "create", "repeaters", "--filter", "orders >= 2", "--db", "shop.sqlite")
            try await ws.succeed("audience", "create", "guest-anna", "--filter", "customer = \"anna@example.com\"", "--db", "shop.sqlite")
            try await ws.succeed("audience", "create", "likely", "--filter", "p_alive > 0.5", "--db", "shop.sqlite")
            let r = try await ws.succeed("customer", "export", "--email", " Anna@Example.com", "--db", "shop.sqlite", "--as-of", "2025-03-31")
            #expect(r.stdout.hasPrefix(Self.annaExport), "\(r.stdout)")
            #expect(r.stdout.contains("\"derived\": [\"Reports, audiences"))

            // By key: the guest only. To a file: readable by its owner only.
            let file = try await ws.succeed("customer", "export", "--customer", "anna@example.com", "--db", "shop.sqlite",
                                            "--as-of", "2025-03-31", "--output", "anna.json")
            #expect(file.stdout == "Wrote 1 order of 1 customer to anna.json.\n")
            #expect(try Self.permissions(ws, "anna.json") == 0o600)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(try ws.read("anna.json").utf8)) as? [String: Any])
            #expect((json["orders"] as? [[String: Any]])?.map { $0["id"] as? String } == ["1005"])

            // Neither or both of --email and --customer: a usage error.
            let neither = try await ws.run("customer", "export", "--db", "shop.sqlite")
            #expect(neither.status != 0 && neither.stderr.contains("--email E or --customer KEY"), "\(neither)")
        }
    }

    @Test("anonymise-inactive: a dry run changes nothing; the limit counts cancelled orders as activity; the day itself is kept")
    func anonymiseInactive() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let period = SmallShop.periodOptions
            let before = try await ws.reportJSON(db: "shop.sqlite", period).text
            let noLimit = try await ws.run("customer", "anonymise-inactive", "--db", "shop.sqlite")
            #expect(noLimit.status != 0 && noLimit.stderr.contains("no retention limit"), "\(noLimit)")

            // Last orders (Fixtures.swift): guest anna 2025-02-15, C2 2025-03-03 (1006, cancelled), C1 2025-03-05 12:00.
            let dry = try await ws.succeed("customer", "anonymise-inactive", "--years", "1", "--as-of", "2026-02-20",
                                           "--db", "shop.sqlite", "--dry-run")
            #expect(dry.stdout.hasPrefix("Dry run: 1 customer with their last order before 2025-02-20 (1 year before 2026-02-20) would be anonymised (1 order)"), "\(dry)")
            #expect(try await ws.reportJSON(db: "shop.sqlite", period).text == before)

            let first = try await ws.succeed("customer", "anonymise-inactive", "--years", "1", "--as-of", "2026-02-20", "--db", "shop.sqlite")
            #expect(first.stdout.hasPrefix("Anonymised 1 customer: 1 order anonymised"), "\(first)")
            let second = try await ws.succeed("customer", "anonymise-inactive", "--years", "1", "--as-of", "2026-03-04", "--db", "shop.sqlite")
            #expect(second.stdout.hasPrefix("Anonymised 1 customer: 3 orders anonymised"), "C2: 1001, 1003 and the cancelled 1006: \(second)")
            let kept = try await ws.succeed("customer", "anonymise-inactive", "--years", "1", "--as-of", "2026-03-05", "--db", "shop.sqlite")
            #expect(kept.stdout.hasPrefix("No customer has their last order before 2025-03-05"), "C1's order at noon that day is kept: \(kept)")

            // Q1 2025 before: C1, C2 and the guest anna; now C1 only. Order totals are unchanged.
            let after = try await ws.reportJSON(db: "shop.sqlite", period).json
            let old = try #require(try JSONSerialization.jsonObject(with: Data(before.utf8)) as? [String: Any])
            #expect(integer(value(old, "uniqueCustomers")) == 3)
            #expect(integer(value(after, "uniqueCustomers")) == 1)
            #expect(value(after, "totals", "revenue") as? String == value(old, "totals", "revenue") as? String)
            #expect(integer(value(after, "totals", "orders")) == integer(value(old, "totals", "orders")))
        }
    }

    @Test("the retention limit is a shop setting, applied after every import, and re-importing an old export brings no one back")
    func retentionAfterImport() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let set = try await ws.succeed("shop", "--db", "shop.sqlite", "--retention-years", "1")
            #expect(summaryRows(set.stdout)["Retention"] == "1 year (customers inactive longer are anonymised)")
            let bad = try await ws.run("shop", "--db", "shop.sqlite", "--retention-years", "0")
            #expect(bad.status != 0 && bad.stderr.contains("from 1 to 100, or off"), "\(bad)")

            // Every order of the shop is from before 2025-03-11, more than a year before today (this test was written
            // in 2026): the import after the setting anonymises all three customers. The same file again brings none back.
            let imported = try await ws.succeed("import", "orders.csv", "--db", "shop.sqlite", "--rates", "rates.csv")
            #expect(imported.stdout.contains("Retention limit (1 year; last order before"), "\(imported)")
            #expect(imported.stdout.contains("anonymised 3 customers: 7 orders anonymised"), "\(imported)")
            let again = try await ws.succeed("import", "orders.csv", "--db", "shop.sqlite", "--rates", "rates.csv")
            #expect(summaryRows(again.stdout)["Stored"] == "0 inserted, 7 replaced, 1 unchanged", "erased again on the way in: \(again)")
            #expect(!again.stdout.contains("Retention limit"), "nobody left to anonymise: \(again)")
            let report = try await ws.reportJSON(db: "shop.sqlite", SmallShop.periodOptions).json
            #expect(integer(value(report, "uniqueCustomers")) == 0)
            let bytes = try Self.files(ws, startingWith: "shop.sqlite")
            for (name, data) in bytes {
                for needle in ["anna@example.com", "bo@example.com", "anna.new@example.com"] {
                    let found = Self.occurs(needle, in: data)
                    #expect(!found, "\(needle) is still in \(name)")
                }
            }

            let off = try await ws.succeed("shop", "--db", "shop.sqlite", "--retention-years", "off")
            #expect(summaryRows(off.stdout)["Retention"] == "off (customers are kept until forgotten)")
            let log = try await ws.succeed("customer", "log", "--db", "shop.sqlite")
            #expect(log.stdout.contains("retention          3       7          0"), "\(log)")
        }
    }

    @Test("a new database and its snapshot are readable by their owner only")
    func permissions() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws, db: "new.sqlite")
            _ = try await ws.reportJSON(db: "new.sqlite", SmallShop.periodOptions)
            #expect(try Self.permissions(ws, "new.sqlite") == 0o600)
            #expect(try Self.permissions(ws, "new.sqlite.snapshot") == 0o600)
        }
    }
}
