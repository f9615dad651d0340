import ClienteleCore

extension ShopReports {
    /// The request's language: `lang` when given (checked by `checkLanguage()`), else the shop's locale's.
    public var language: Language {
        query.language ?? Language.of(locale: settings.locale)
    }

    /// A 400 for a `lang` that is not one of the dashboard's languages.
    func checkLanguage() throws {
        _ = try query.choice("lang", Language.self)
    }

    /// How the request's language writes numbers, money, percentages and dates.
    var format: LocaleFormat { language.format }

    /// `english` in the request's language.
    func t(_ english: String) -> String { language.t(english) }

    /// `template` in the request's language with its `{name}` placeholders filled in (plain text).
    func t(_ template: String, _ values: KeyValuePairs<String, String>) -> String { language.t(template, values) }

    /// `template` in the request's language, escaped, with its placeholders filled in with HTML.
    func tHTML(_ template: String, _ values: KeyValuePairs<String, String>) -> String { language.tHTML(template, values) }

    /// `path` with the request's `lang` parameter when it was given, for links that leave the page.
    func href(_ path: String) -> String { Page.keepingLanguage(path, query.language?.rawValue) }

    /// A page in the layout, in the request's language, keeping `lang` in the navigation.
    func page(title: String, path: String, body: String, ownPath: String? = nil) -> Page {
        Page(title: title, shopName: settings.name, path: path, body: body, language: language, query: query, ownPath: ownPath)
    }
}

extension QueryParameters {
    /// The `lang` parameter when it names one of the dashboard's languages (nil when absent or unknown).
    var language: Language? { self["lang"].flatMap { Language(rawValue: $0) } }
}
