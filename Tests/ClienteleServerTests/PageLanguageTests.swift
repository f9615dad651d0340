import ClienteleCore
import ClienteleStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// Every page and form in Danish, Swedish and Norwegian Bokmål (docs/dashboard.md, "Languages"): no English
/// text of the catalogue left on a page, every text looked up has a translation, numbers in the language's
/// format, and the forms keep the language through their POST and redirect.
@Suite struct PageLanguageTests {
    /// One page fetched for a language: a GET of `path` (with `lang`), or a POST of a form.
    struct Fetch: Sendable, CustomStringConvertible {
        var path: String
        var form: [(String, String)]? = nil
        var upload: String? = nil
        var description: String { (form != nil || upload != nil ? "POST " : "") + path }
    }

    /// Every page and form of ServerFixture's shop, in the states that show different texts: the Customers,
    /// Customer (with and without a prediction, see `predictionPages`), Analytics, Audiences, Audience,
    /// New/Edit audience (empty, counted, refused), Retention & CLV (with every CLV input), Behaviour,
    /// Predictions (no model), Settings and Import (the form, an upload, a refused upload) pages, and the
    /// error pages of a report and of a form.
    static let pages: [Fetch] = [
        Fetch(path: "/?asOf=2025-12-31&compare=previous"),
        Fetch(path: "/customers/c1?asOf=2025-12-31"),
        Fetch(path: "/customers/c3?asOf=2025-06-01"),
        Fetch(path: "/analytics?asOf=2025-12-31"),
        Fetch(path: "/audiences?asOf=2025-12-31"),
        Fetch(path: "/audiences/lost-vips?asOf=2025-12-31"),
        Fetch(path: "/audiences/one-time-buyers-follow-up?asOf=2025-06-10&sort=revenue"),
        Fetch(path: "/audiences/new"),
        Fetch(path: "/audiences/new?name=two&filter=orders+%3E%3D+2&asOf=2025-12-31"),
        Fetch(path: "/audiences/new?filter=orders+%3E%3D"),
        Fetch(path: "/audiences/new", form: [("name", " padded"), ("filter", "orders >= 2")]),
        Fetch(path: "/audiences/new", form: [("name", "lost-vips"), ("filter", "orders >= 2")]),
        Fetch(path: "/audiences/lost-vips/edit"),
        Fetch(path: "/retention?asOf=2025-12-31&orderValue=300&ordersPerYear=2&lifespanYears=3&margin=0.5&cac=100"),
        Fetch(path: "/retention?asOf=2025-12-31&by=quarter"),
        Fetch(path: "/behaviour?asOf=2025-12-31"),
        Fetch(path: "/behaviour?asOf=2025-12-31&minSupportCount=1"),
        Fetch(path: "/predictions"),
        Fetch(path: "/settings"),
        Fetch(path: "/import"),
        Fetch(path: "/import", upload: ImportFixture.good),
        Fetch(path: "/import", upload: ImportFixture.broken),
        Fetch(path: "/customers/nobody"),
        Fetch(path: "/audiences/nobody/delete", form: []),
    ]

    /// The predictive pages over the demo shop (a model can be fitted there), with and without a holdout.
    static let predictionPages: [Fetch] = [
        Fetch(path: "/predictions?calibrationEnd=2024-12-31&top=5"),
        Fetch(path: "/predictions?top=5&sort=alive&margin=0.4"),
    ]

    /// `fetch` in `lang`: status and body.
    static func get(_ client: any TestClientProtocol, _ fetch: Fetch, lang: Language) async throws -> (HTTPResponse.Status, String) {
        let uri = Page.keepingLanguage(fetch.path, lang.rawValue)
        if let upload = fetch.upload {
            let (status, _, body) = try await ImportFixture.post(client, uri, contentType: "multipart/form-data; boundary=\(ImportFixture.boundary)",
                                                                 ImportFixture.multipart([("file", "eksport.csv", Array(upload.utf8))]))
            return (status, body)
        }
        if let form = fetch.form {
            let (status, _, body) = try await AudienceFixture.post(client, uri, form)
            return (status, body)
        }
        let (status, _, body) = try await ServerFixture.get(client, uri)
        return (status, body)
    }

    /// Runs `body` over ImportFixture's SQLite shop (ServerFixture's orders, the built-in audiences), where
    /// uploads work too.
    static func withShop(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await ImportFixture.withShop { client, store, _ in
            try await AudienceRoutes.seedBuiltIns(store, now: ServerFixture.now)
            try await body(client)
        }
    }

    /// The English fragments of the catalogue that must not appear on a page in `language`: each entry's
    /// English text cut at its `{placeholders}`, the pieces of at least two words and ten characters, except
    /// those that are part of a translation into `language` (a formula such as "CLV ≥ 3 × CAC", a name).
    static func englishFragments(_ language: Language) -> [String] {
        let translations = Translations.all.map { language.t($0.en) }
        var out = Set<String>()
        for entry in Translations.all where language.t(entry.en) != entry.en {
            for piece in entry.en.split(separator: "{").map({ $0.split(separator: "}", maxSplits: 1).last.map(String.init) ?? "" }) {
                let fragment = piece.trimmingCharacters(in: CharacterSet(charactersIn: " .,:;()–—·"))
                guard fragment.count >= 10, fragment.split(separator: " ").count >= 2 else { continue }
                if translations.contains(where: { $0.contains(fragment) }) { continue }
                out.insert(fragment)
            }
        }
        return out.sorted()
    }

    /// The text a reader sees in `page` (tags removed, entities decoded), without what is English on purpose:
    /// code (filters, field names, commands), preformatted parser messages and anything marked `lang="en"`.
    static func visibleText(_ page: String) -> String {
        var text = page
        for pattern in ["<style>[\\s\\S]*?</style>", "<textarea[^>]*>[\\s\\S]*?</textarea>", "<code>[\\s\\S]*?</code>", "<pre[^>]*lang=\"en\"[^>]*>[\\s\\S]*?</pre>",
                        "<(span|td|p)[^>]*lang=\"en\"[^>]*>[\\s\\S]*?</\\1>", "<a [^>]*hreflang=\"en\"[^>]*>English</a>"] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        text = text.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }

    /// English words that no Danish, Swedish or Norwegian sentence on the pages uses.
    static let englishWords: Set<String> = ["the", "and", "of", "with", "orders", "customers", "from", "this", "by", "when", "not", "no"]

    /// The English words of `text` (whole words, any case) from `englishWords`.
    static func englishWordsIn(_ text: String) -> [String] {
        text.split(whereSeparator: { !$0.isLetter }).map { $0.lowercased() }.filter { englishWords.contains($0) }
    }

    @Test(arguments: [Language.da, .sv, .nb])
    func noPageOrFormShowsEnglishText(language: Language) async throws {
        let fragments = Self.englishFragments(language)
        #expect(fragments.count > 150, "the catalogue's English sentences")
        try await Self.withShop { client in
            for fetch in Self.pages {
                let (status, page) = try await Self.get(client, fetch, lang: language)
                #expect(status.code < 500, "\(fetch) \(language): \(status)")
                #expect(page.contains("<html lang=\"\(language.rawValue)\">"), "\(fetch) \(language)")
                let text = Self.visibleText(page)
                for fragment in fragments where text.contains(fragment) {
                    Issue.record("\(fetch) in \(language) shows English: \"\(fragment)\"")
                }
                // Error pages carry the report's English sentence (docs/dashboard.md); the rest has no English word.
                if status.code < 400 || status == .unprocessableContent {
                    let words = Self.englishWordsIn(text)
                    #expect(words.isEmpty, "\(fetch) in \(language): English words \(Set(words).sorted())")
                }
            }
        }
    }

    @Test(arguments: [Language.da, .sv, .nb])
    func thePredictivePagesShowNoEnglishText(language: Language) async throws {
        let fragments = Self.englishFragments(language)
        try await PredictionFixture.withClient { client, state, _ in
            let customer = Fetch(path: "/customers/\(QueryParameters.encode(state.snapshot.customerKey(0)))?asOf=2025-06-30")
            for fetch in Self.predictionPages + [customer] {
                let (status, page) = try await Self.get(client, fetch, lang: language)
                #expect(status == .ok, "\(fetch) \(language)")
                #expect(page.contains("class=\"num parameter\"") || fetch.path.hasPrefix("/customers/"), "\(fetch): the model is shown")
                let text = Self.visibleText(page)
                for fragment in fragments where text.contains(fragment) {
                    Issue.record("\(fetch) in \(language) shows English: \"\(fragment)\"")
                }
                #expect(Self.englishWordsIn(text).isEmpty, "\(fetch) in \(language): \(Set(Self.englishWordsIn(text)).sorted())")
            }
        }
    }

    /// Every text the pages look up while rendering every page in every language has a translation: the
    /// lookups that fell back to English are recorded (`Translations.misses`) and must be none.
    @Test func everyTextLookedUpHasAllThreeTranslations() async throws {
        // The catalogue itself: every entry translated into all three languages.
        for language in [Language.da, .sv, .nb] {
            #expect(Translations.missing(Translations.all, in: language) == [], "\(language)")
        }
        let misses = TranslationMisses()
        // The hook records a text without a translation…
        Translations.$misses.withValue(misses) { _ = Language.da.t("A text the catalogue does not have") }
        #expect(misses.recorded == ["da: A text the catalogue does not have"])
        // …and rendering every page in every language records nothing else.
        let pages = TranslationMisses()
        try await Translations.$misses.withValue(pages) {
            try await Self.withShop { client in
                for language in Language.allCases {
                    for fetch in Self.pages { _ = try await Self.get(client, fetch, lang: language) }
                }
            }
            try await PredictionFixture.withClient { client, state, _ in
                let key = QueryParameters.encode(state.snapshot.customerKey(0))
                for language in [Language.da, .sv, .nb] {
                    for fetch in Self.predictionPages + [Fetch(path: "/customers/\(key)?asOf=2025-06-30")] {
                        _ = try await Self.get(client, fetch, lang: language)
                    }
                }
            }
        }
        #expect(pages.recorded == [])
    }

    /// Hand-computed from ServerFixture: c1's revenue 100 + 200 + 300 = 600.00 DKK; c1's last order o3 on
    /// 2025-06-10 at 12:00 UTC; with every CLV input given, CLV = 300 × 2 × 3 = 1,800.00 DKK. A DKK shop
    /// shows "kr." only in Danish; Swedish and Norwegian keep the code (docs/dashboard.md).
    @Test(arguments: [
        (Language.da, "600,00\u{A0}kr.", "10.06.2025 12:00", "1.800,00\u{A0}kr."),
        (.sv, "600,00\u{A0}DKK", "2025-06-10 12:00", "1\u{A0}800,00\u{A0}DKK"),
        (.nb, "600,00\u{A0}DKK", "10.06.2025 12:00", "1\u{A0}800,00\u{A0}DKK"),
    ])
    func numbersMoneyAndDatesAreInTheLanguagesFormat(language: Language, revenue: String, placed: String, clv: String) async throws {
        try await ServerFixture.withClient { client, _ in
            let (_, _, customer) = try await ServerFixture.get(client, "/customers/c1?asOf=2025-12-31&lang=\(language.rawValue)")
            #expect(customer.contains("<div class=\"value\">\(revenue)</div>"))
            #expect(customer.contains("<td>\(placed)</td>"))
            let (_, _, retention) = try await ServerFixture.get(client, "/retention?asOf=2025-12-31&orderValue=300&ordersPerYear=2&lifespanYears=3&margin=0.5&cac=100&lang=\(language.rawValue)")
            #expect(retention.contains("<td class=\"num clv\"><strong>\(clv)</strong></td>"))
            // 18.00 = 1,800 ÷ 100 with a decimal comma.
            #expect(retention.contains("<td class=\"num ratio\">18,00</td>"))
        }
    }

    /// The audience forms keep `lang`: in their actions (POST), a hidden field (the Count button's GET) and the
    /// redirects after saving and deleting; the Import form keeps it in its action.
    @Test func theFormsKeepTheLanguage() async throws {
        try await AudienceFixture.withClient { client, store, _ in
            let (_, _, form) = try await ServerFixture.get(client, "/audiences/new?lang=sv")
            #expect(form.contains("action=\"/audiences/new?lang=sv\""))
            #expect(form.contains("<input type=\"hidden\" name=\"lang\" value=\"sv\">"))
            #expect(form.contains(">Räkna</button>") && form.contains(">Spara</button>"))
            let (created, location, _) = try await AudienceFixture.post(client, "/audiences/new?lang=sv", [("name", "två"), ("filter", "orders >= 2"), ("lang", "sv")])
            #expect(created == .seeOther)
            #expect(location == "/audiences/tv%C3%A5?lang=sv")
            let (_, _, edit) = try await ServerFixture.get(client, "/audiences/tv%C3%A5/edit?lang=sv")
            #expect(edit.contains("action=\"/audiences/tv%C3%A5/edit?lang=sv\""))
            #expect(edit.contains("action=\"/audiences/tv%C3%A5/delete?lang=sv\""))
            let (edited, editedLocation, _) = try await AudienceFixture.post(client, "/audiences/tv%C3%A5/edit?lang=sv", [("filter", "orders >= 3")])
            #expect(edited == .seeOther && editedLocation == "/audiences/tv%C3%A5?lang=sv")
            #expect(try await store.listAudiences().first { $0.name == "två" }?.filter == "orders >= 3")
            let (deleted, deletedLocation, _) = try await AudienceFixture.post(client, "/audiences/tv%C3%A5/delete?lang=sv", [])
            #expect(deleted == .seeOther && deletedLocation == "/audiences?lang=sv")
            // Without lang the redirects stay plain.
            let (_, plain, _) = try await AudienceFixture.post(client, "/audiences/new", [("name", "three"), ("filter", "orders >= 3")])
            #expect(plain == "/audiences/three")
            // A refused form answers in the language it was sent in.
            let (refused, _, page) = try await AudienceFixture.post(client, "/audiences/new?lang=nb", [("name", ""), ("filter", "orders >= 2")])
            #expect(refused == .unprocessableContent)
            #expect(page.contains("Målgruppen må ha et navn.") && page.contains("<html lang=\"nb\">"))
        }
        try await ImportFixture.withShop { client, _, _ in
            let (_, _, page) = try await ServerFixture.get(client, "/import?lang=da")
            #expect(page.contains("action=\"/import?lang=da\""))
            let (status, _, done) = try await ImportFixture.post(client, "/import?lang=da", contentType: "multipart/form-data; boundary=\(ImportFixture.boundary)",
                                                                 ImportFixture.multipart([("file", "orders.csv", Array(ImportFixture.good.utf8))]))
            #expect(status == .ok)
            #expect(done.contains("2 tilføjet, 0 erstattet, 0 uændret."))
            #expect(done.contains("orders.csv: standard-ordrelinjer, 2 ordrer, 2 linjer"))
        }
    }
}
