import ClienteleCore
import ClienteleStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// The dashboard in English, Danish, Swedish and Norwegian Bokmål (docs/dashboard.md, "Languages").
@Suite struct LanguageTests {
    static let nbsp = "\u{00A0}"

    /// What the fixture's Customers page (2025, as of 2025-12-31) shows in each language. By hand from
    /// ServerFixture: repeat rate 2 of 4 customers (c1, c2) = 50.0 %; one-time customers c3 + c4 earn
    /// 400 + 1000 = 1400 of 2120 kr = 66.04 % → 66.0 %; c4's revenue 1000.00 DKK; c4's first order 2025-07-07.
    struct Expected: Sendable, CustomStringConvertible {
        var lang: String
        var navigation: [String]
        var headings: [String]
        var repeatRateCard: String
        var revenueShare: String
        var topRevenue: String
        var date: String
        var description: String { lang }
    }

    static let expected: [Expected] = [
        Expected(lang: "en",
                 navigation: [">Customers</a>", ">Analytics</a>", ">Retention &amp; CLV</a>", ">Settings</a>"],
                 headings: ["<h1>Customers</h1>", ">Segments</h2>", ">Top 4 customers</h2>", "<th scope=\"col\">Month</th>"],
                 repeatRateCard: "<h2>Repeat rate</h2><div class=\"value\">50.0 %</div>",
                 revenueShare: ">66.0 %</td>", topRevenue: ">1,000.00 DKK</td>", date: ">2025-07-07T"),
        Expected(lang: "da",
                 navigation: [">Kunder</a>", ">Analyse</a>", ">Fastholdelse &amp; CLV</a>", ">Indstillinger</a>"],
                 headings: ["<h1>Kunder</h1>", ">Kundesegmenter</h2>", ">Top 4 kunder</h2>", "<th scope=\"col\">Måned</th>",
                            ">Gennemsnitlig CLV</h2>", ">Tilbagevendende</th>"],
                 repeatRateCard: "<h2>Gentagelsesrate</h2><div class=\"value\">50,0\(nbsp)%</div>",
                 revenueShare: ">66,0\(nbsp)%</td>", topRevenue: ">1.000,00\(nbsp)kr.</td>", date: ">07.07.2025</td>"),
        Expected(lang: "sv",
                 navigation: [">Kunder</a>", ">Analys</a>", ">Kundbehållning &amp; CLV</a>", ">Inställningar</a>"],
                 headings: ["<h1>Kunder</h1>", ">Kundsegment</h2>", ">Topp 4 kunder</h2>", "<th scope=\"col\">Månad</th>",
                            ">Unika kunder</h2>", ">Återkommande</th>"],
                 repeatRateCard: "<h2>Returfrekvens</h2><div class=\"value\">50,0\(nbsp)%</div>",
                 revenueShare: ">66,0\(nbsp)%</td>", topRevenue: ">1\(nbsp)000,00\(nbsp)DKK</td>", date: ">2025-07-07</td>"),
        Expected(lang: "nb",
                 navigation: [">Kunder</a>", ">Analyse</a>", ">Kundelojalitet &amp; CLV</a>", ">Innstillinger</a>"],
                 headings: ["<h1>Kunder</h1>", ">Kundesegmenter</h2>", ">Topp 4 kunder</h2>", "<th scope=\"col\">Måned</th>",
                            ">Unike kunder</h2>", ">Returnerende</th>"],
                 repeatRateCard: "<h2>Gjenkjøpsrate</h2><div class=\"value\">50,0\(nbsp)%</div>",
                 revenueShare: ">66,0\(nbsp)%</td>", topRevenue: ">1\(nbsp)000,00\(nbsp)DKK</td>", date: ">07.07.2025</td>"),
    ]

    @Test(arguments: expected)
    func theCustomersPageIsInTheRequestedLanguage(e: Expected) async throws {
        try await ServerFixture.withClient { client, _ in
            let (status, _, page) = try await ServerFixture.get(client, "/?from=2025-01-01&to=2025-12-31&asOf=2025-12-31&lang=\(e.lang)")
            #expect(status == .ok)
            #expect(page.contains("<html lang=\"\(e.lang)\">"))
            for text in e.navigation + e.headings { #expect(page.contains(text), "\(e.lang): \(text)") }
            #expect(page.contains(e.repeatRateCard), "\(e.lang)")
            #expect(page.contains(e.revenueShare), "\(e.lang)")
            #expect(page.contains(e.topRevenue), "\(e.lang)")
            #expect(page.contains(e.date), "\(e.lang)")
            // The given lang is kept in the navigation, the period form and the links to customers.
            #expect(page.contains("<a href=\"/analytics?lang=\(e.lang)\""), "\(e.lang)")
            #expect(page.contains("<input type=\"hidden\" name=\"lang\" value=\"\(e.lang)\">"), "\(e.lang)")
            #expect(page.contains("href=\"/customers/c1?lang=\(e.lang)\""), "\(e.lang)")
            // The switcher links to the same page and period in each language.
            #expect(page.contains("href=\"/?asOf=2025-12-31&amp;from=2025-01-01&amp;lang=sv&amp;to=2025-12-31\""))
            if e.lang != "en" { #expect(!page.contains(">Segments</h2>") && !page.contains(">Repeat rate<"), "\(e.lang)") }
        }
    }

    @Test func withoutLangTheEnglishPageKeepsPlainLinks() async throws {
        try await ServerFixture.withClient { client, _ in
            let (_, _, page) = try await ServerFixture.get(client, "/?asOf=2025-12-31")
            #expect(page.contains("<html lang=\"en\">"))
            #expect(page.contains(#"<a href="/analytics">Analytics</a>"#))
            #expect(!page.contains("name=\"lang\""))
            #expect(page.contains("href=\"/customers/c1\""))
        }
    }

    @Test func anUnknownLanguageIsABadRequest() async throws {
        try await ServerFixture.withClient { client, _ in
            let (status, _, page) = try await ServerFixture.get(client, "/?lang=xx")
            #expect(status == .badRequest)
            #expect(page.contains("lang &quot;xx&quot; is not one of: en, da, sv, nb."))
            // The error page itself is in the shop's language and links back without the bad lang.
            #expect(page.contains("<html lang=\"en\">"))
            #expect(!page.contains("lang=xx\""))
            let (other, _, _) = try await ServerFixture.get(client, "/analytics?lang=DA")
            #expect(other == .badRequest)
        }
    }

    @Test func theJSONAPIIsUnaffectedByLang() async throws {
        try await ServerFixture.withClient { client, _ in
            let query = "from=2025-01-01&to=2025-12-31&asOf=2025-12-31"
            let (_, _, plain) = try await ServerFixture.get(client, "/api/v1/customers?\(query)")
            let (status, type, danish) = try await ServerFixture.get(client, "/api/v1/customers?\(query)&lang=da")
            #expect(status == .ok && type.hasPrefix("application/json"))
            #expect(danish == plain)
            #expect(!danish.contains("kr.") && !danish.contains("\u{00A0}"))
        }
    }

    @Test(arguments: [("da_DK", "da", "<h1>Kunder</h1>"), ("sv_SE", "sv", ">Returfrekvens</h2>"), ("nb_NO", "nb", ">Gjenkjøpsrate</h2>"),
                      ("nn_NO", "nb", ">Gjenkjøpsrate</h2>"), ("en_GB", "en", ">Repeat rate</h2>"), ("de_DE", "en", ">Repeat rate</h2>")])
    func theShopsLocaleChoosesTheDefault(locale: String, lang: String, text: String) async throws {
        let store = InMemoryOrderStore(settings: ShopSettings(name: "Butik", timeZone: "UTC", currency: "DKK", locale: locale))
        _ = try await store.replaceOrders(ServerFixture.orders)
        let service = ShopService(store: store, cachePath: nil, revisionCheckSeconds: 0, now: { ServerFixture.now })
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in
            let (status, _, page) = try await ServerFixture.get(client, "/?asOf=2025-12-31")
            #expect(status == .ok)
            #expect(page.contains("<html lang=\"\(lang)\">"), "\(locale)")
            #expect(page.contains(text), "\(locale)")
            // No lang given: the navigation links stay plain.
            #expect(page.contains("<a href=\"/analytics\">"), "\(locale)")
            // ?lang= overrides the shop's locale.
            let (_, _, english) = try await ServerFixture.get(client, "/?asOf=2025-12-31&lang=en")
            #expect(english.contains("<html lang=\"en\">") && english.contains(">Repeat rate</h2>"))
        }
    }

    @Test func theLanguageOfALocale() {
        let cases: [(String, Language)] = [("da_DK", .da), ("da", .da), ("sv_SE", .sv), ("sv-FI", .sv), ("nb_NO", .nb), ("no", .nb),
                                           ("nn_NO", .nb), ("en_GB", .en), ("en_US_POSIX", .en), ("de_DE", .en), ("", .en)]
        for (locale, language) in cases { #expect(Language.of(locale: locale) == language, "\(locale)") }
    }

    /// Hand-written: the separators of each language (sv and nb group with U+00A0).
    @Test func numbersMoneyPercentagesAndDates() {
        let dkk = Currency(code: "DKK")!, sek = Currency(code: "SEK")!, nok = Currency(code: "NOK")!, eur = Currency(code: "EUR")!
        let s = Self.nbsp
        let en = LocaleFormat(language: .en), da = LocaleFormat(language: .da), sv = LocaleFormat(language: .sv), nb = LocaleFormat(language: .nb)
        #expect(en.int(1_234_567) == "1,234,567")
        #expect(da.int(1_234_567) == "1.234.567")
        #expect(sv.int(1_234_567) == "1\(s)234\(s)567")
        #expect(nb.int(-1234) == "−1\(s)234")
        #expect(en.decimal(1234.5, digits: 2) == "1,234.50")
        #expect(da.decimal(1234.5, digits: 2) == "1.234,50")
        #expect(sv.decimal(1234.5, digits: 2) == "1\(s)234,50")
        #expect(en.money(Money(minorUnits: 123_450, currency: dkk)) == "1,234.50 DKK")
        #expect(da.money(Money(minorUnits: 123_450, currency: dkk)) == "1.234,50\(s)kr.")
        #expect(sv.money(Money(minorUnits: 123_450, currency: sek)) == "1\(s)234,50\(s)kr")
        #expect(nb.money(Money(minorUnits: 123_450, currency: nok)) == "1\(s)234,50\(s)kr")
        #expect(da.money(Money(minorUnits: -123_450, currency: eur)) == "−1.234,50\(s)EUR")
        #expect(sv.money(Money(minorUnits: 5, currency: dkk)) == "0,05\(s)DKK")
        // Exact minor units: 2^53 + 1 øre is not representable as a Double.
        #expect(da.money(Money(minorUnits: 9_007_199_254_740_993, currency: dkk)) == "90.071.992.547.409,93\(s)kr.")
        #expect(en.percent(0.125) == "12.5 %")
        #expect(da.percent(0.125) == "12,5\(s)%")
        #expect(sv.change(0.125) == "+12,5\(s)%")
        #expect(nb.percent(nil) == "–")
        let d = ShopDate(iso: "2026-11-24")!
        #expect(en.date(d) == "2026-11-24")
        #expect(da.date(d) == "24.11.2026")
        #expect(sv.date(d) == "2026-11-24")
        #expect(nb.date(d) == "24.11.2026")
        #expect(da.dateOfTimestamp("2026-11-24T08:00:00+01:00") == "24.11.2026")
    }

    /// The navigation, page titles, headings and table headers are translated into every language; the
    /// rest may fall back to English (listed here when it does).
    @Test(arguments: [Language.da, .sv, .nb])
    func theCatalogueIsCompleteForTheRequiredTexts(language: Language) {
        let required = Translations.navigationAndTitles + Translations.headings + Translations.tableHeaders
        #expect(Translations.missing(required, in: language) == [])
        let english = Translations.all.map(\.en)
        #expect(Set(english).count == english.count, "each English text once")
        for item in Page.navigation { #expect(Translations.index[item.label] != nil, "\(item.label)") }
        #expect(language.t("No such text") == "No such text")
    }
}
