import ClienteleCore
import ClientelePrediction
import Foundation
import Testing

/// Data a model cannot be fitted to gets a `FitError` with a code and a sentence, never a number.
@Suite struct FitErrorTests {
    static let start = ShopDate(iso: "2024-01-01")!
    static let end = ShopDate(iso: "2024-12-31")!

    /// `repeaters` customers buying on days 0, 30 and 60 for `amount` each, `oneTimers` buying once on day 10.
    static func shop(repeaters: Int, oneTimers: Int, amount: Int64 = 2_000) -> [Transaction] {
        var out: [Transaction] = []
        for i in 0..<repeaters {
            for d in [0, 30 + i % 7, 60 + i % 11] { out.append(Transaction(customer: "r\(i)", date: start.adding(days: d), amountMinorUnits: amount)) }
        }
        for i in 0..<oneTimers { out.append(Transaction(customer: "o\(i)", date: start.adding(days: 10 + i % 50), amountMinorUnits: amount)) }
        return out
    }

    @Test func fewerThanTwentyRepeatCustomersIsTooThin() throws {
        let s = try PurchaseSummaries.compute(transactions: Self.shop(repeaters: 19, oneTimers: 500), calibrationEnd: Self.end)
        for model in RepeatPurchaseModel.allCases {
            #expect(throws: FitError.self) { try model.fit(s) }
            do { _ = try model.fit(s) } catch {
                #expect(error.code == .tooFewCustomers)
                #expect(error.description.contains("Only 19 customers bought again"))
            }
        }
        do { _ = try GammaGammaFit.fit(s) } catch { #expect(error.code == .tooFewCustomers) }
    }

    @Test func aZeroRepeatSpendStopsTheSpendFit() throws {
        var t = Self.shop(repeaters: 40, oneTimers: 100)
        // Customer r3's two repeat purchases are worth 0.
        t = t.map { $0.customer == "r3" && $0.date > Self.start ? Transaction(customer: "r3", date: $0.date, amountMinorUnits: 0) : $0 }
        let s = try PurchaseSummaries.compute(transactions: t, calibrationEnd: Self.end)
        do {
            _ = try GammaGammaFit.fit(s)
            Issue.record("expected a FitError")
        } catch {
            #expect(error.code == .nonPositiveSpend)
            #expect(error.description.contains("customer r3"))
        }
    }

    @Test func heavyTailedSpendWithQBelowOneIsRefused() throws {
        // 400 customers with one repeat purchase drawn from Gamma-Gamma itself with p = 2, q = 0.5, γ = 50:
        // ν = Z²/(2γ) with Z standard normal is Gamma(0.5, γ), and a value is (E₁ + E₂)/ν with E exponential,
        // i.e. Gamma(2, ν). With q = 0.5 the mean spend is infinite, and the fit must say so.
        var state: UInt64 = 12_345
        func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return (Double((z ^ (z >> 31)) >> 11) + 0.5) * 0x1p-53
        }
        var t: [Transaction] = []
        for i in 0..<400 {
            let normal = (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
            let nu = normal * normal / (2 * 50)
            let value = (-log(uniform()) - log(uniform())) / nu
            let cents = max(1, Int64(min(value, 1e12).rounded()))
            t.append(Transaction(customer: "c\(i)", date: Self.start, amountMinorUnits: 1_000))
            t.append(Transaction(customer: "c\(i)", date: Self.start.adding(days: 20 + i % 90), amountMinorUnits: cents))
        }
        let s = try PurchaseSummaries.compute(transactions: t, calibrationEnd: Self.end, minorUnitsPerMajor: 1)
        do {
            let fit = try GammaGammaFit.fit(s)
            Issue.record("expected a FitError, got q = \(fit.parameters.q)")
        } catch {
            #expect(error.code == .infiniteMeanSpend, "\(error)")
            #expect(error.description.contains("≤ 1"))
        }
    }

    @Test func datesInTheWrongOrderOrNoDataAreInvalid() throws {
        let t = Self.shop(repeaters: 30, oneTimers: 10)
        do {
            _ = try PurchaseSummaries.compute(transactions: t, calibrationEnd: Self.end, holdoutEnd: Self.start)
            Issue.record("expected a FitError")
        } catch { #expect(error.code == .invalidInput) }
        // Nobody bought on or before the calibration end.
        let s = try PurchaseSummaries.compute(transactions: t, calibrationEnd: ShopDate(iso: "2023-06-30")!)
        do {
            _ = try RepeatPurchaseModel.bgnbd.fit(s)
            Issue.record("expected a FitError")
        } catch { #expect(error.code == .tooFewCustomers) }
    }

    @Test func summariesCountPurchaseDaysNotOrders() throws {
        // Hand count: customer A orders twice on day 0 (10.00 + 5.00), twice on day 7 (3.00 + 4.00) and once on
        // day 21 (20.00); calibration to day 14, holdout to day 30.
        let d0 = Self.start
        let t = [("A", 0, 1000), ("A", 0, 500), ("A", 7, 300), ("A", 7, 400), ("A", 21, 2000), ("B", 20, 900)].map {
            Transaction(customer: $0.0, date: d0.adding(days: $0.1), amountMinorUnits: Int64($0.2))
        }
        let s = try PurchaseSummaries.compute(transactions: t, calibrationEnd: d0.adding(days: 14), holdoutEnd: d0.adding(days: 30), unit: .weeks)
        #expect(s.customerKeys == ["A", "B"])
        #expect(s.frequency[0] == 1)                       // day 7 is the only repeat purchase day
        #expect(s.recency(0) == 1 && s.age(0) == 2)        // 7 and 14 days in weeks
        #expect(s.meanRepeatSpend(0) == 7)                 // the day's value: 3.00 + 4.00
        #expect(s.holdoutFrequency[0] == 1)                // day 21
        #expect(!s.isIncluded(1))                          // B's first purchase is after the calibration end
        #expect(s.holdoutLength == 16.0 / 7)
    }
}
