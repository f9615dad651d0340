import Foundation
import Testing
@testable import ClienteleCore

/// The JSON, table and CSV renderings of the customer statistics page.
@Suite struct CustomerStatisticsRenderingTests {
    typealias F = Fixture

    @Test func anEmptyPeriodRendersEveryKeyWithNulls() {
        let json = F.stats([], from: "2025-01-01", through: "2025-01-31").json()
        let expected = """
        {
          "asOf": "2025-01-31",
          "period": {
            "from": "2025-01-01",
            "to": "2025-01-31"
          },
          "currency": "DKK",
          "timeZone": "UTC",
          "totals": {
            "orders": 0,
            "anonymousOrders": 0,
            "revenue": "0.00",
            "netRevenue": "0.00",
            "cancelledOrders": 0
          },
          "uniqueCustomers": 0,
          "repeatRate": null,
          "repeatRateColour": null,
          "averageCLV": null,
          "averageDaysBetweenFirstAndSecondOrder": null,
          "segments": [
            {
              "segment": "one-time",
              "customers": 0,
              "share": null,
              "revenue": "0.00",
              "revenueShare": null
            },
            {
              "segment": "returning",
              "customers": 0,
              "share": null,
              "revenue": "0.00",
              "revenueShare": null
            },
            {
              "segment": "loyal",
              "customers": 0,
              "share": null,
              "revenue": "0.00",
              "revenueShare": null
            }
          ],
          "months": [
            {
              "month": "2025-01",
              "customers": 0,
              "new": 0,
              "returning": 0,
              "returningShare": null,
              "colour": null
            }
          ],
          "topCustomers": [],
          "comparison": null
        }

        """
        #expect(json == expected)
    }

    static let shop = [
        F.order("1", "2025-01-05T15:28:20+01:00", customer: "K1", email: "K1@x.dk", total: "1451.24", refunded: "1.24"),
        F.order("2", "2025-01-06T10:00:00+01:00", customer: "K1", total: "100.00"),
        F.order("3", "2025-01-07T10:00:00+01:00", customer: "K2", email: "k2@x.dk", total: "1351.24"),
        F.order("4", "2025-01-08T10:00:00+01:00", total: "10.00"),
    ]

    @Test func jsonCarriesMoneyAsStringsRatesAsFractionsAndTimestampsWithTheShopOffset() throws {
        let s = F.stats(Self.shop, from: "2025-01-01", through: "2025-01-31", calendar: F.copenhagen)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(s.json().utf8)) as? [String: Any])
        let totals = try #require(root["totals"] as? [String: Any])
        // 1451.24 + 100.00 + 1351.24 + 10.00 = 2912.48; net − 1.24 = 2911.24.
        #expect(totals["revenue"] as? String == "2912.48")
        #expect(totals["netRevenue"] as? String == "2911.24")
        #expect(totals["orders"] as? Int == 4 && totals["anonymousOrders"] as? Int == 1)
        #expect(root["uniqueCustomers"] as? Int == 2)
        #expect(root["repeatRate"] as? Double == 0.5)
        #expect(root["repeatRateColour"] as? String == "green")
        // (2902.48) ÷ 2 = 1451.24.
        #expect(root["averageCLV"] as? String == "1451.24")
        // K1: 2025-01-05 15:28:20 → 2025-01-06 10:00:00 = 66 700 s = 0.771990… days.
        #expect(root["averageDaysBetweenFirstAndSecondOrder"] as? Double == 66_700.0 / 86_400)
        let top = try #require(root["topCustomers"] as? [[String: Any]])
        #expect(top.count == 2)
        #expect(top[0]["customer"] as? String == "K1")
        #expect(top[0]["email"] is NSNull)                     // the latest order (2) has no e-mail
        #expect(top[0]["averageOrderValue"] as? String == "775.62")
        #expect(top[0]["firstOrder"] as? String == "2025-01-05T15:28:20+01:00")
        #expect(top[1]["email"] as? String == "k2@x.dk")
        #expect(root["comparison"] is NSNull)
    }

    @Test func jsonComparisonHasItsPeriodCardsTotalsAndChanges() throws {
        let s = F.stats(Self.shop, from: "2025-01-01", through: "2025-01-31", calendar: F.copenhagen, comparison: .previous)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(s.json().utf8)) as? [String: Any])
        let c = try #require(root["comparison"] as? [String: Any])
        let period = try #require(c["period"] as? [String: String])
        #expect(period == ["from": "2024-12-01", "to": "2024-12-31"])
        #expect((c["totals"] as? [String: Any])?["revenue"] as? String == "0.00")
        #expect(c["uniqueCustomers"] as? Int == 0)
        #expect(c["repeatRate"] is NSNull && c["averageCLV"] is NSNull)
        let change = try #require(c["change"] as? [String: [String: Any]])
        #expect(Set(change.keys) == ["orders", "anonymousOrders", "revenue", "netRevenue", "uniqueCustomers", "repeatRate",
                                     "averageCLV", "averageDaysBetweenFirstAndSecondOrder"])
        // 4 orders against 0: +4, relative change undefined.
        #expect(change["orders"]?["absolute"] as? Int == 4)
        #expect(change["orders"]?["relative"] is NSNull)
        #expect(change["revenue"]?["absolute"] as? String == "2912.48")
        #expect(change["averageCLV"]?["absolute"] is NSNull)
    }

    @Test func jsonStringsAreEscaped() throws {
        let key = "a\"b\\c\nd\u{01}é\u{2028}"
        #expect(JSONValue.string(key).rendered() == "\"a\\\"b\\\\c\\nd\\u0001é\\u2028\"\n")
        #expect(JSONValue.double(.nan).rendered() == "null\n")
        #expect(JSONValue.double(0.1).rendered() == "0.1\n")
        let s = F.stats([F.order("1", "2025-01-05T10:00:00Z", customer: key)], from: "2025-01-01", through: "2025-01-31")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(s.json().utf8)) as? [String: Any])
        #expect((root["topCustomers"] as? [[String: Any]])?.first?["customer"] as? String == key)
    }

    // MARK: Table

    @Test func tableWritesMoneyInTheShopsLocale() {
        let s = F.stats(Self.shop, from: "2025-01-01", through: "2025-01-31", calendar: F.copenhagen)
        let da = s.table(shopName: "Hjem", locale: "da_DK", colour: false)
        #expect(da.contains("Customer statistics — Hjem"))
        #expect(da.contains("2.912,48 DKK"))           // revenue, Danish grouping and decimal comma
        #expect(da.contains("1.451,24 DKK"))           // average CLV
        #expect(da.contains("50,0"))                   // repeat rate 50 %
        let sv = s.table(shopName: "Hem", locale: "sv_SE", colour: false)
        #expect(sv.contains("2\u{00A0}912,48 DKK"))    // Swedish groups with a no-break space
        let en = s.table(shopName: "Home", locale: "en_US", colour: false)
        #expect(en.contains("2,912.48 DKK") && en.contains("50.0%"))
        // Shop-local minute of the top customers' orders.
        #expect(en.contains("2025-01-05 15:28"))
    }

    @Test func tableShowsADashForAveragesOverNothing() {
        let t = F.stats([], from: "2025-01-01", through: "2025-01-31").table(shopName: "S", locale: "en_US", colour: false)
        let clv = t.split(separator: "\n").first { $0.hasPrefix("Average CLV") }
        #expect(clv?.hasSuffix("–") == true)
        #expect(t.contains("No customers in the period."))
    }

    @Test func tableUsesAnsiColourOnlyWhenAsked() {
        let s = F.stats(Self.shop, from: "2025-01-01", through: "2025-01-31")
        #expect(!s.table(shopName: "S", locale: "en_US", colour: false).contains("\u{1B}"))
        let coloured = s.table(shopName: "S", locale: "en_US", colour: true)
        #expect(coloured.contains("\u{1B}[32m50.0% (green)\u{1B}[0m"))
    }

    @Test func tableNeutralisesControlCharactersFromTheData() {
        let s = F.stats([F.order("1", "2025-01-05T10:00:00Z", customer: "evil\u{1B}[2J")], from: "2025-01-01", through: "2025-01-31")
        let t = s.table(shopName: "S\u{07}", locale: "en_US", colour: true)
        #expect(!t.contains("\u{1B}[2J") && !t.contains("\u{07}"))
        #expect(t.contains("evil\u{FFFD}[2J"))
    }

    // MARK: CSV

    @Test func csvListsTheTopCustomersWithRFC4180Quoting() {
        let orders = [F.order("1", "2025-01-05T10:00:00Z", customer: "Smith, \"Jr\"", email: "s@x.dk", total: "20.00"),
                      F.order("2", "2025-01-06T10:00:00Z", customer: "plain", total: "10.00")]
        let csv = F.stats(orders, from: "2025-01-01", through: "2025-01-31", calendar: F.copenhagen).csv()
        let expected = [
            "rank,customer,email,orders,revenue,average_order_value,first_order,last_order",
            #"1,"Smith, ""Jr""",s@x.dk,1,20.00,20.00,2025-01-05T11:00:00+01:00,2025-01-05T11:00:00+01:00"#,
            "2,plain,,1,10.00,10.00,2025-01-06T11:00:00+01:00,2025-01-06T11:00:00+01:00",
        ]
        #expect(csv == expected.map { $0 + "\r\n" }.joined())
    }

    @Test func csvQuotesLineBreaks() {
        #expect(CustomerStatistics.csvField("a\nb") == "\"a\nb\"")
        #expect(CustomerStatistics.csvField("a\rb") == "\"a\rb\"")
        #expect(CustomerStatistics.csvField("ab") == "ab")
    }
}
