import ArgumentParser
import ClienteleCore
import ClienteleDemo
import ClientelePrediction
import Foundation

/// Prediction speed: BG/NBD and Gamma-Gamma fits and per-customer predictions on the CDNOW sample, the CDNOW
/// master file and a synthetic shop of a million customers drawn from the model itself.
struct PredictionBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Time the predictive models' fits and predictions (CDNOW sample and master, 10^6 synthetic customers)."
    )

    @Option(help: ArgumentHelp("Where CDNOW_sample.txt and CDNOW_master.txt are.", valueName: "DIR"))
    var cdnow: String = "../shared/data/cdnow"
    @Option(help: "Customers in the synthetic shop.") var customers: Int = 1_000_000
    @Option(help: "Timed runs per figure (the median is reported).") var runs: Int = 5
    @Option(help: "The random seed of the synthetic shop.") var seed: UInt64 = 1
    @Option(name: .customLong("demo-orders"), help: "Orders of a generated demo shop to fit as well (2,600,000 orders ≈ 10^6 customers; 0 skips it).")
    var demoOrders: Int = 2_600_000

    func run() async throws {
        print("Machine: \(machineLine())")
        print("data                 customers  distinct(x,tx,T)  summaries s  BG/NBD fit s  iterations  Gamma-Gamma fit s  predictions s  LL")
        let cal = ShopDate(iso: "1997-09-30")!
        for (name, file, sample) in [("CDNOW sample", "CDNOW_sample.txt", true), ("CDNOW master", "CDNOW_master.txt", false)] {
            let path = (cdnow as NSString).appendingPathComponent(file)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                print("\(name): skipped, \(path) is not there (pass --cdnow DIR).")
                continue
            }
            let transactions = Self.cdnowTransactions(text, sample: sample)
            try measure(name: name, unit: .weeks) {
                try PurchaseSummaries.compute(transactions: transactions, calibrationEnd: cal, unit: .weeks)
            }
        }
        let t0 = now()
        let synthetic = Self.synthetic(customers: customers, seed: seed)
        print(String(format: "(synthetic shop of %d customers, %d purchases generated in %.1f s)", customers, synthetic.count, now() - t0))
        try measure(name: "synthetic \(customers / 1000)k", unit: .days) {
            try PurchaseSummaries.compute(transactions: synthetic, calibrationEnd: Self.syntheticEnd, unit: .days)
        }
        if demoOrders > 0 {
            // A generated shop (the demo generator: one-time buyers, a loyal core, drop-outs), as a shop owner's
            // data would arrive: orders → the engine's snapshot → per-customer summaries.
            let t1 = now()
            let end = ShopDate(iso: "2025-11-20")!
            let shop = DemoShop(endDate: end, orderCount: demoOrders, seed: seed)
            let snapshot = shop.snapshot()
            print(String(format: "(generated demo shop of %d orders, %d customers in %.1f s)", snapshot.orderCount,
                         snapshot.customerCount, now() - t1))
            try measure(name: "demo shop \(snapshot.customerCount / 1000)k", unit: .days) {
                try PurchaseSummaries.compute(snapshot: snapshot, calibrationEnd: end)
            }
        }
        print("Targets: fit < 10 ms (2,357 customers), < 50 ms (23,570), < 2 s (10^6); predictions for 10^6 customers < 1 s.")
        print("Predictions: P(alive), expected purchases in 90 days, expected order value, 12-month CLV, next order date, for every customer.")
    }

    /// Times the summaries, both fits and the predictions for one data set and prints a row.
    func measure(name: String, unit: TimeUnit, summaries make: () throws -> PurchaseSummaries) throws {
        var summaryTimes: [Double] = [], fitTimes: [Double] = [], spendTimes: [Double] = [], predictTimes: [Double] = []
        var summaries = try make()
        var fit: RepeatPurchaseFit?
        var spendNote: String?
        for _ in 0..<max(1, runs) {
            var t = now()
            summaries = try make()
            summaryTimes.append(now() - t)
            t = now()
            let f = try RepeatPurchaseModel.bgnbd.fit(summaries)
            fitTimes.append(now() - t)
            fit = f
            t = now()
            var g: GammaGammaFit?
            do { g = try GammaGammaFit.fit(summaries) } catch { spendNote = error.description }
            spendTimes.append(now() - t)
            t = now()
            let p = CustomerPredictions.compute(summaries: summaries, fit: f, spend: g)
            predictTimes.append(now() - t)
            precondition(p.customers.count == summaries.customerCount)
        }
        var distinct = Set<UInt64>()
        for c in 0..<summaries.customerCount where summaries.isIncluded(c) {
            distinct.insert(UInt64(summaries.frequency[c]) << 44 | UInt64(summaries.recencyDays[c]) << 22 | UInt64(summaries.ageDays[c]))
        }
        func median(_ a: [Double]) -> Double { a.sorted()[a.count / 2] }
        print(String(format: "%-20@ %-10d %-17d %-12.4f %-13.4f %-11d %-18.4f %-14.4f %.1f", name as NSString,
                     summaries.includedCount, distinct.count, median(summaryTimes), median(fitTimes),
                     fit?.diagnostics.iterations ?? 0, median(spendTimes), median(predictTimes), fit?.diagnostics.logLikelihood ?? .nan))
        if let p = fit?.parameters {
            print(String(format: "%20@ r %.4f  α %.4f  a %.4f  b %.4f (%@)", "" as NSString, p.r, p.alpha, p.a, p.b, unit.rawValue as NSString))
        }
        if let spendNote { print("                     (no spend model, predictions without CLV: \(spendNote))") }
    }

    /// CDNOW rows as transactions: the sample is `master-id sample-id YYYYMMDD cds value`, the master
    /// `id YYYYMMDD cds value` after a header.
    static func cdnowTransactions(_ text: String, sample: Bool) -> [Transaction] {
        var out: [Transaction] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let f = line.split(whereSeparator: \.isWhitespace)
            guard f.count == (sample ? 5 : 4), let d = Int(f[sample ? 2 : 1]) else { continue }
            guard let date = ShopDate(year: d / 10_000, month: d / 100 % 100, day: d % 100),
                  let amount = Money.parseMinorUnits(f[sample ? 4 : 3], digits: 2) else { continue }
            out.append(Transaction(customer: String(f[sample ? 1 : 0]), date: date, amountMinorUnits: amount))
        }
        return out
    }

    static let syntheticEnd = ShopDate(iso: "2025-06-30")!

    /// A shop drawn from BG/NBD and Gamma-Gamma in days: first purchases spread evenly over three years before the
    /// end, λ ~ Gamma(0.5, 60), p ~ Beta(0.8, 2.5); purchase values Gamma(6, ν) with ν ~ Gamma(3, 20).
    static func synthetic(customers n: Int, seed: UInt64) -> [Transaction] {
        var rng = SplitMix(state: seed)
        var out: [Transaction] = []
        out.reserveCapacity(n * 3)
        let end = Double(syntheticEnd.dayNumber)
        let span = 3 * 365.0
        for c in 0..<n {
            let key = String(c)
            let birth = (end - span + rng.uniform() * span).rounded(.down)
            let lambda = rng.gamma(shape: 0.5) / 60
            let p = rng.beta(0.8, 2.5)
            let nu = rng.gamma(shape: 3) / 20
            var t = birth
            func value() -> Int64 { Int64((rng.gamma(shape: 6) / nu * 100).rounded()) + 1 }
            out.append(Transaction(customer: key, date: ShopDate(dayNumber: Int(t)), amountMinorUnits: value()))
            while true {
                t += -log(1 - rng.uniform()) / lambda
                if t > end { break }
                out.append(Transaction(customer: key, date: ShopDate(dayNumber: Int(t.rounded(.down))), amountMinorUnits: value()))
                if rng.uniform() < p { break }
            }
        }
        return out
    }

    /// SplitMix64 with gamma and beta draws (Marsaglia–Tsang).
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
        mutating func normal() -> Double {
            let u = max(uniform(), 1e-300), v = uniform()
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        mutating func gamma(shape k: Double) -> Double {
            if k < 1 { return gamma(shape: k + 1) * pow(max(uniform(), 1e-300), 1 / k) }
            let d = k - 1.0 / 3, c = 1 / (9 * d).squareRoot()
            while true {
                let x = normal()
                let v0 = 1 + c * x
                if v0 <= 0 { continue }
                let v = v0 * v0 * v0
                let u = uniform()
                if log(max(u, 1e-300)) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
            }
        }
        mutating func beta(_ a: Double, _ b: Double) -> Double {
            let x = gamma(shape: a), y = gamma(shape: b)
            return x / (x + y)
        }
    }
}
