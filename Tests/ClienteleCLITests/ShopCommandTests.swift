import Foundation
import Testing

@Suite("clientele shop")
struct ShopCommandTests {
    @Test("A new database shows the defaults; changes are saved and shown")
    func defaultsAndChanges() async throws {
        try await Workspace.with { ws in
            let fresh = try await ws.succeed("shop", "--db", "shop.sqlite")
            var rows = summaryRows(fresh.stdout)
            #expect(rows["Time zone"] == "UTC")
            #expect(rows["Currency"] == "– (taken from the first import)")
            #expect(rows["Shop"] == "My shop")
            #expect(rows["Locale"] == "en_US_POSIX")

            // A lower-case currency code is accepted and written in capitals.
            let changed = try await ws.succeed("shop", "--db", "shop.sqlite", "--name", "Min Butik",
                                               "--timezone", "Europe/Stockholm", "--currency", "sek", "--locale", "sv_SE")
            rows = summaryRows(changed.stdout)
            #expect(rows["Shop"] == "Min Butik")
            #expect(rows["Time zone"] == "Europe/Stockholm")
            #expect(rows["Currency"] == "SEK")
            #expect(rows["Locale"] == "sv_SE")

            // Stored: a later run without options shows the same; changing one setting keeps the others.
            let shown = try await ws.succeed("shop", "--db", "shop.sqlite")
            #expect(shown.stdout == changed.stdout)
            let tz = try await ws.succeed("shop", "--db", "shop.sqlite", "--timezone", "Europe/Oslo")
            rows = summaryRows(tz.stdout)
            #expect(rows["Time zone"] == "Europe/Oslo")
            #expect(rows["Currency"] == "SEK")
            #expect(rows["Shop"] == "Min Butik")
        }
    }

    @Test("An unknown time zone or currency is rejected and nothing is changed",
          arguments: [
            (["--timezone", "Mars/Olympus_Mons"], #"Unknown time zone "Mars/Olympus_Mons""#),
            (["--currency", "XQQ"], #"Unknown currency "XQQ""#),
            (["--currency", "Kroner"], #"Unknown currency "Kroner""#),
          ])
    func rejectsUnknown(options: [String], message: String) async throws {
        try await Workspace.with { ws in
            let before = try await ws.succeed("shop", "--db", "shop.sqlite", "--timezone", "Europe/Copenhagen", "--currency", "DKK")
            let r = try await ws.run(["shop", "--db", "shop.sqlite"] + options)
            #expect(r.status != 0)
            #expect(r.stderr.contains(message), "\(r)")
            let after = try await ws.succeed("shop", "--db", "shop.sqlite")
            #expect(after.stdout == before.stdout)
        }
    }

    @Test("The currency cannot be changed once orders are stored in it")
    func currencyLockedByOrders() async throws {
        try await Workspace.with { ws in
            _ = try await SmallShop.setUp(ws)
            let r = try await ws.run("shop", "--db", "shop.sqlite", "--currency", "EUR")
            #expect(r.status != 0)
            #expect(r.stderr.contains("DKK") && r.stderr.contains("EUR"), "\(r)")
            #expect(summaryRows(try await ws.succeed("shop", "--db", "shop.sqlite").stdout)["Currency"] == "DKK")
        }
    }
}
