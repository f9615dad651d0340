import ClienteleCore
import FuzzSupport

/// Five customers over a year (as the audience filter tests' fixture): counts, money, dates, groups, stages,
/// countries, e-mails and products all have values to compare.
let context: AudienceContext = {
    let dkk = Currency(code: "DKK")!
    let base = ShopDate(year: 2024, month: 1, day: 1)!
    func orders(_ customer: String, _ days: [Int], total: Int64, product: String, country: String?, email: String?) -> [Order] {
        days.enumerated().map { i, d in
            Order(id: "\(customer)-\(i)", placedAt: Instant(seconds: Int64(base.adding(days: d).dayNumber) * 86_400 + 43_200),
                  customerId: customer, email: email, currency: dkk, total: total, country: country,
                  lines: [OrderLine(productId: product, quantity: 1, unitPrice: total)])
        }
    }
    let all = orders("alice", [100, 200, 300], total: 50_000, product: "P1", country: "DK", email: "alice@gmail.com")
        + orders("bob", [350], total: 120_000, product: "P00042", country: "SE", email: "bob@firma.dk")
        + orders("carol", [0, 10], total: 5_000, product: "P2", country: nil, email: "carol@gmail.com")
        + orders("dave", [395], total: 1_000, product: "P1", country: "NO", email: "Dave@X.com")
        + orders("erin", [500], total: 1_000, product: "P1", country: "DK", email: nil)
    let snapshot = ShopSnapshot(orders: all, calendar: .utc, currency: dkk)
    return AudienceContext(snapshot: snapshot, asOf: base.adding(days: 400), thresholds: .init(), currency: dkk)
}()

/// Fuzzes the audience filter language: the input (as UTF-8, invalid bytes replaced) is parsed; an error
/// must point inside the filter, and a filter that parses is evaluated over the fixture without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    do {
        let filter = try AudienceFilter(text)
        let mask = filter.customers(in: context)
        require(mask.count == context.snapshot.customerCount, "mask of \(mask.count) customers")
        _ = filter.fieldNames
        _ = filter.usesPredictions
    } catch {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        require(error.line >= 1 && error.line <= lines, "error line \(error.line) of \(lines)")
        require(error.column >= 1, "error column \(error.column)")
        require(!error.message.isEmpty, "an error without a message")
        _ = error.description
    }
    return 0
}

@main
enum FuzzFilter {
    static func main() { runFuzzer(testOneInput) }
}
