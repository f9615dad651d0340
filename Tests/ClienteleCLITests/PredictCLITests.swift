import Foundation
import Testing

@Suite("clientele fit and clientele predict")
struct PredictCLITests {
    /// The CDNOW sample (the prediction tests' fixture) as `customer_id,date,amount` CSV.
    static let cdnowCSV: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ClientelePredictionTests/Fixtures/CDNOW_sample.txt")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var out = "customer_id,date,amount,cds\n"
        for line in text.split(whereSeparator: \.isNewline) {
            let f = line.split(whereSeparator: \.isWhitespace)
            guard f.count == 5 else { continue }
            let d = f[2]
            out += "\(f[1]),\(d.prefix(4))-\(d.dropFirst(4).prefix(2))-\(d.suffix(2)),\(f[4]),\(f[3])\n"
        }
        return out
    }()

    static func json(_ r: CLIResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "not JSON:\n\(r)")
    }

    @Test("fit --transactions on CDNOW gives the published parameters and the holdout in JSON")
    func cdnowTransactions() async throws {
        try await Workspace.with { ws in
            try ws.write("cdnow.csv", Self.cdnowCSV)
            let r = try await ws.succeed("fit", "--transactions", "cdnow.csv", "--calibration-end", "1997-09-30",
                                         "--unit", "weeks", "--format", "json")
            let j = try Self.json(r)
            #expect(j["model"] as? String == "bgnbd")
            #expect(j["unit"] as? String == "weeks")
            #expect(j["customers"] as? Int == 2357)
            let p = try #require(j["parameters"] as? [String: Double])
            // reference-params.json: r 0.243, α 4.414, a 0.793, b 2.426 (0.5 %), LL −9582.4 ± 0.1.
            for (k, v) in [("r", 0.243), ("alpha", 4.414), ("a", 0.793), ("b", 2.426)] {
                #expect(abs(p[k]! / v - 1) < 0.005, "\(k) = \(p[k]!)")
            }
            #expect(abs((j["logLikelihood"] as? Double ?? 0) - -9582.4) < 0.1)
            let g = try #require(j["gammaGamma"] as? [String: Any])
            for (k, v) in [("p", 6.25), ("q", 3.74), ("gamma", 15.44)] {
                #expect(abs((g[k] as? Double ?? 0) / v - 1) < 0.005, "\(k)")
            }
            #expect(g["customers"] as? Int == 946)
            // The holdout runs to the file's last date (1998-06-30): 1,882 actual, ≈ 1,653 predicted.
            let h = try #require(j["holdout"] as? [String: Any])
            #expect(h["actual"] as? Int == 1882)
            #expect(abs((h["predicted"] as? Double ?? 0) - 1653.4) < 0.5)
            #expect(h["to"] as? String == "1998-06-30")
            #expect((h["buckets"] as? [[String: Any]])?.map { $0["frequency"] as? String } == ["0", "1", "2", "3", "4", "5", "6", "7+"])
            #expect(((j["tracking"] as? [Any])?.count ?? 0) == 79)

            // The table says the same for people.
            let t = try await ws.succeed("fit", "--transactions", "cdnow.csv", "--calibration-end", "1997-09-30", "--unit", "weeks")
            #expect(t.stdout.contains("BG/NBD fitted on 2357 customers (946 bought again)"))
            #expect(t.stdout.contains("actual 1882"))
            #expect(t.stdout.contains("← calibration end"))

            // MBG/NBD on the same data.
            let m = try Self.json(try await ws.succeed("fit", "--transactions", "cdnow.csv", "--calibration-end", "1997-09-30",
                                                       "--unit", "weeks", "--model", "mbgnbd", "--format", "json"))
            #expect(m["model"] as? String == "mbgnbd")
        }
    }

    @Test("fit --db saves the fit beside the database and predict uses it; sorting and formats")
    func shopFitAndPredict() async throws {
        try await Workspace.with { ws in
            try await ws.succeed("demo", "--db", "shop.sqlite", "--orders", "8000", "--seed", "3", "--end-date", "2025-06-30", "--quiet")
            let fit = try await ws.succeed("fit", "--db", "shop.sqlite", "--calibration-end", "2024-12-31")
            #expect(fit.stdout.contains("Saved the fit to shop.sqlite.model.json"))
            #expect(ws.exists("shop.sqlite.model.json"))
            let saved = try #require(try JSONSerialization.jsonObject(with: Data(try ws.read("shop.sqlite.model.json").utf8)) as? [String: Any])
            #expect((saved["data"] as? [String: Any])?["calibrationEnd"] as? String == "2024-12-31")
            #expect((saved["holdout"] as? [String: Any])?["to"] as? String == "2025-06-30")

            let p = try await ws.succeed("predict", "--db", "shop.sqlite", "--as-of", "2025-06-30", "--format", "json", "--top", "10", "--margin", "0.4")
            #expect(p.stderr.contains("Using the fit saved"))
            let j = try Self.json(p)
            let top = try #require(j["top"] as? [[String: Any]])
            #expect(top.count == 10)
            // Sorted by CLV, highest first; each CLV is a decimal string; P(alive) in [0, 1].
            let clv = top.map { Double($0["clv"] as? String ?? "") ?? -1 }
            #expect(clv == clv.sorted(by: >) && clv.allSatisfy { $0 > 0 })
            #expect(top.allSatisfy { (($0["probabilityAlive"] as? Double) ?? -1) >= 0 && (($0["probabilityAlive"] as? Double) ?? 2) <= 1 })
            #expect(j["margin"] as? Double == 0.4)

            let next = try Self.json(try await ws.succeed("predict", "--db", "shop.sqlite", "--as-of", "2025-06-30", "--sort", "next", "--format", "json", "--refit"))
            let days = (next["top"] as? [[String: Any]] ?? []).map { $0["nextOrderDays"] as? Double ?? -1 }
            #expect(days.count == 20 && days == days.sorted())

            let csv = try await ws.succeed("predict", "--db", "shop.sqlite", "--as-of", "2025-06-30", "--top", "0", "--format", "csv", "--sort", "alive")
            let lines = csv.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("rank,customer,repeat_purchase_days,first_purchase,last_purchase,p_alive,expected_purchases_90d") == true)
            #expect(lines.count == (j["customers"] as? Int ?? -1) + 1)

            let table = try await ws.succeed("predict", "--db", "shop.sqlite", "--as-of", "2025-06-30", "--top", "3")
            #expect(table.stdout.contains("P(alive)") && table.stdout.contains("Next order"))
        }
    }

    @Test("Unusable input gets a clear message and a non-zero exit")
    func errors() async throws {
        try await Workspace.with { ws in
            try ws.write("bad.csv", "customer_id,date,amount\nA,2024-01-01,10.00\nB,01/02/2024,5.00\n")
            let bad = try await ws.run("fit", "--transactions", "bad.csv")
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("bad.csv:3: date \"01/02/2024\" is not a date"))

            try ws.write("thin.csv", "customer_id,date,amount\nA,2024-01-01,10.00\nA,2024-02-01,12.00\nB,2024-01-05,5.00\n")
            let thin = try await ws.run("fit", "--transactions", "thin.csv")
            #expect(thin.status != 0)
            #expect(thin.stderr.contains("Only 1 customer bought again"))

            let margin = try await ws.run("predict", "--db", "none.sqlite", "--margin", "40")
            #expect(margin.status != 0 && margin.stderr.contains("--margin is a fraction"))

            let order = try await ws.run("fit", "--transactions", "thin.csv", "--calibration-end", "2024-03-01", "--holdout-end", "2024-02-01")
            #expect(order.status != 0 && order.stderr.contains("must be after --calibration-end"))
        }
    }
}
