import ClienteleCore
import ClienteleDemo
import ClienteleImport
import Foundation
import Testing

@Suite struct ImportRoundTripTests {
    @Test func theImporterReadsTheDemoCSVBackIntoTheGeneratedOrders() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("demo-import-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let shop = DemoFixture.shop
        let ordersPath = dir.appendingPathComponent("orders.csv").path
        let ratesPath = dir.appendingPathComponent("rates.csv").path
        let writer = CanonicalCSVWriter(calendar: shop.calendar)
        try writer.write(toPath: ordersPath) { emit in try shop.generate(emit) }
        try CanonicalCSVWriter.writeRateTable(shop.exchangeRates, toPath: ratesPath)

        let rates = try loadRateTable(path: ratesPath)
        let parsed = try parseFiles(paths: [ordersPath], settings: shop.settings, options: ImportOptions(rates: rates))
        #expect(parsed.reportingCurrency.code == "DKK")
        #expect(parsed.orders.count == DemoFixture.orders.count)
        #expect(parsed.lines == DemoFixture.summary.lines)
        let imported = Dictionary(uniqueKeysWithValues: parsed.orders.map { ($0.id, $0) })
        for original in DemoFixture.orders {
            // The importer keeps e-mails as given but trimmed (IMPORT.md); everything else is identical.
            var expected = original
            expected.email = original.email.map(CustomerIdentity.trim)
            let got = try #require(imported[original.id])
            #expect(got == expected, "order \(original.id)")
            if got != expected { break }
        }
    }
}
