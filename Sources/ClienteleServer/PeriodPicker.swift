import ClienteleCore

/// The period picker: a plain GET form (works without JavaScript) with the presets, custom dates, the as-of
/// date and the comparison, filled in from the request.
enum PeriodPicker {
    /// The form for `query`, submitting to `action`; `comparison` offers the comparison select.
    static func form(action: String, query: QueryParameters, comparison: Bool = true, language: Language = .en) -> String {
        let t = language.translator
        func option(_ value: String, _ label: String, selected: String?) -> String {
            "<option value=\"\(html(value))\"\(value == (selected ?? "") ? " selected" : "")>\(html(label))</option>"
        }
        let presets = option("", t("Last 12 months (default)"), selected: query["period"])
            + Period.Preset.allCases.filter { $0 != .last12Months }.map { p -> String in option(p.rawValue, t(label(p)), selected: query["period"]) }.joined()
        var out = "<form class=\"picker\" method=\"get\" action=\"\(html(action))\" aria-label=\"\(html(t("Period")))\">"
        out += "<label for=\"period\">\(html(t("Period")))<select id=\"period\" name=\"period\">\(presets)</select></label>"
        out += "<label for=\"from\">\(html(t("From")))<input id=\"from\" name=\"from\" type=\"date\" value=\"\(html(query["from"] ?? ""))\"></label>"
        out += "<label for=\"to\">\(html(t("To (inclusive)")))<input id=\"to\" name=\"to\" type=\"date\" value=\"\(html(query["to"] ?? ""))\"></label>"
        out += "<label for=\"asOf\">\(html(t("As of")))<input id=\"asOf\" name=\"asOf\" type=\"date\" value=\"\(html(query["asOf"] ?? ""))\"></label>"
        if comparison {
            let compare = option("", t("No comparison"), selected: query["compare"])
                + option("previous", t("Previous period"), selected: query["compare"])
                + option("last-year", t("Same period last year"), selected: query["compare"])
            out += "<label for=\"compare\">\(html(t("Compare with")))<select id=\"compare\" name=\"compare\">\(compare)</select></label>"
        }
        if let lang = query.language { out += "<input type=\"hidden\" name=\"lang\" value=\"\(lang.rawValue)\">" }
        out += "<button type=\"submit\">\(html(t("Show")))</button></form>"
        return out
    }

    /// A preset's name in the select (in English; the page translates it).
    static func label(_ preset: Period.Preset) -> String {
        switch preset {
        case .thisYear: return "This year"
        case .lastYear: return "Last year"
        case .thisMonth: return "This month"
        case .lastMonth: return "Last month"
        case .last3Months: return "Last 3 months"
        case .last12Months: return "Last 12 months"
        }
    }
}
