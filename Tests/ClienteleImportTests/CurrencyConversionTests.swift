import ClienteleCore
import ClienteleImport
import Testing

@Suite("Currency conversion")
struct CurrencyConversionTests {
    private func rates(_ text: String) throws(ImportFailure) -> [String: ExchangeRate] {
        try parseRateTable(name: "rates.csv", bytes: Array(text.utf8))
    }

    @Test("A foreign order is converted with the rate, rounded half away from zero, and keeps the rate text")
    func converts() throws {
        // 183.43 EUR × 7.46 = 1368.3878 → 1368.39 DKK; refunded 10.05 × 7.46 = 74.973 → 74.97.
        let parsed = try parse(canonicalFile(row(["currency": "EUR", "order_total": "183.43", "refunded": "10.05", "unit_price": "91.71"])),
            options: ImportOptions(rates: try rates("currency,rate\nEUR,7.46\n")))
        let order = parsed.orders[0]
        #expect(order.total == 18_343)
        #expect(order.shopTotal == 136_839)
        #expect(order.shopRefunded == 7_497)
        #expect(order.rate == "7.46")
        #expect(parsed.ratesUsed["EUR"]?.description == "7.46")
    }

    @Test("Home-currency orders are not converted and carry no rate")
    func homeCurrency() throws {
        let parsed = try parse(canonicalFile(row()), options: ImportOptions(rates: try rates("DKK,1\nEUR,7.46\n")))
        #expect(parsed.orders[0].shopTotal == 10_000 && parsed.orders[0].rate == nil)
        #expect(parsed.ratesUsed.isEmpty)
    }

    @Test("Halves round away from zero", arguments: [
        // amount (minor units of EUR), rate, expected DKK minor units: 0.05 × 0.5 = 0.025 → 0.03; 0.01 × 0.5 = 0.005 → 0.01;
        // 0.03 × 0.5 = 0.015 → 0.02; −0.05 × 0.5 = −0.025 → −0.03; 0.07 × 0.5 = 0.035 → 0.04.
        (Int64(5), "0.5", Int64(3)), (1, "0.5", 1), (3, "0.5", 2), (-5, "0.5", -3), (7, "0.5", 4), (4, "0.5", 2),
    ])
    func halves(amount: Int64, rate: String, expected: Int64) throws {
        let eur = Currency(code: "EUR")!, dkk = Currency(code: "DKK")!
        let r = try #require(ExchangeRate(currency: eur, text: Substring(rate)))
        #expect(r.convert(amount, to: dkk) == expected)
    }

    @Test("JPY (no decimals) and KWD (three decimals) convert to and from DKK")
    func otherDigits() throws {
        // 1234 JPY × 0.0452 = 55.7768 → 55.78 DKK.
        let jpyOrder = row(["order_id": "1", "currency": "JPY", "order_total": "1234", "refunded": "0", "unit_price": "617"])
        // 12.345 KWD × 22.5 = 277.7625 → 277.76 DKK (the 5 is in the fourth place: below a half cent).
        let kwdOrder = row(["order_id": "2", "currency": "KWD", "order_total": "12.345", "refunded": "0.005",
                            "unit_price": "6.172"])
        let parsed = try parse(canonicalFile(jpyOrder, kwdOrder),
                               options: ImportOptions(rates: try rates("JPY,0.0452\nKWD,22.5\n")))
        #expect(parsed.orders[0].total == 1234 && parsed.orders[0].shopTotal == 5_578)
        #expect(parsed.orders[1].total == 12_345 && parsed.orders[1].shopTotal == 27_776)
        // 0.005 KWD × 22.5 = 0.1125 → 0.11 DKK.
        #expect(parsed.orders[1].shopRefunded == 11)
        // A JPY amount with decimals is too precise.
        #expect(failure(canonicalFile(row(["currency": "JPY", "order_total": "100.5", "unit_price": "100"])),
                        settings: ShopSettings(currency: "JPY"))?.description
                == #"orders.csv:2: order_total "100.5" has more decimals than JPY allows (0)"#)
        // In a JPY shop, 10.00 DKK × 21.3 = 213 JPY.
        let jpyShop = try parse(canonicalFile(row(["order_total": "10.00"])), settings: ShopSettings(currency: "JPY"),
                                options: ImportOptions(rates: try rates("DKK,21.3")))
        #expect(jpyShop.orders[0].shopTotal == 213)
    }

    @Test("Rate tables: header optional, decimal comma with semicolons, BOM and CRLF")
    func rateTables() throws {
        let a = try rates("EUR,7.46\nSEK,0.65\n")
        let b = try rates("\u{FEFF}Currency;Rate\r\neur;7,46\r\nSEK;0.65\r\n")
        #expect(a == b)
        #expect(a["EUR"] == ExchangeRate(currency: Currency(code: "EUR")!, mantissa: 746, scale: 2))
    }

    @Test("Bad rate tables list every bad line")
    func badRateTables() {
        #expect(throws: ImportFailure.self) { try rates("EUR,abc\n") }
        do {
            _ = try rates("currency,rate\nEUR,7.46\nXYZ,1\nSEK,-1\nEUR,7.5\nNOK\n")
            Issue.record("expected a failure")
        } catch {
            #expect("\(error)" == """
                rates.csv:3: currency "XYZ" is not an ISO 4217 currency code
                rates.csv:4: rate "-1" for SEK is not a positive decimal number (at most 12 decimals)
                rates.csv:5: EUR appears twice (lines 2 and 5)
                rates.csv:6: expected 2 fields (currency,rate), found 1
                """)
        }
    }

    @Test("Each foreign currency without a rate is one error with its order count")
    func missingRates() throws {
        let text = canonicalFile(row(["currency": "EUR"]), row(["order_id": "2", "currency": "SEK"]),
                                 row(["order_id": "3", "currency": "EUR"]), row(["order_id": "4"]))
        let f = try #require(failure(text))
        #expect(f.totalCount == 2)
        #expect(f.errors.map(\.value) == ["EUR", "SEK"])
        #expect(f.errors[0].message.hasPrefix("2 orders are in EUR but the shop reports in DKK"))
        #expect(f.errors[1].message.hasPrefix("1 order is in SEK but the shop reports in DKK"))
    }
}
