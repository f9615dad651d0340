import ClienteleCore
import ClientelePrediction
import Foundation

/// The CDNOW 1/10th sample (Fixtures/CDNOW_sample.txt, copied from shared/data/cdnow) and its published summary.
enum CDNOW {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let calibrationEnd = ShopDate(iso: "1997-09-30")!
    static let holdoutEnd = ShopDate(iso: "1998-06-30")!

    /// Every row as a transaction: customer = the sample id (1…2357), date `YYYYMMDD`, amount in cents.
    static let transactions: [Transaction] = {
        let text = try! String(contentsOf: fixtures.appendingPathComponent("CDNOW_sample.txt"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            let f = line.split(whereSeparator: \.isWhitespace)
            guard f.count == 5 else { return nil }
            let d = f[2]
            let date = ShopDate(year: Int(d.prefix(4))!, month: Int(d.dropFirst(4).prefix(2))!, day: Int(d.suffix(2))!)!
            return Transaction(customer: String(f[1]), date: date,
                               amountMinorUnits: Money.parseMinorUnits(f[4], digits: 2)!)
        }
    }()

    /// The summaries in weeks with the 39-week calibration and the 39-week holdout.
    static let weekly: PurchaseSummaries = try! PurchaseSummaries.compute(
        transactions: transactions, calibrationEnd: calibrationEnd, holdoutEnd: holdoutEnd, unit: .weeks)

    /// The published summary `ID,x,t_x,T,zbar` (weeks, 2 decimals).
    static let published: [Int: (x: Int, tx: Double, t: Double, zbar: Double)] = {
        let text = try! String(contentsOf: fixtures.appendingPathComponent("cdnow_customers_summary_with_transactions.csv"), encoding: .utf8)
        var out: [Int: (x: Int, tx: Double, t: Double, zbar: Double)] = [:]
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            out[Int(f[0])!] = (Int(f[1])!, Double(f[2])!, Double(f[3])!, Double(f[4])!)
        }
        return out
    }()

    /// The published parameters (reference-params.json).
    static let bgnbd = RepeatPurchaseParameters(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    static let gammaGamma = GammaGammaParameters(p: 6.25, q: 3.74, gamma: 15.44)
}
