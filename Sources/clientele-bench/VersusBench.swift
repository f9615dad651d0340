import ArgumentParser
import ClienteleCore
import ClientelePrediction
import ClienteleSQLite
import ClienteleStore
import Foundation

/// Clientele's side of `bench/run` (Clientele against DuckDB): imports a canonical CSV with the real
/// `clientele import` into a fresh database, loads the snapshot, times every report with the engine warm
/// (best of `--runs`), measures each step's peak memory, and writes the times and the answers (each
/// report's key figures) as JSON for `bench/compare`.
struct VersusBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "versus",
        abstract: "Import a canonical CSV, time every report warm, and write times, peak memory and answers as JSON (for bench/run)."
    )

    @Option(help: "The canonical order-lines CSV to import.") var csv: String
    @Option(help: "The rate table for foreign-currency orders.") var rates: String?
    @Option(help: "The database file to create (replaced if it exists).") var db: String
    @Option(help: "Where to write the JSON.") var out: String
    @Option(help: "The as-of date D of every report (the generated shop's end date).") var asOf: String = "2025-11-20"
    @Option(help: "The shop's time zone.") var timezone: String = "Europe/Copenhagen"
    @Option(help: "The shop's currency.") var currency: String = "DKK"
    @Option(help: "Timed runs per report (the best is kept).") var runs: Int = 3
    @Option(name: .customLong("import-runs"), help: "Timed imports, each into a fresh database (the best is kept; every time is written).")
    var importRuns: Int = 3
    @Option(help: "Customers in the prediction sample.") var sample: Int = 1000
    @Option(help: "The clientele binary (default: the one built beside this benchmark).") var bin: String?
    @Flag(name: .customLong("skip-import"), help: "Use the database already at --db (for profiling the reports).") var skipImport = false
    @Option(help: "Only these reports (comma-separated names), for profiling.") var only: String?

    func run() async throws {
        guard let asOfDate = ShopDate(iso: asOf) else { throw ValidationError("--as-of must be YYYY-MM-DD") }
        let binary = bin ?? buildDirectory().appendingPathComponent("clientele").path
        var steps: [[String: Any]] = []
        if !skipImport {
            // Import: the real command, a child process (validating and persisting), into a fresh database whose
            // shop zone and currency are set first. The best of `--import-runs`, like the reports (a run that
            // shares the machine with something else only gets slower); every run's time is written too.
            var times: [Double] = []
            var best = Double.infinity, bestCPU = 0.0
            for _ in 0..<max(1, importRuns) {
                for suffix in ["", "-wal", "-shm", ".snapshot", ".model.json"] { try? FileManager.default.removeItem(atPath: db + suffix) }
                try Self.runChild(binary, ["shop", "--db", db, "--timezone", timezone, "--currency", currency])
                var importArguments = ["import", csv, "--db", db]
                if let rates { importArguments += ["--rates", rates] }
                // The files of an earlier run were just deleted and their dirty pages may still be in writeback:
                // flush them now, so that the kernel's writeback of another step is not timed as part of this one.
                sync()
                let t0 = now(), c0 = childCPUSeconds()
                try Self.runChild(binary, importArguments)
                let seconds = now() - t0, c1 = childCPUSeconds()
                times.append(seconds)
                if seconds < best {
                    best = seconds
                    bestCPU = c1.user + c1.system - c0.user - c0.system
                }
            }
            let importPeak = peakRSS(children: true)
            steps.append(["step": "import", "seconds": best, "peak_bytes": importPeak, "cpu_seconds": bestCPU, "runs": times])
            print(String(format: "import            %8.3f s  peak %@  (runs: %@)", best, mb(importPeak),
                         times.map { String(format: "%.2f s", $0) }.joined(separator: ", ")))
        }

        // The snapshot: built from the store once (and cached beside it), then loaded from the cache as a
        // report process does.
        let store = try SQLiteOrderStore(path: db)
        let settings = try await store.loadSettings()
        guard let calendar = settings.calendar, let shopCurrency = settings.reportingCurrency else {
            throw ValidationError("the imported shop has no calendar or currency")
        }
        let tz = settings.timeZone
        resetPeak()
        let t1 = now(), u1 = cpuSeconds()
        do {
            _ = try await SnapshotCache.snapshot(of: store, calendar: calendar, currency: shopCurrency, cachePath: db + ".snapshot")
        }
        steps.append(["step": "snapshot build", "seconds": now() - t1, "peak_bytes": peakVm(), "cpu_seconds": cpuSeconds() - u1])
        resetPeak()
        let t2 = now(), u2 = cpuSeconds()
        let s = try await SnapshotCache.snapshot(of: store, calendar: calendar, currency: shopCurrency, cachePath: db + ".snapshot")
        steps.append(["step": "snapshot load", "seconds": now() - t2, "peak_bytes": peakVm(), "cpu_seconds": cpuSeconds() - u2])
        print(String(format: "snapshot load     %8.3f s  %d orders, %d lines, %d customers", now() - t2, s.orderCount, s.lineCount, s.customerCount))

        let wanted = only.map { Set($0.split(separator: ",").map(String.init)) }
        let reports = Self.reports(snapshot: s, asOf: asOfDate, currency: shopCurrency, timeZone: tz, sample: sample)
            .filter { wanted?.contains($0.name) ?? true }
        var answers: [String: Any] = [:]
        for report in reports {
            var best = Double.infinity, bestCPU = Double.infinity
            var answer: [String: Any] = [:]
            resetPeak()
            for _ in 0..<max(1, runs) {
                let t = now(), u = cpuSeconds()
                answer = report.body()
                best = min(best, now() - t)
                bestCPU = min(bestCPU, cpuSeconds() - u)
            }
            let peak = peakVm()
            answers[report.name] = answer
            steps.append(["step": report.name, "seconds": best, "peak_bytes": peak, "cpu_seconds": bestCPU])
            print(report.name.padding(toLength: 17, withPad: " ", startingAt: 0) + String(format: " %8.4f s  peak %@", best, mb(peak)))
        }

        // The whole report set: one after the other, and as two parallel lanes (the machine's two cores).
        var sequential = Double.infinity, parallel = Double.infinity, sequentialCPU = Double.infinity
        resetPeak()
        for _ in 0..<max(1, runs) {
            let t = now(), u = cpuSeconds()
            for report in reports { _ = report.body() }
            sequential = min(sequential, now() - t)
            sequentialCPU = min(sequentialCPU, cpuSeconds() - u)
        }
        let sequentialPeak = peakVm()
        resetPeak()
        for _ in 0..<max(1, runs) {
            let t = now()
            await Self.runInLanes(reports, lanes: 2)
            parallel = min(parallel, now() - t)
        }
        let parallelPeak = peakVm()
        steps.append(["step": "all reports", "seconds": sequential, "peak_bytes": sequentialPeak, "cpu_seconds": sequentialCPU])
        steps.append(["step": "all reports (2 lanes)", "seconds": parallel, "peak_bytes": parallelPeak])
        print(String(format: "all reports       %8.4f s sequential, %.4f s in 2 lanes", sequential, parallel))

        let document: [String: Any] = [
            "tool": "clientele",
            "orders": s.orderCount + s.cancelledOrderCount,
            "lines": s.lineCount,
            "customers": s.customerCount,
            "as_of": asOf,
            "steps": steps,
            "answers": answers,
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: out))
    }

    /// A named report and the function that computes it and returns its key figures.
    struct Report: Sendable {
        let name: String
        let body: @Sendable () -> [String: Any]
    }

    /// Runs every report once, in `lanes` concurrent tasks taking the next report from a shared list.
    static func runInLanes(_ reports: [Report], lanes: Int) async {
        // Heaviest first so the lanes end together: the list is split by alternating positions after sorting
        // by the last measured order (fit and RFM are the long ones).
        let order = reports.indices.sorted { weight(reports[$0].name) > weight(reports[$1].name) }
        var assignment = [[Int]](repeating: [], count: lanes)
        var load = [Double](repeating: 0, count: lanes)
        for i in order {
            let lane = load.indices.min { load[$0] < load[$1] }!
            assignment[lane].append(i)
            load[lane] += weight(reports[i].name)
        }
        await withTaskGroup(of: Void.self) { group in
            for lane in assignment {
                let mine = lane.map { reports[$0] }
                group.addTask { for r in mine { _ = r.body() } }
            }
        }
    }

    /// A rough relative cost of each report, for splitting the set over the lanes.
    static func weight(_ name: String) -> Double {
        switch name {
        case "predictive fit": return 6
        case "predictions": return 2
        case "rfm": return 4
        case "lifecycle", "groups": return 3
        case "together", "cycles": return 2
        default: return 1
        }
    }

    /// Every report of the comparison, with the parameters the DuckDB side uses (bench/sql).
    static func reports(snapshot s: ShopSnapshot, asOf: ShopDate, currency: Currency, timeZone: String, sample: Int) -> [Report] {
        let period = Period.preset(.last12Months, asOf: asOf)
        let thresholds = ShopSettings.Thresholds()
        // The predictions step starts from a fit made here, outside its timed runs.
        let prepared: (PurchaseSummaries, RepeatPurchaseFit, GammaGammaFit)? = {
            guard let summaries = try? PurchaseSummaries.compute(snapshot: s, calibrationEnd: asOf),
                  let fit = try? RepeatPurchaseModel.bgnbd.fit(summaries),
                  let spend = try? GammaGammaFit.fit(summaries) else { return nil }
            return (summaries, fit, spend)
        }()
        @Sendable func money(_ m: Money?) -> Any { m.map { NSNumber(value: $0.minorUnits) } ?? NSNull() }
        @Sendable func real(_ d: Double?) -> Any { d.map { NSNumber(value: $0) } ?? NSNull() }
        return [
            Report(name: "customers") {
                let r = CustomerStatistics.compute(snapshot: s, period: period, asOf: asOf, top: 20, comparison: nil,
                                                   thresholds: thresholds, currency: currency, timeZone: timeZone)
                return [
                    "orders": r.totals.orders, "anonymous_orders": r.totals.anonymousOrders,
                    "cancelled_orders": r.totals.cancelledOrders, "revenue": r.totals.revenue.minorUnits,
                    "net_revenue": r.totals.netRevenue.minorUnits, "identified_revenue": r.totals.identifiedRevenue.minorUnits,
                    "unique_customers": r.uniqueCustomers, "repeat_customers": r.summary.repeatCustomers,
                    "average_clv": money(r.averageCLV),
                    "average_days_first_to_second": real(r.averageDaysBetweenFirstAndSecondOrder),
                    "segments": r.segments.map { [$0.segment.rawValue, $0.customers, $0.revenue.minorUnits] as [Any] },
                    "months": r.months.map { [$0.label, $0.customers, $0.new] as [Any] },
                    "top": r.topCustomers.map { [$0.customer, $0.orders, $0.revenue.minorUnits] as [Any] },
                ]
            },
            Report(name: "lifecycle") {
                let r = LifecycleReport.compute(snapshot: s, asOf: asOf, thresholds: thresholds, timeZone: timeZone)
                return [
                    "new": r.counts.new, "active": r.counts.active, "slipping_away": r.counts.slippingAway, "lost": r.counts.lost,
                    "active_before": r.activeCustomers.map { [$0.date.description, $0.active] as [Any] },
                    "shop_median_days": real(r.profiles.shopMedianIntervalDays),
                ]
            },
            Report(name: "groups") {
                let r = GroupsReport.compute(snapshot: s, asOf: asOf, thresholds: thresholds, currency: currency, timeZone: timeZone)
                func row(_ f: GroupsReport.Figures) -> [Any] {
                    let units = (f.averageBasketSize ?? 0) * Double(f.orders)
                    let lost = (f.lostShare ?? 0) * Double(f.customers)
                    return [f.group?.rawValue ?? "all", f.customers, f.orders, f.revenue.minorUnits,
                            Int(units.rounded()), Int(lost.rounded())]
                }
                return ["vip_cutoff": money(r.vipRevenueCutoff), "customers": r.customers,
                        "groups": r.groups.map(row) + [row(r.all)]]
            },
            Report(name: "retention") {
                let r = RetentionMetrics.compute(snapshot: s, period: period, asOf: asOf, currency: currency, timeZone: timeZone)
                return [
                    "S": r.retention.customersPrevious, "E": r.retention.customersCurrent, "N": r.retention.newCustomers,
                    "retained": r.retention.retained, "churned": r.retention.churned,
                    "customers_ever": r.repeatPurchase.customers, "repeat_customers_ever": r.repeatPurchase.repeatCustomers,
                    "tbp_customers": r.timeBetweenPurchases.customers, "tbp_mean_days": real(r.timeBetweenPurchases.meanDays),
                    "sold_quantity": r.productReturns.soldQuantity, "returned_quantity": r.productReturns.returnedQuantity,
                ]
            },
            Report(name: "cohorts") {
                let r = Cohorts.compute(snapshot: s, asOf: asOf, granularity: .month, count: 36, currency: currency, timeZone: timeZone)
                return ["cohorts": r.cohorts.map { c in
                    [c.label, c.customers, c.cells.map { $0.activeCustomers }, c.cells.map { $0.revenue.minorUnits }] as [Any]
                }]
            },
            Report(name: "rfm") {
                let r = RFM.compute(snapshot: s, asOf: asOf, currency: currency)
                var cells = [Int](repeating: 0, count: 125)
                for c in 0..<s.customerCount {
                    guard let score = r.score(ofCustomer: c) else { continue }
                    cells[(score.recency - 1) * 25 + (score.frequency - 1) * 5 + score.monetary - 1] += 1
                }
                return ["scored": r.scoredCustomers, "cells": cells]
            },
            Report(name: "together") {
                let r = BoughtTogether.compute(snapshot: s, period: period, asOf: asOf, timeZone: timeZone, minSupportCount: 2, top: 20)
                return ["orders": r.orders, "pair_count": r.pairCount,
                        "top": r.pairs.map { [$0.productA, $0.productB, $0.supportCount, $0.ordersWithA, $0.ordersWithB] as [Any] }]
            },
            Report(name: "cycles") {
                let r = PurchaseCycles.compute(snapshot: s, asOf: asOf, timeZone: timeZone, minGaps: 4)
                return ["products_with_gaps": r.productsWithGaps,
                        "products": r.products.map { [$0.productId, $0.gaps, $0.customers, $0.medianDays] as [Any] }]
            },
            Report(name: "predictive fit") {
                do {
                    let summaries = try PurchaseSummaries.compute(snapshot: s, calibrationEnd: asOf)
                    let fit = try RepeatPurchaseModel.bgnbd.fit(summaries)
                    let spend = try GammaGammaFit.fit(summaries)
                    return fitAnswer(summaries, fit, spend)
                } catch {
                    return ["error": "\(error)"]
                }
            },
            Report(name: "predictions") {
                // The fit is not part of this step's time: it is the predictions for every customer from a fit.
                guard let (summaries, fit, spend) = prepared else { return ["error": "no fit"] }
                let p = CustomerPredictions.compute(summaries: summaries, fit: fit, spend: spend)
                return predictionAnswer(summaries, p, sample: sample, key: s.customerKey)
            },
        ]
    }

    static func fitAnswer(_ s: PurchaseSummaries, _ fit: RepeatPurchaseFit, _ spend: GammaGammaFit) -> [String: Any] {
        var sumX = 0, sumRecency = 0, sumAge = 0
        var sumSpend: Int64 = 0
        for c in 0..<s.customerCount where s.isIncluded(c) {
            sumX += Int(s.frequency[c]); sumRecency += Int(s.recencyDays[c]); sumAge += Int(s.ageDays[c])
            sumSpend += s.repeatSpend[c]
        }
        let p = fit.parameters, g = spend.parameters
        return [
            "customers": s.includedCount, "repeat_customers": s.repeatCustomerCount,
            "sum_frequency": sumX, "sum_recency_days": sumRecency, "sum_T_days": sumAge, "sum_repeat_spend": sumSpend,
            "bgnbd": ["r": p.r, "alpha": p.alpha, "a": p.a, "b": p.b, "log_likelihood": fit.diagnostics.logLikelihood],
            "gamma_gamma": ["p": g.p, "q": g.q, "gamma": g.gamma],
        ]
    }

    /// Every `step`-th included customer in key order (step = included ÷ sample, at least 1), with P(alive),
    /// expected purchases in 90 days, the expected order value and the 12-month CLV.
    static func predictionAnswer(_ s: PurchaseSummaries, _ p: CustomerPredictions, sample: Int, key: (Int) -> String) -> [String: Any] {
        let included = s.includedCount
        let step = max(1, included / max(1, sample))
        var rows: [[Any]] = []
        var k = 0
        for c in 0..<s.customerCount where s.isIncluded(c) {
            if k % step == 0, let q = p.customers[c] {
                rows.append([key(c), q.probabilityAlive, q.expectedPurchases,
                             q.expectedOrderValue.map { NSNumber(value: $0) } ?? NSNull(), q.clv.map { NSNumber(value: $0) } ?? NSNull()])
            }
            k += 1
        }
        return ["customers": p.customers.reduce(0) { $0 + ($1 == nil ? 0 : 1) }, "sample_step": step, "sample": rows]
    }

    /// Runs a child process to the end; throws when it fails.
    static func runChild(_ binary: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("\(binary) \(arguments.joined(separator: " ")) failed with status \(process.terminationStatus)")
        }
    }
}

/// Resets this process's peak resident memory (VmHWM) to its current size (Linux: /proc/self/clear_refs).
func resetPeak() {
    if let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") {
        handle.write(Data("5".utf8))
        try? handle.close()
    }
}

/// This process's peak resident memory since the last `resetPeak()`, in bytes (VmHWM of /proc/self/status).
func peakVm() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return peakRSS() }
    for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let digits = line.split(separator: " ").compactMap { Int($0) }
        if let kb = digits.first { return kb * 1024 }
    }
    return peakRSS()
}
