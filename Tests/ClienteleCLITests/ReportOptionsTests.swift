import Foundation
import Testing

@Suite("clientele report customers: periods and errors")
struct ReportOptionsTests {
    @Test("Presets resolve against --as-of", arguments: [
        // Last month as of 2025-03-15: the whole of February (28 days in 2025).
        (["--period", "last-month", "--as-of", "2025-03-15"], "2025-02-01", "2025-02-28"),
        // This month: from its first day to the as-of date inclusive.
        (["--period", "this-month", "--as-of", "2025-03-15"], "2025-03-01", "2025-03-15"),
        (["--period", "this-year", "--as-of", "2025-03-15"], "2025-01-01", "2025-03-15"),
        (["--period", "last-year", "--as-of", "2025-03-15"], "2024-01-01", "2024-12-31"),
        // As-of minus 3 calendar months, up to and including the as-of date.
        (["--period", "last-3-months", "--as-of", "2025-03-15"], "2024-12-15", "2025-03-15"),
        // The default is the last 12 months.
        (["--as-of", "2025-03-15"], "2024-03-15", "2025-03-15"),
        // Leap day: last month as of 2024-03-31 is February 2024 with 29 days.
        (["--period", "last-month", "--as-of", "2024-03-31"], "2024-02-01", "2024-02-29"),
    ])
    func presets(options: [String], from: String, to: String) async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let (_, j) = try await ws.reportJSON(db: "shop.sqlite", options)
            #expect(value(j, "period", "from") as? String == from)
            #expect(value(j, "period", "to") as? String == to)
            #expect(value(j, "asOf") as? String == options.last)
        }
    }

    @Test("Last month as of 2025-03-15 counts February's orders in shop time")
    func lastMonthFigures() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let (_, j) = try await ws.reportJSON(db: "shop.sqlite", ["--period", "last-month", "--as-of", "2025-03-15"])
            // February in Copenhagen: 1004 (00:30 on 1 Feb, 300.00, 50.00 refunded) and the guest's 1005 (250.02).
            #expect(integer(value(j, "totals", "orders")) == 2)
            #expect(value(j, "totals", "revenue") as? String == "550.02")
            #expect(value(j, "totals", "netRevenue") as? String == "500.02")
            #expect(integer(value(j, "uniqueCustomers")) == 2)
            #expect(close(number(value(j, "repeatRate")), 0))
            #expect(value(j, "repeatRateColour") as? String == "red")
            #expect(isNull(value(j, "averageDaysBetweenFirstAndSecondOrder")))
        }
    }

    @Test("Contradictory or impossible period options are rejected", arguments: [
        (["--from", "2025-01-10", "--to", "2025-01-05"], "--to 2025-01-05 is before --from 2025-01-10"),
        (["--period", "this-year", "--from", "2025-01-01", "--to", "2025-01-31"], "either --period or --from/--to"),
        (["--period", "this-year", "--from", "2025-01-01"], "either --period or --from/--to"),
        (["--from", "2025-01-01"], "needs both --from and --to"),
        (["--as-of", "2025-02-30"], #"--as-of "2025-02-30" is not a date"#),
        (["--from", "2025-13-01", "--to", "2025-12-31"], #"--from "2025-13-01" is not a date"#),
        (["--period", "next-year"], "next-year"),
        (["--top", "-1"], "--top"),
        (["--format", "xml"], "xml"),
    ])
    func rejected(options: [String], message: String) async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let r = try await ws.run(["report", "customers", "--db", "shop.sqlite"] + options)
            #expect(r.status != 0)
            #expect(r.stdout.isEmpty, "\(r)")
            #expect(r.stderr.contains(message), "\(r)")
        }
    }

    @Test("A report on a missing database names the file and how to create it, and creates nothing")
    func missingDatabase() async throws {
        try await Workspace.with { ws in
            let r = try await ws.run("report", "customers", "--db", "nowhere.sqlite")
            #expect(r.status != 0)
            #expect(r.stderr.contains("nowhere.sqlite"), "\(r)")
            #expect(r.stderr.contains("clientele import FILE --db nowhere.sqlite"), "\(r)")
            #expect(r.stderr.contains("clientele demo --db nowhere.sqlite"), "\(r)")
            #expect(!ws.exists("nowhere.sqlite"))

            // The same through $CLIENTELE_DB.
            let env = try await ws.run(["report", "customers"], environment: ["CLIENTELE_DB": "elsewhere.sqlite"])
            #expect(env.status != 0)
            #expect(env.stderr.contains("elsewhere.sqlite"), "\(env)")
        }
    }

    @Test("No database named at all: the message says how to name one")
    func noDatabaseNamed() async throws {
        try await Workspace.with { ws in
            let r = try await ws.run("report", "customers")
            #expect(r.status != 0)
            #expect(r.stderr.contains("--db PATH"), "\(r)")
            #expect(r.stderr.contains("CLIENTELE_DB"), "\(r)")
        }
    }

    @Test("A shop without orders or currency asks for an import")
    func emptyShop() async throws {
        try await Workspace.with { ws in
            try await ws.succeed("shop", "--db", "empty.sqlite")
            let r = try await ws.run("report", "customers", "--db", "empty.sqlite")
            #expect(r.status != 0)
            #expect(r.stderr.contains("clientele import FILE --db empty.sqlite"), "\(r)")
        }
    }

    @Test("$CLIENTELE_DB names the database when --db is absent")
    func databaseFromEnvironment() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let flag = try await ws.reportJSON(db: "shop.sqlite", SmallShop.periodOptions).text
            let env = try await ws.run(["report", "customers", "--format", "json"] + SmallShop.periodOptions,
                                       environment: ["CLIENTELE_DB": "shop.sqlite"])
            #expect(env.status == 0, "\(env)")
            #expect(env.stdout == flag)
        }
    }
}
